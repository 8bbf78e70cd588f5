/**
 * Public API of the deterministic kernel runtime (S1-S6, V1, V2, V7).
 *
 * Invariant: everything other layers need from `src/sim` is re-exported here; import from
 * this module rather than from the individual files.
 */

export { DONE, DONE_FALSE, DONE_TRUE, done } from './done.js';
export { type ChoiceConfig, FaultInjector, type InjectRule } from './fault-injector.js';
export { LockBase } from './lock-base.js';
export { formatLockCycle, type LockCycle, Lockdep, type LockEdge, type LockSite } from './lockdep.js';
export { Mutex } from './mutex.js';
export { PageLock } from './page-lock.js';
export { type PctOptions, PctScheduler } from './pct-scheduler.js';
export { Prng } from './prng.js';
export { RandomScheduler, type RandomSchedulerOptions } from './random-scheduler.js';
export { type ReplayOptions, ReplayScheduler } from './replay-scheduler.js';
export { type Choice, type RunOutcome, Runtime, type RuntimeOptions } from './runtime.js';
export { RwSemaphore } from './rwsem.js';
export {
  decodeSchedule,
  encodeSchedule,
  parseScheduleRuns,
  ScheduleRecorder,
  type ScheduleRuns,
  type ScheduleToken,
} from './schedule-string.js';
export {
  type FailureChooser,
  RoundRobinScheduler,
  RunToCompletionScheduler,
  type Scheduler,
} from './scheduler.js';
export { SleepingLock } from './sleeping-lock.js';
export { SpinLock } from './spinlock.js';
export { buildStuckReport, formatStuckReport, formatWakeRecord, waitForCycles } from './stuck-report.js';
export { Task } from './task.js';
export * from './trace.js';
export { type ChromeEvent, type ChromeTrace, toChromeTrace } from './trace-chrome.js';
export { eventText, toText } from './trace-text.js';
export * from './types.js';
export {
  defaultWaitHash,
  formatWaitKey,
  sameWaitKey,
  WAKE_HISTORY,
  WaitTable,
  type WaitTableOptions,
} from './wait-table.js';
