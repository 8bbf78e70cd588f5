/**
 * A simulated kernel task (S1): a generator plus its scheduling state.
 *
 * Invariants:
 * - `state === 'done'` exactly when the body returned or threw; `result`/`error` are then final.
 * - `blockedOn !== null` exactly when the task is descheduled waiting (state `spinning` or
 *   `sleeping`); only a release or a wake-up clears it.
 * - `sleepMark` is the kernel's TASK_UNINTERRUPTIBLE set by prepare_to_wait: it survives
 *   preemption and spinning, and only a wake-up or finish_wait clears it.
 * - `held` lists the locks held, in acquisition order; `heldStep` and `heldSite` run parallel to it.
 */
import { MASK_CLASSES } from './lockdep.js';
import type { K, Lock, Point, TaskState, WaitDescription, Waiter } from './types.js';

/** A simulated task; created by `Runtime.spawn`. */
export class Task {
  readonly id: number;
  readonly name: string;
  /** @internal Its X1 footprint key, `task:<id>`. */
  readonly fpKey: string;
  state: TaskState = 'runnable';
  /** Opaque payload given to spawn (the mm layer stores the process here). */
  readonly data: unknown;
  /** The body's return value, once done. */
  result: unknown = undefined;
  /** The body's thrown error, once done (undefined when it returned). */
  error: unknown = undefined;
  /** The label of the point it last yielded at. */
  point: Point | null = null;
  /** What it sleeps or spins on (for reports); null when not blocked. */
  waitingOn: WaitDescription | null = null;
  /** Tasks that must be done before this one may run. */
  readonly after: readonly Task[];

  /** @internal Descheduled while waiting on a lock ('spin' | 'sleep') or in schedule(). */
  blockedOn: 'spin' | 'sleep' | null = null;
  /** @internal prepare_to_wait was called and no wake-up or finish_wait happened since. */
  sleepMark = false;
  /** @internal The wait-table entry this task is queued with, if any. */
  waiter: Waiter | null = null;
  /** @internal Locks held, acquisition order. */
  readonly heldLocks: Lock[] = [];
  /**
   * @internal A bit per lockdep class id (< 31) among heldLocks, or -1 when some held lock's
   * class has no bit (lockdep then checks the held locks one by one).
   */
  heldClassMask = 0;
  /**
   * preempt_count outside spinlocks: raised by preempt_disable (e.g. a successful
   * radix_tree_preload) until the matching preempt_enable. Sleeping while it is raised is a V7 bug.
   */
  preemptCount = 0;
  /** @internal Parallel to heldLocks: the step each was taken at. */
  readonly heldStep: number[] = [];
  /** @internal Parallel to heldLocks: the site each was taken at. */
  readonly heldSite: string[] = [];
  /** @internal The running generator (created lazily on first run). */
  gen: K<unknown> | null = null;
  /** @internal The body, until the generator is created. */
  body: (() => K<unknown>) | null;
  private depsMet: boolean;

  /** Use Runtime.spawn; this constructor is internal. */
  constructor(id: number, name: string, body: () => K<unknown>, after: readonly Task[], data: unknown) {
    this.id = id;
    this.name = name;
    this.fpKey = `task:${id}`;
    this.body = body;
    this.after = after;
    this.data = data;
    this.depsMet = after.length === 0;
  }

  /** Locks currently held (spinlocks, mutexes, rwsems, page locks), in acquisition order. */
  get held(): readonly Lock[] {
    return this.heldLocks;
  }

  /** True when the task has finished (returned or thrown). */
  get done(): boolean {
    return this.state === 'done';
  }

  /** @internal Eligible to be picked: not done, not blocked, `after` tasks all done. */
  isRunnable(): boolean {
    if (this.state === 'done' || this.blockedOn !== null) return false;
    if (this.depsMet) return true;
    for (const t of this.after) if (t.state !== 'done') return false;
    this.depsMet = true;
    return true;
  }

  /** @internal Record a newly acquired lock. */
  pushHeld(lock: Lock, step: number, site: string): void {
    this.heldLocks.push(lock);
    this.heldStep.push(step);
    this.heldSite.push(site);
    this.heldClassMask = addClassBit(this.heldClassMask, lock);
  }

  /** @internal Forget a released lock (the most recent hold of it); false if not held. */
  dropHeld(lock: Lock): boolean {
    const locks = this.heldLocks;
    for (let i = locks.length - 1; i >= 0; i--) {
      if (locks[i] !== lock) continue;
      for (let j = i + 1; j < locks.length; j++) {
        locks[j - 1] = locks[j]!;
        this.heldStep[j - 1] = this.heldStep[j]!;
        this.heldSite[j - 1] = this.heldSite[j]!;
      }
      locks.pop();
      this.heldStep.pop();
      this.heldSite.pop();
      let mask = 0;
      for (let j = 0; j < locks.length; j++) mask = addClassBit(mask, locks[j]!);
      this.heldClassMask = mask;
      return true;
    }
    return false;
  }

  /** @internal The first spinlock held, if any (sleeping with one is a V7 bug). */
  heldSpinlock(): Lock | null {
    for (const l of this.heldLocks) if (l.kind === 'spinlock') return l;
    return null;
  }

  /** `name#id`, for messages. */
  toString(): string {
    return `${this.name}#${this.id}`;
  }
}

function addClassBit(mask: number, lock: Lock): number {
  const id = lock.lockdepClass;
  return mask < 0 || id < 0 || id >= MASK_CLASSES ? -1 : mask | (1 << id);
}
