/**
 * What a Runtime is built from and what its run hands back: options (S2, S4, S5), recorded
 * choices (X1) and the run's outcome (V1, S6).
 *
 * Invariant: declarations only.
 */
import type { FaultInjector } from './fault-injector.js';
import type { Scheduler } from './scheduler.js';
import type { Task } from './task.js';
import type { Trace } from './trace.js';
import type { AllocSite, StuckTask } from './types.js';

/** Options of a Runtime. */
export interface RuntimeOptions {
  /** S2. */
  scheduler: Scheduler;
  /** S4 (default: never fails). */
  injector?: FaultInjector;
  /** S5 (default: a disabled trace). */
  trace?: Trace;
  /** Livelock guard (default 10_000_000): reaching it ends run() with reason 'step-limit'. */
  maxSteps?: number;
  /** Keep every choice with its alternatives in `choices` (for explorers; default false). */
  recordChoices?: boolean;
  /**
   * Elide scheduling points where only the running task could run (default true; see
   * `otherRunnable`). Off: every point is a step, as in a trace that shows each one.
   */
  elideForcedPoints?: boolean;
  /**
   * Record each step's footprint, the shared-object keys it touched (X1 sleep sets; default
   * false). Off, `touch` is a no-op and the step loop allocates nothing.
   */
  footprints?: boolean;
}

/** One recorded choice with its alternatives (only when `recordChoices`). */
export type Choice =
  | { kind: 'task'; step: number; chosen: number; options: readonly number[] }
  | { kind: 'fail'; step: number; site: AllocSite; chosen: boolean };

/** The result of Runtime.run(). */
export interface RunOutcome {
  reason: 'quiescent' | 'step-limit';
  steps: number;
  /** Every task finished (returned or threw). */
  allDone: boolean;
  /** Tasks not done, with what they wait on (V1). */
  stuck: StuckTask[];
  /** The recorded schedule (S6). */
  schedule: string;
  /** Tasks that ended by throwing. */
  failed: Task[];
}
