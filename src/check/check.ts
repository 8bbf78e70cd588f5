/**
 * `check(scenario, options)`: the checker's library entry (X1-X4). Explore under a strategy
 * and budgets, merge the workers' and shards' units into the sequential answer, shrink a
 * counterexample and render it.
 *
 * Invariant: for a fixed scenario, seed and execution budget (no time budget) the result is
 * the same for any number of workers, apart from `elapsedMs` and `workers` (X4).
 */
import { DEFAULT_PROFILE } from '../version/profiles.js';
import type { Scenario } from '../workload/scenario/types.js';
import type { ExecuteOptions } from './explore/execute.js';
import { mergePartials } from './explore/merge.js';
import { exploreShard } from './explore/parallel.js';
import {
  type CheckOptions,
  type CheckResult,
  type Counterexample,
  type ExecutionOutcome,
  type PartialResult,
  type ResolvedOptions,
  STRATEGIES,
} from './explore/types.js';
import { replaySchedule } from './replay.js';
import { firstInvariant, shrink } from './shrink.js';
import { TABLE_WIDTH } from './table.js';

/** Apply defaults and validate (a bad option throws RangeError naming it). */
export function resolveOptions(scenario: Scenario, o: CheckOptions = {}): ResolvedOptions {
  const strategy = o.strategy ?? 'random';
  if (!STRATEGIES.includes(strategy))
    throw new RangeError(`strategy '${strategy}': expected ${STRATEGIES.join(', ')}`);
  const int = (name: string, v: number | undefined, dflt: number, min: number): number => {
    const x = v ?? dflt;
    if (!Number.isSafeInteger(x) || x < min)
      throw new RangeError(`${name} ${x}: expected an integer >= ${min}`);
    return x;
  };
  const shard = o.shard ?? { index: 0, count: 1 };
  if (
    !(
      Number.isInteger(shard.count) &&
      shard.count >= 1 &&
      Number.isInteger(shard.index) &&
      shard.index >= 0 &&
      shard.index < shard.count
    )
  ) {
    throw new RangeError(`shard ${shard.index}/${shard.count}: expected i/n with 0 <= i < n`);
  }
  if (o.timeSeconds !== undefined && !(o.timeSeconds > 0))
    throw new RangeError(`time ${o.timeSeconds}: expected seconds > 0`);
  return {
    strategy,
    executions: int('executions', o.executions, strategy === 'dfs' ? 100_000 : 1000, 1),
    timeSeconds: o.timeSeconds ?? null,
    preemptions: int('preemptions', o.preemptions, 2, 0),
    pctDepth: int('pct depth', o.pctDepth, 3, 1),
    maxFailures: int('max-failures', o.maxFailures, 0, 0),
    seed: int('seed', o.seed, scenario.seed ?? 1, 0),
    mutations: [...(o.mutations ?? [])],
    profile: o.profile ?? scenario.profile ?? DEFAULT_PROFILE,
    workers: int('workers', o.workers, 1, 1),
    shard,
    shrink: o.shrink ?? true,
    checkEachStep: o.checkEachStep ?? true,
    reduction: o.reduction ?? true,
    tableWidth: o.tableWidth ?? TABLE_WIDTH,
  };
}

/** What an exploration ran: its resolved options and its workers' partial results. */
export interface Explored {
  options: ResolvedOptions;
  parts: PartialResult[];
  /** performance.now() when it started. */
  started: number;
}

/** Run the exploration (this shard's units on `o.workers` workers), without the verdict. */
export async function explore(
  scenario: Scenario,
  options: CheckOptions = {},
  onProgress?: (executions: number) => void,
): Promise<Explored> {
  const o = resolveOptions(scenario, options);
  const started = performance.now();
  const parts = await exploreShard(scenario, o, started, onProgress);
  return { options: o, parts, started };
}

/**
 * The verdict on partial results: merge them in sequential order, shrink and render the
 * first counterexample. `o.shard` says what the parts cover (a shard, or everything);
 * `time` gives the elapsed time, or when it started (then measured to the end of shrinking).
 */
export function verdict(
  scenario: Scenario,
  o: ResolvedOptions,
  parts: readonly PartialResult[],
  time: { started: number } | { elapsedMs: number },
): CheckResult {
  const merged = mergePartials(parts, o);
  const result: CheckResult = {
    result: merged.violation === null ? 'pass' : 'violation',
    scenario: scenario.name,
    strategy: o.strategy,
    executions: merged.executions,
    distinctSchedules: merged.distinctSchedules,
    exhausted: merged.exhausted,
    timedOut: merged.timedOut,
    elapsedMs: 0,
    seed: o.seed,
    preemptionBound: o.strategy === 'dfs' ? o.preemptions : null,
    maxFailures: o.maxFailures,
    mutations: o.mutations,
    profile: o.profile,
    workers: o.workers,
    shard: o.shard.count === 1 ? null : `${o.shard.index}/${o.shard.count}`,
  };
  if (merged.violation !== null) {
    result.violation = counterexample(scenario, o, merged.violation.outcome, merged.violation.foundAt);
  }
  result.elapsedMs = 'elapsedMs' in time ? time.elapsedMs : Math.round(performance.now() - time.started);
  return result;
}

/**
 * Explore `scenario` for invariant violations (design.md `daxsim check`). `onProgress`
 * hears the executions run so far (every execution in-process, every 100 ms with workers).
 */
export async function check(
  scenario: Scenario,
  options: CheckOptions = {},
  onProgress?: (executions: number) => void,
): Promise<CheckResult> {
  const e = await explore(scenario, options, onProgress);
  return verdict(scenario, e.options, e.parts, { started: e.started });
}

function counterexample(
  scenario: Scenario,
  o: ResolvedOptions,
  found: ExecutionOutcome,
  foundAt: number,
): Counterexample {
  const eo: ExecuteOptions = {
    seed: o.seed,
    mutations: o.mutations,
    profile: o.profile,
    maxFailures: o.maxFailures,
    checkEachStep: o.checkEachStep,
  };
  const s = o.shrink ? shrink(scenario, eo, found) : { outcome: found, maxFailures: o.maxFailures, runs: 0 };
  const replayed = replaySchedule(scenario, s.outcome.schedule, {
    seed: o.seed,
    mutations: o.mutations,
    profile: o.profile,
    maxFailures: s.maxFailures,
    checkEachStep: o.checkEachStep,
    tableWidth: o.tableWidth,
  });
  const first = replayed.outcome.violations[0] ?? s.outcome.violations[0]!;
  return {
    invariant: firstInvariant(replayed.outcome) ?? first.invariant,
    message: first.message,
    violations: replayed.outcome.violations,
    schedule: s.outcome.schedule,
    seed: o.seed,
    maxFailures: s.maxFailures,
    steps: s.outcome.steps,
    preemptions: s.outcome.preemptions,
    table: replayed.table,
    original: {
      schedule: found.schedule,
      steps: found.steps,
      preemptions: found.preemptions,
      failures: found.failures,
    },
    foundAt,
    shrinkRuns: s.runs,
  };
}
