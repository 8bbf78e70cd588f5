/**
 * Scripted schedulers for tests: drive named tasks through phases ("run t1 until it holds the
 * entry, then t2 until it sleeps on key 0x200, ...") and leave the rest to a fallback.
 *
 * Invariants: a phase only ever picks its own task, and only while that task is runnable and
 * its `until` predicate is false; everything else is the fallback's choice, so a script that
 * names tasks which never become runnable degrades to the fallback scheduler instead of
 * hanging. Predicates read task state only, so the script is deterministic (S6) and the
 * schedule it records replays under ReplayScheduler.
 */

import type { Runtime } from '../../src/sim/runtime.js';
import { RoundRobinScheduler, type Scheduler } from '../../src/sim/scheduler.js';
import type { Task } from '../../src/sim/task.js';

/** One phase of a script: run `task` until `until` holds. */
export interface Phase {
  readonly task: string;
  readonly until: (t: Task, rt: Runtime) => boolean;
}

/** Follows `phases` in order, then (and whenever the phase's task cannot run) the fallback. */
export class PhaseScheduler implements Scheduler {
  readonly name = 'phases';
  private phase = 0;

  constructor(
    private readonly phases: readonly Phase[],
    private readonly fallback: Scheduler = new RoundRobinScheduler(),
  ) {}

  /** Phases not yet completed. */
  get remaining(): number {
    return this.phases.length - this.phase;
  }

  /** S2: the current phase's task while it runs toward its goal, else the fallback's pick. */
  pick(runnable: readonly Task[], rt: Runtime): Task {
    while (this.phase < this.phases.length) {
      const p = this.phases[this.phase]!;
      const t = rt.tasks.find((x) => x.name === p.task);
      if (t !== undefined && (t.done || p.until(t, rt))) {
        this.phase++;
        continue;
      }
      if (t !== undefined && runnable.includes(t)) return t;
      break;
    }
    return this.fallback.pick(runnable, rt);
  }

  /** Never injects a failure (injection rules still apply). */
  chooseFailure(): boolean {
    return false;
  }
}

/** Predicate: the task sleeps on a wait-table key with this index. */
export function sleepingOn(index: number): (t: Task) => boolean {
  return (t) =>
    t.state === 'sleeping' && t.waitingOn?.kind === 'wait-queue' && t.waitingOn.key.index === index;
}

/** Predicate: the task blocks on something (a lock, a wait queue, a bare schedule). */
export function blocked(t: Task): boolean {
  return t.state === 'sleeping' || t.state === 'spinning';
}

/** Predicate: the task last yielded at scheduling point `point`. */
export function atPoint(point: string): (t: Task) => boolean {
  return (t) => t.point === point;
}

/** Predicate: the task has finished. */
export function finished(t: Task): boolean {
  return t.done;
}
