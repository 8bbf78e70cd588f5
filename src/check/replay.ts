/**
 * Replaying one schedule with tracing on (S6, X3): the counterexample's trace, its thread
 * table and its exports all come from this one run.
 *
 * Invariant: the replay is strict; a schedule that does not fit the scenario throws an Error
 * saying where it diverged (a usage problem for the CLI, never a model violation).
 */

import { ReplayScheduler } from '../sim/replay-scheduler.js';
import { parseScheduleRuns } from '../sim/schedule-string.js';
import type { RunOptions, RunResult } from '../workload/run.js';
import type { Scenario } from '../workload/scenario/types.js';
import { execute, isReplayDivergence } from './explore/execute.js';
import type { ExecutionOutcome } from './explore/types.js';
import { renderTable } from './table.js';

/** Options of a replay. */
export interface ReplayOptions {
  seed?: number;
  mutations?: readonly string[];
  /** Kernel profile (default: the scenario's, else `fixed`). */
  profile?: string;
  /** Failure choices offered (default: the number of `F` tokens in the schedule). */
  maxFailures?: number;
  checkEachStep?: boolean;
  /** Hears the World before the first step and after each one (RunOptions.onStep). */
  onStep?: RunOptions['onStep'];
  /** Columns the thread table is fitted to (default TABLE_WIDTH; Infinity for natural widths). */
  tableWidth?: number;
}

/** What a replay gives. */
export interface Replayed {
  outcome: ExecutionOutcome;
  run: RunResult;
  table: string;
}

/** Replay `schedule` strictly with tracing on and render its table. */
export function replaySchedule(scenario: Scenario, schedule: string, opts: ReplayOptions = {}): Replayed {
  // Counted on the runs, not the expanded choices: a run like `1x99999999999` must not be expanded.
  const { toks, counts } = parseScheduleRuns(schedule);
  const maxFailures =
    opts.maxFailures ?? toks.reduce<number>((n, t, i) => n + (t === 'F' ? counts[i]! : 0), 0);
  const r = execute(scenario, new ReplayScheduler(schedule), {
    seed: opts.seed ?? scenario.seed ?? 1,
    mutations: opts.mutations ?? [],
    ...(opts.profile === undefined ? {} : { profile: opts.profile }),
    maxFailures,
    checkEachStep: opts.checkEachStep ?? true,
    trace: true,
    ...(opts.onStep === undefined ? {} : { onStep: opts.onStep }),
  });
  if (r === null) throw new Error('replay: the run was aborted');
  const diverged = r.outcome.violations.find((v) => isReplayDivergence(v.message));
  if (diverged !== undefined) throw new Error(diverged.message.replace(/^model error at step \d+: /, ''));
  const rt = r.run.world.rt;
  const table = renderTable(rt.trace.events, rt.tasks, rt.stuckReport(), opts.tableWidth);
  return { outcome: r.outcome, run: r.run, table };
}

/** What a replay command line needs. */
export interface ReplayCommand {
  ref: string;
  profile: string;
  schedule: string;
  seed: number;
  maxFailures: number;
  mutations: readonly string[];
}

/**
 * The `daxsim replay` command that reproduces a counterexample. An empty schedule (a run with
 * one runnable task at every step) is written `''` so the line still pastes into a shell.
 */
export function replayCommand(c: ReplayCommand): string {
  const schedule = c.schedule === '' ? "''" : c.schedule;
  const fails = c.maxFailures > 0 ? ` --max-failures ${c.maxFailures}` : '';
  const muts = c.mutations.map((m) => ` --mutation ${m}`).join('');
  return `daxsim replay ${c.ref} --profile ${c.profile} --schedule ${schedule} --seed ${c.seed}${fails}${muts}`;
}
