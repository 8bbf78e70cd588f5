/**
 * spinlock_t (S3, L1): a busy-waiting lock; a task that finds it held is "spinning".
 *
 * Invariants:
 * - At most one holder; only the holder may unlock (anything else throws: a model error).
 * - Taking it is a scheduling point first; a spinning task is not runnable until release.
 * - Holding one while sleeping is a V7 bug the runtime reports (see Runtime.mightSleep).
 */
import { DONE, done } from './done.js';
import { ExclusiveLock } from './exclusive-lock.js';
import type { Runtime } from './runtime.js';
import type { K } from './types.js';

/** A spinlock; `lock`/`lockIrq` are spin_lock/spin_lock_irq (interrupts are not modelled). */
export class SpinLock extends ExclusiveLock {
  readonly kind = 'spinlock' as const;
  private readonly pLockIrq: string;

  /** A spinlock named `name` of lockdep class `cls`. */
  constructor(rt: Runtime, name: string, cls?: string) {
    super(rt, name, cls, `spin_lock(${name})`, `spin_unlock(${name})`);
    this.pLockIrq = `spin_lock_irq(${name})`;
  }

  /** spin_lock. S1 point, then spin while held. */
  lock(site?: string): K<void> {
    return this.acquireNow(this.pLock, site) ? DONE : this.acquire(this.pLock, site, 'spin');
  }

  /** spin_lock_irq. Same as lock(); the label differs in traces. */
  lockIrq(site?: string): K<void> {
    return this.acquireNow(this.pLockIrq, site) ? DONE : this.acquire(this.pLockIrq, site, 'spin');
  }

  /**
   * spin_lock / spin_lock_irq when it completes at once: the lock is free and its point
   * would be elided (Runtime.preemptible false). Then the lock is taken exactly as `lock()`
   * would take it and this returns true; otherwise nothing happens and the caller takes the
   * generator path. Lets lock-then-work helpers skip a generator when uncontended.
   */
  lockNow(site?: string): boolean {
    return this.acquireNow(this.pLock, site);
  }

  /** lockNow, labelled as spin_lock_irq. */
  lockIrqNow(site?: string): boolean {
    return this.acquireNow(this.pLockIrq, site);
  }

  /**
   * spin_lock, then `body`, which must release the lock before it returns: the shape of every
   * "lock, do the work, unlock" helper. When the lock is taken at once (lockNow) the body runs
   * now and the result comes back finished, without a generator; else after a real acquire.
   */
  locked<T>(body: () => T): K<T> {
    return this.acquireNow(this.pLock, undefined) ? done(body()) : this.lockedAfter(this.pLock, body);
  }

  /** locked(), labelled as spin_lock_irq. */
  lockedIrq<T>(body: () => T): K<T> {
    return this.acquireNow(this.pLockIrq, undefined) ? done(body()) : this.lockedAfter(this.pLockIrq, body);
  }

  private *lockedAfter<T>(point: string, body: () => T): K<T> {
    yield* this.acquire(point, undefined, 'spin');
    return body();
  }

  /** spin_unlock_irq: same as unlock(). */
  unlockIrq(): void {
    this.unlock();
  }
}
