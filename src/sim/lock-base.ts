/**
 * What every lock primitive shares (S3): identity, lockdep class, waiter list, wake-all.
 *
 * Invariants:
 * - `waiters` holds exactly the tasks blocked (spinning or sleeping) on this lock; a release
 *   wakes them all and each re-contends after its next run (no hand-off), which models both
 *   spinning CPUs and woken sleepers racing newcomers.
 * - `lastHolder` is the task that most recently acquired the lock (kept after release) so a
 *   stuck report can name who had it (V1).
 */
import type { Runtime } from './runtime.js';
import type { Task } from './task.js';
import type { Lock, LockKind, WaitDescription } from './types.js';

/** Base class of SpinLock, Mutex, RwSemaphore and PageLock. */
export abstract class LockBase implements Lock {
  abstract readonly kind: LockKind;
  readonly name: string;
  readonly cls: string;
  /** @internal See Lock.fpKey. */
  readonly fpKey: string;
  /** @internal See Lock.lockdepClass. */
  lockdepClass = -1;
  protected readonly rt: Runtime;
  protected readonly waiters: Task[] = [];
  protected last: Task | null = null;

  /** A lock named `name` of lockdep class `cls` (default: the name). */
  constructor(rt: Runtime, name: string, cls?: string) {
    this.rt = rt;
    this.name = name;
    this.cls = cls ?? name;
    this.fpKey = `lock:${name}`;
  }

  /** The task that most recently acquired this lock. */
  get lastHolder(): Task | null {
    return this.last;
  }

  /** Tasks currently holding the lock. */
  abstract holders(): readonly Task[];

  /** Tasks currently blocked on the lock. */
  blocked(): readonly Task[] {
    return this.waiters;
  }

  /** Block the current task on this lock (it must then yield). */
  protected wait(t: Task, how: 'spin' | 'sleep', desc: WaitDescription): void {
    if (!this.waiters.includes(t)) this.waiters.push(t);
    this.rt.block(t, how, desc);
  }

  /** Wake every blocked task; they re-contend. */
  protected wakeWaiters(waker: Task | null): void {
    const ws = this.waiters;
    if (ws.length === 0) return;
    for (const t of ws) this.rt.unblock(t, waker, this.name);
    ws.length = 0;
  }
}
