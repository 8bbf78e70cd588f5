/**
 * Scheduler plug-ins (S2): the contract, and the two deterministic strategies.
 *
 * Invariants:
 * - `pick` is called once per step with the runnable tasks in id order (never empty) and must
 *   return one of them; the runtime records the choice only when more than one was runnable.
 *   The array is the runtime's own, reused across steps: read it, never keep or change it.
 * - `chooseFailure` is called only when the fault injector offers a choice (S4 choice mode);
 *   its answer is recorded in the schedule as `F` / `S`.
 */
import type { Runtime } from './runtime.js';
import type { Task } from './task.js';
import type { AllocSite } from './types.js';

/** Decides injected failures when the injector is in choice mode (S4). */
export interface FailureChooser {
  /** True = make this allocation fail. */
  chooseFailure(site: AllocSite, rt: Runtime): boolean;
}

/** A scheduling strategy (S2). */
export interface Scheduler extends Partial<FailureChooser> {
  readonly name: string;
  /** Pick the task to run next from `runnable` (id order, non-empty). */
  pick(runnable: readonly Task[], rt: Runtime): Task;
  /** Called by `Runtime.run()` when the run ends (a replayer checks it used its whole schedule). */
  finish?(rt: Runtime): void;
}

/** Keep running the task that ran last while it is runnable; else the lowest id. Never fails allocations. */
export class RunToCompletionScheduler implements Scheduler {
  readonly name = 'run-to-completion';

  /** S2: the previous task if still runnable, else the first runnable. */
  pick(runnable: readonly Task[], rt: Runtime): Task {
    const last = rt.lastRun;
    if (last?.isRunnable()) return last;
    return runnable[0]!;
  }

  /** Never injects a failure. */
  chooseFailure(): boolean {
    return false;
  }
}

/** Rotate through the runnable tasks by id, one step each. Never fails allocations. */
export class RoundRobinScheduler implements Scheduler {
  readonly name = 'round-robin';

  /** S2: the first runnable task with an id above the last one run, wrapping around. */
  pick(runnable: readonly Task[], rt: Runtime): Task {
    const last = rt.lastRun;
    if (last !== null) for (const t of runnable) if (t.id > last.id) return t;
    return runnable[0]!;
  }

  /** Never injects a failure. */
  chooseFailure(): boolean {
    return false;
  }
}
