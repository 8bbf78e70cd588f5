/**
 * spinlock_t (S3, L1): a busy-waiting lock; a task that finds it held is "spinning".
 *
 * Invariants:
 * - At most one holder; only the holder may unlock (anything else throws: a model error).
 * - Taking it is a scheduling point first; a spinning task is not runnable until release.
 * - Holding one while sleeping is a V7 bug the runtime reports (see Runtime.mightSleep).
 */
import { LockBase } from './lock-base.js';
import type { Runtime } from './runtime.js';
import type { Task } from './task.js';
import type { K, WaitDescription } from './types.js';

/** A spinlock; `lock`/`lockIrq` are spin_lock/spin_lock_irq (interrupts are not modelled). */
export class SpinLock extends LockBase {
  readonly kind = 'spinlock' as const;
  private owner: Task | null = null;
  private readonly pLock: string;
  private readonly pLockIrq: string;
  private readonly desc: WaitDescription;

  /** A spinlock named `name` of lockdep class `cls`. */
  constructor(rt: Runtime, name: string, cls?: string) {
    super(rt, name, cls);
    this.pLock = `spin_lock(${name})`;
    this.pLockIrq = `spin_lock_irq(${name})`;
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

  /** spin_lock. S1 point, then spin while held. */
  lock(site?: string): K<void> {
    return this.take(this.pLock, site);
  }

  /** spin_lock_irq. Same as lock(); the label differs in traces. */
  lockIrq(site?: string): K<void> {
    return this.take(this.pLockIrq, site);
  }

  /** spin_trylock: take it if free (no scheduling point); true on success. */
  trylock(site?: string): boolean {
    this.rt.touchLock(this);
    if (this.owner !== null) return false;
    const t = this.rt.current;
    this.rt.lockdep.acquire(t, this, this.rt.steps, site ?? this.pLock);
    this.grab(t, site ?? this.pLock);
    return true;
  }

  /** spin_unlock. Caller must hold it. */
  unlock(): void {
    const t = this.rt.current;
    if (this.owner !== t)
      this.rt.misuse(t, this, `spin_unlock(${this.name}) by ${t} but the holder is ${this.owner}`);
    this.owner = null;
    this.rt.noteRelease(t, this, 'exclusive');
    this.wakeWaiters(t);
  }

  /** spin_unlock_irq: same as unlock(). */
  unlockIrq(): void {
    this.unlock();
  }

  /** lockdep_assert_held: throws unless the current task holds it. */
  assertHeld(): void {
    const t = this.rt.current;
    if (this.owner !== t) throw new Error(`${this.name} not held by ${t} (holder ${this.owner})`);
  }

  private *take(point: string, site: string | undefined): K<void> {
    if (this.rt.preemptible) yield point;
    const rt = this.rt;
    const t = rt.current;
    rt.touchLock(this);
    rt.lockdep.acquire(t, this, rt.steps, site ?? point);
    while (this.owner !== null) {
      rt.noteContend(t, this, 'exclusive');
      this.wait(t, 'spin', this.desc);
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
