/**
 * The body shared by every exclusive lock (S3): one holder, trylock, unlock, and the
 * acquire loop that spins (spinlock) or sleeps (mutex, page lock) while the lock is held.
 *
 * Invariants:
 * - At most one holder; only the holder may unlock (anything else is a model error).
 * - Acquiring is a scheduling point first (elided when forced, see Runtime.otherRunnable); a
 *   waiter is not runnable until a release, then contends again.
 */
import { LockBase } from './lock-base.js';
import type { Runtime } from './runtime.js';
import type { Task } from './task.js';
import type { K, LockKind, WaitDescription } from './types.js';

/** An exclusive lock; subclasses choose how waiters wait and how acquires are labelled. */
export abstract class ExclusiveLock extends LockBase {
  abstract override readonly kind: LockKind;
  private owner: Task | null = null;
  private readonly desc: WaitDescription;

  /** `pLock` labels the acquire point; `releaseLabel` names the release in misuse reports. */
  constructor(
    rt: Runtime,
    name: string,
    cls: string | undefined,
    protected readonly pLock: string,
    private readonly releaseLabel: string,
  ) {
    super(rt, name, cls);
    this.desc = { kind: 'lock', lock: this, mode: 'exclusive' };
  }

  /** The holding task, or null. */
  get holder(): Task | null {
    this.rt.touchLock(this);
    return this.owner;
  }

  /** Tasks currently holding the lock (zero or one). */
  holders(): readonly Task[] {
    return this.owner === null ? [] : [this.owner];
  }

  /** Take it if free (no scheduling point); true on success. */
  trylock(site?: string): boolean {
    this.rt.touchLock(this);
    if (this.owner !== null) return false;
    const t = this.rt.current;
    this.rt.lockdep.acquire(t, this, this.rt.steps, site ?? this.pLock);
    this.grab(t, site ?? this.pLock);
    return true;
  }

  /** Release; the caller must hold it. */
  unlock(): void {
    const t = this.rt.current;
    if (this.owner !== t)
      this.rt.misuse(t, this, `${this.releaseLabel} by ${t} but the holder is ${this.owner}`);
    this.owner = null;
    this.rt.noteRelease(t, this, 'exclusive');
    this.wakeWaiters(t);
  }

  /** lockdep_assert_held: throws unless the current task holds it. */
  assertHeld(): void {
    const t = this.rt.current;
    if (this.owner !== t) throw new Error(`${this.name} not held by ${t} (holder ${this.owner})`);
  }

  /**
   * The acquire, uncontended with no other task runnable: exactly what `acquire` does when its point
   * is elided and the lock is free, without a generator. false (nothing done) otherwise.
   */
  protected acquireNow(point: string, site: string | undefined): boolean {
    const rt = this.rt;
    if (this.owner !== null || rt.otherRunnable) return false;
    const t = rt.current;
    rt.touchLock(this);
    rt.lockdep.acquire(t, this, rt.steps, site ?? point);
    this.grab(t, site ?? point);
    return true;
  }

  /** The acquire: S1 point, then wait (`spin` or `sleep`) while held, then take it. */
  protected *acquire(point: string, site: string | undefined, how: 'spin' | 'sleep'): K<void> {
    const rt = this.rt;
    if (rt.otherRunnable) yield point;
    const t = rt.current;
    rt.touchLock(this);
    rt.lockdep.acquire(t, this, rt.steps, site ?? point);
    while (this.owner !== null) {
      rt.noteContend(t, this, 'exclusive');
      this.wait(t, how, this.desc);
      yield point;
    }
    this.grab(t, site ?? point);
  }

  private grab(t: Task, site: string): void {
    this.owner = t;
    this.last = t;
    this.rt.noteAcquire(t, this, 'exclusive', site);
  }
}
