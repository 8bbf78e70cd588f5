/**
 * The page lock, PG_locked (S3, E1: hole pages are locked with it, not with the entry bit).
 * A sleeping exclusive lock (see SleepingLock for the invariants).
 */
import type { Runtime } from './runtime.js';
import { SleepingLock } from './sleeping-lock.js';

/** lock_page / unlock_page / trylock_page. */
export class PageLock extends SleepingLock {
  readonly kind = 'page-lock' as const;

  /** The lock of the page named `name` (its own lockdep class). */
  constructor(rt: Runtime, name: string) {
    super(rt, name, undefined, 'lock_page');
  }
}
