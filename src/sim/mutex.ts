/**
 * struct mutex (S3): a sleeping exclusive lock (see SleepingLock for the invariants).
 */
import type { Runtime } from './runtime.js';
import { SleepingLock } from './sleeping-lock.js';

/** mutex_lock / mutex_unlock / mutex_trylock. */
export class Mutex extends SleepingLock {
  readonly kind = 'mutex' as const;

  /** A mutex named `name` of lockdep class `cls` (default: the name). */
  constructor(rt: Runtime, name: string, cls?: string) {
    super(rt, name, cls, 'mutex_lock');
  }
}
