/**
 * The vocabulary of exploration (X1-X4): strategies, options, one execution's outcome, and
 * the result of a whole exploration (`check`).
 *
 * Invariants: every type here is plain structured-cloneable data (numbers, strings, arrays,
 * records), so options and results cross worker-thread and shard boundaries unchanged (X4);
 * a result never depends on host time unless the `time` budget cut it short.
 */
import type { Violation } from '../../verify/violation.js';

/** X1: the exploration strategies. */
export type Strategy = 'random' | 'pct' | 'dfs';

/** The strategies, in CLI order. */
export const STRATEGIES: readonly Strategy[] = ['random', 'pct', 'dfs'];

/** Options of an exploration (the `daxsim check` flags). */
export interface CheckOptions {
  /** X1 (default 'random'). */
  strategy?: Strategy;
  /** X2: execution budget (default 1000; dfs: 100_000). */
  executions?: number;
  /** X2: time budget in seconds (default: none). Results cut by time are not reproducible. */
  timeSeconds?: number;
  /** X1 dfs: preemption bound (default 2). */
  preemptions?: number;
  /** X1 pct: bug depth d (default 3). */
  pctDepth?: number;
  /** X1/S4: injected allocation failures explored as choices, at most this many per run (default 0). */
  maxFailures?: number;
  /** Base seed: the World seed and the source of every per-execution seed (default: scenario seed or 1). */
  seed?: number;
  /** Added to the scenario's own mutations (U1). */
  mutations?: readonly string[];
  /** Kernel profile (wins over the scenario's; default `fixed`). */
  profile?: string;
  /** X4: worker threads (default 1 in the library; the CLI defaults to the core count). */
  workers?: number;
  /** X4: this run is shard `index` of `count`. */
  shard?: { index: number; count: number };
  /** X3: shrink a counterexample (default true). */
  shrink?: boolean;
  /** Check V3/V4 after every step (default true). */
  checkEachStep?: boolean;
  /** X1 dfs: sleep-set reduction over step footprints (default true; `--no-reduction`). */
  reduction?: boolean;
  /** X3: columns the thread table is fitted to (default 120; Infinity: natural widths, `--wide`). */
  tableWidth?: number;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  strategy: Strategy;
  executions: number;
  timeSeconds: number | null;
  preemptions: number;
  pctDepth: number;
  maxFailures: number;
  seed: number;
  mutations: string[];
  /** The profile explored: the one asked for, else the scenario's, else `fixed`. */
  profile: string;
  workers: number;
  shard: { index: number; count: number };
  shrink: boolean;
  checkEachStep: boolean;
  reduction: boolean;
  tableWidth: number;
}

/** What one execution found. */
export interface ExecutionOutcome {
  /** The violations, first one decides (empty when the run was clean). */
  violations: Violation[];
  /** The recorded schedule string (S2). */
  schedule: string;
  steps: number;
  /** Choices where a still-runnable task was switched away from. */
  preemptions: number;
  /** Injected failures chosen (S4). */
  failures: number;
}

/** A counterexample (X3): replayable, and rendered. */
export interface Counterexample {
  invariant: Violation['invariant'];
  message: string;
  /** Every violation of the (shrunk) run. */
  violations: Violation[];
  /** Replay with `daxsim replay <scenario> --schedule S --seed N [--max-failures F]`. */
  schedule: string;
  seed: number;
  /** Injected failures in the schedule (`F` tokens); replay offers this many choices. */
  maxFailures: number;
  steps: number;
  preemptions: number;
  /** The thread table (one column per task). */
  table: string;
  /** The schedule as first found, before shrinking. */
  original: { schedule: string; steps: number; preemptions: number; failures: number };
  /** Global execution index (0-based) at which it was found. */
  foundAt: number;
  /** Shrinking runs spent. */
  shrinkRuns: number;
}

/**
 * One unit of work (X4): for random/pct a single execution; for dfs a subtree hanging off the
 * first execution at (frame, alternative). Units are ordered; the result is the one the
 * sequential order gives.
 */
export interface UnitReport {
  ordinal: number;
  /** Executions the unit ran (a dfs subtree's size when complete). */
  executions: number;
  complete: boolean;
  /** Index inside the unit of the first violating execution, if any. */
  violationAt: number | null;
  violation: ExecutionOutcome | null;
  /** dfs: the subtree hit the execution cap inside (not exhausted). */
  capped: boolean;
  /** Hashes of distinct schedules seen (random/pct). */
  hashes: number[];
}

/** What a worker or shard reports: its units, plus how many units exist in total. */
export interface PartialResult {
  units: UnitReport[];
  /** Total number of units of the whole space (dfs: known after the root execution). */
  unitCount: number;
  /** dfs: the root execution (unit -1). */
  root: UnitReport | null;
  timedOut: boolean;
}

/** The result of `check` (design.md's `--json` object). */
export interface CheckResult {
  result: 'pass' | 'violation';
  scenario: string;
  strategy: Strategy;
  /** Executions in sequential order up to the counterexample, or all run. */
  executions: number;
  /** Distinct schedules among them (random/pct by hash; dfs: every execution is distinct). */
  distinctSchedules: number;
  /** X2: the whole space under the bound was explored (dfs only; random/pct never). */
  exhausted: boolean;
  /** The time budget ended the exploration (then the result may differ between runs). */
  timedOut: boolean;
  elapsedMs: number;
  seed: number;
  preemptionBound: number | null;
  maxFailures: number;
  mutations: string[];
  /** The kernel profile explored. */
  profile: string;
  workers: number;
  shard: string | null;
  violation?: Counterexample;
}
