/**
 * An exclusive sleeping lock (S3): the shared body of Mutex and PageLock.
 *
 * Invariants:
 * - At most one holder; only the holder may unlock (anything else throws: a model error).
 * - Acquiring is a might-sleep point: calling it with a spinlock held is a V7 bug even when
 *   the lock happens to be free (like CONFIG_DEBUG_ATOMIC_SLEEP).
 * - Acquiring is a scheduling point first; a waiter sleeps until a release, then re-contends.
 */
import { DONE } from './done.js';
import { ExclusiveLock } from './exclusive-lock.js';
import type { Runtime } from './runtime.js';
import type { K, LockKind } from './types.js';

/** Exclusive lock whose waiters sleep. */
export abstract class SleepingLock extends ExclusiveLock {
  abstract override readonly kind: LockKind;

  /** A sleeping lock; `verb` names its acquire in traces (mutex_lock, lock_page). */
  constructor(rt: Runtime, name: string, cls: string | undefined, verb: string) {
    super(rt, name, cls, `${verb}(${name})`, `unlock of ${name}`);
  }

  /** Acquire: might-sleep check, S1 point, then sleep while held. */
  lock(site?: string): K<void> {
    this.rt.mightSleep(this.rt.current, this.pLock);
    return this.acquireNow(this.pLock, site) ? DONE : this.acquire(this.pLock, site, 'sleep');
  }
}
