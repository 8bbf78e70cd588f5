/**
 * `daxsim history --check`: each upstream fix of version/history.ts re-found by the checker.
 * "before" is the row's profile with the switch set back, "after" the profile as it is; the
 * same budget explores both. A row holds when before violates one of the expected invariants
 * and after shows nothing within the budget (exhausted, for dfs rows).
 *
 * Invariant: deterministic (fixed seeds, execution budgets only), so the table is the same on
 * every machine and any worker count.
 */
import { HISTORY, type HistoryRow } from '../version/history.js';
import { loadScenario } from '../workload/scenario/load.js';
import { check } from './check.js';
import type { CheckOptions, CheckResult } from './explore/types.js';
import { replayCommand } from './replay.js';

/** One side of a row. */
export interface HistorySide {
  profile: string;
  /** `knob=value` for the before side, empty after. */
  overrides: string[];
  result: 'pass' | 'violation';
  invariant: string | null;
  message: string | null;
  executions: number;
  exhausted: boolean;
  /** The replay command of the counterexample, if any. */
  replay: string | null;
}

/** A row checked. */
export interface HistoryVerdict {
  commit: string;
  title: string;
  knob: string;
  scenario: string;
  before: HistorySide;
  after: HistorySide;
  /** before violated an expected invariant and after passed. */
  refound: boolean;
}

/** The override that puts a row's bug back. */
export function beforeOverride(row: HistoryRow): string {
  return `${row.knob}=${row.before}`;
}

function side(row: HistoryRow, overrides: string[], r: CheckResult): HistorySide {
  const v = r.violation;
  return {
    profile: row.profile,
    overrides,
    result: r.result,
    invariant: v?.invariant ?? null,
    message: v === undefined ? null : (v.message.split('\n')[0] ?? ''),
    executions: r.executions,
    exhausted: r.exhausted,
    replay:
      v === undefined
        ? null
        : replayCommand({
            ref: row.scenario,
            profile: row.profile,
            schedule: v.schedule,
            seed: v.seed,
            maxFailures: v.maxFailures,
            mutations: overrides,
          }),
  };
}

/** Check one row: the checker on before and after. */
export async function checkHistoryRow(row: HistoryRow, extra: CheckOptions = {}): Promise<HistoryVerdict> {
  const scenario = loadScenario(row.scenario);
  const budget: CheckOptions = {
    strategy: row.budget.strategy,
    executions: row.budget.executions,
    seed: 1,
    profile: row.profile,
    ...(row.budget.preemptions === undefined ? {} : { preemptions: row.budget.preemptions }),
    ...(row.budget.maxFailures === undefined ? {} : { maxFailures: row.budget.maxFailures }),
    ...extra,
  };
  const overrides = [beforeOverride(row)];
  const before = side(row, overrides, await check(scenario, { ...budget, mutations: overrides }));
  const after = side(row, [], await check(scenario, { ...budget, mutations: [] }));
  const refound =
    before.invariant !== null && row.expect.includes(before.invariant) && after.result === 'pass';
  return {
    commit: row.commit,
    title: row.title,
    knob: row.knob,
    scenario: row.scenario,
    before,
    after,
    refound,
  };
}

/** Check every row (or those whose commit starts with one of `only`). */
export async function checkHistory(
  extra: CheckOptions = {},
  only?: readonly string[],
  onRow?: (v: HistoryVerdict, done: number, of: number) => void,
): Promise<HistoryVerdict[]> {
  const rows = only === undefined ? HISTORY : HISTORY.filter((r) => only.some((o) => r.commit.startsWith(o)));
  const out: HistoryVerdict[] = [];
  for (const row of rows) {
    const v = await checkHistoryRow(row, extra);
    out.push(v);
    onRow?.(v, out.length, rows.length);
  }
  return out;
}
