/**
 * spinlock_t (S3, L1): a busy-waiting lock; a task that finds it held is "spinning".
 *
 * Invariants:
 * - At most one holder; only the holder may unlock (anything else throws: a model error).
 * - Taking it is a scheduling point first; a spinning task is not runnable until release.
 * - Holding one while sleeping is a V7 bug the runtime reports (see Runtime.mightSleep).
 */
import { DONE } from './done.js';
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

  /** spin_lock. S1 point, then spin while held; finished at once when free and uncontended. */
  lock(site?: string): K<void> {
    return this.acquireNow(this.pLock, site) ? DONE : this.acquire(this.pLock, site, 'spin');
  }

  /** spin_lock_irq. Same as lock(); the label differs in traces. */
  lockIrq(site?: string): K<void> {
    return this.acquireNow(this.pLockIrq, site) ? DONE : this.acquire(this.pLockIrq, site, 'spin');
  }

  /** spin_unlock_irq: same as unlock(). */
  unlockIrq(): void {
    this.unlock();
  }
}
