/**
 * An exclusive sleeping lock (S3): the shared body of Mutex and PageLock.
 *
 * Invariants:
 * - At most one holder; only the holder may unlock (anything else throws: a model error).
 * - Acquiring is a might-sleep point: calling it with a spinlock held is a V7 bug even when
 *   the lock happens to be free (like CONFIG_DEBUG_ATOMIC_SLEEP).
 * - Acquiring is a scheduling point first; a waiter sleeps until a release, then re-contends.
 */
import { LockBase } from './lock-base.js';
import type { Runtime } from './runtime.js';
import type { Task } from './task.js';
import type { K, LockKind, WaitDescription } from './types.js';

/** Exclusive lock whose waiters sleep. */
export abstract class SleepingLock extends LockBase {
  abstract override readonly kind: LockKind;
  private owner: Task | null = null;
  private readonly pLock: string;
  private readonly desc: WaitDescription;

  /** A sleeping lock; `verb` names its acquire in traces (mutex_lock, lock_page). */
  constructor(rt: Runtime, name: string, cls: string | undefined, verb: string) {
    super(rt, name, cls);
    this.pLock = `${verb}(${name})`;
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

  /** Acquire: might-sleep check, S1 point, then sleep while held. */
  *lock(site?: string): K<void> {
    const rt = this.rt;
    rt.mightSleep(rt.current, this.pLock);
    if (rt.preemptible) yield this.pLock;
    const t = rt.current;
    rt.touchLock(this);
    rt.lockdep.acquire(t, this, rt.steps, site ?? this.pLock);
    while (this.owner !== null) {
      rt.noteContend(t, this, 'exclusive');
      this.wait(t, 'sleep', this.desc);
      yield this.pLock;
    }
    this.grab(t, site ?? this.pLock);
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
      this.rt.misuse(t, this, `unlock of ${this.name} by ${t} but the holder is ${this.owner}`);
    this.owner = null;
    this.rt.noteRelease(t, this, 'exclusive');
    this.wakeWaiters(t);
  }

  /** Throws unless the current task holds it. */
  assertHeld(): void {
    const t = this.rt.current;
    if (this.owner !== t) throw new Error(`${this.name} not held by ${t} (holder ${this.owner})`);
  }

  private grab(t: Task, site: string): void {
    this.owner = t;
    this.last = t;
    this.rt.noteAcquire(t, this, 'exclusive', site);
  }
}
