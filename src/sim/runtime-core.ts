/**
 * The state every primitive touches (S3, S5, V7): the current task, the clock, the trace,
 * lockdep and the bug list, plus the hooks primitives call to block, wake and account locks.
 * `Runtime` extends it with the scheduling loop.
 *
 * Invariants:
 * - `blockedOn`, `waitingOn` and `state` of a task change together, only through these hooks.
 * - Every hook emits its trace event only when `trace.enabled` (no allocation otherwise).
 * - A wait-queue wake never unblocks a task blocked on a lock (it only clears its sleep mark).
 */
import { Lockdep } from './lockdep.js';
import type { Task } from './task.js';
import type { Trace } from './trace.js';
import type { Lock, SimBug, SimBugKind, WaitDescription, WaitKey } from './types.js';
import { formatWaitKey } from './wait-table.js';

/** Clock, current task, trace, lockdep, bugs, and the primitives' hooks. */
export abstract class RuntimeCore {
  readonly trace: Trace;
  readonly lockdep = new Lockdep();
  readonly bugs: SimBug[] = [];
  protected cur: Task | null = null;
  protected stepCount = 0;
  /** Some task's runnability may have changed since the runnable list was built. */
  protected runqDirty = true;
  /** The running step's footprint (X1 sleep sets), or null when footprints are off or between steps. */
  protected fp: Set<string> | null = null;
  /** The key added to `fp` last: instrumented code touches one key many times in a row. */
  protected fpLast = '';

  /** Core state around a trace. */
  constructor(trace: Trace) {
    this.trace = trace;
  }

  /** Scheduling decisions taken so far (the simulated clock). */
  get steps(): number {
    return this.stepCount;
  }

  /** The running task (the kernel's `current`); throws outside a task. */
  get current(): Task {
    if (this.cur === null)
      throw new Error('Runtime.current: no task is running (called outside a task body)');
    return this.cur;
  }

  /** The running task, or null outside a task. */
  get currentOrNull(): Task | null {
    return this.cur;
  }

  /** Emit a `model` trace event from the current task (no-op when tracing is off). */
  model(
    name: string,
    rule?: string,
    fields?: Record<string, string | number | boolean>,
    text?: string,
  ): void {
    if (!this.trace.enabled) return;
    const e: { type: 'model'; task: number; step: number; name: string; rule?: string } & Record<
      string,
      unknown
    > = {
      type: 'model',
      task: this.cur?.id ?? -1,
      step: this.stepCount,
      name,
    };
    if (rule !== undefined) e.rule = rule;
    if (fields !== undefined) e.fields = fields;
    if (text !== undefined) e.text = text;
    this.trace.emit(e as never);
  }

  /** Whether the running step records a footprint (then callers may build keys). */
  get footprinting(): boolean {
    return this.fp !== null;
  }

  /**
   * Add a shared-object key to the running step's footprint (X1 sleep sets); a no-op when
   * footprints are off. Key `*` makes the step dependent on every other step.
   */
  touch(key: string): void {
    if (this.fp !== null && key !== this.fpLast) {
      this.fp.add(key);
      this.fpLast = key;
    }
  }

  /** Footprint a lock operation (acquire attempt, contend, release, wake) as `lock:<name>`. */
  touchLock(lock: Lock): void {
    if (this.fp !== null) this.fp.add(lock.fpKey);
  }

  /** Footprint a change to `t`'s scheduling state (a wake-up changes its next step). */
  protected touchTask(t: Task): void {
    if (this.fp !== null) this.fp.add(t.fpKey);
  }

  // ---- hooks for the primitives (S3); @internal ----

  /** @internal Deschedule `t` (the current task): spinning on, or sleeping for, `desc`. */
  block(t: Task, how: 'spin' | 'sleep', desc: WaitDescription): void {
    const to = how === 'spin' ? 'spinning' : 'sleeping';
    this.touchTask(t);
    if (desc.kind === 'lock') this.touchLock(desc.lock);
    if (this.trace.enabled && t.state !== to) {
      this.trace.emit({ type: 'state', step: this.stepCount, task: t.id, from: t.state, to });
    }
    t.blockedOn = how;
    this.runqDirty = true;
    t.waitingOn = desc;
    t.state = to;
  }

  /** @internal A lock release makes a blocked waiter runnable again (it re-contends). */
  unblock(t: Task, waker: Task | null, on: string): void {
    if (t.blockedOn === null || t.waitingOn?.kind !== 'lock') return;
    this.touchTask(t);
    this.touchLock(t.waitingOn.lock);
    this.makeRunnable(t, waker, on, undefined, undefined);
  }

  /** @internal try_to_wake_up for a wait-queue waiter: clears the sleep mark, runs it if asleep. */
  wakeSleeper(t: Task, waker: Task | null, on: string, bucket: number, key: WaitKey): void {
    t.sleepMark = false;
    this.touchTask(t);
    if (t.blockedOn === 'sleep' && t.waitingOn?.kind !== 'lock') {
      this.makeRunnable(t, waker, on, bucket, key);
      return;
    }
    if (t === this.cur) t.state = 'running';
    if (this.trace.enabled) {
      const e = {
        type: 'wake' as const,
        step: this.stepCount,
        waker: waker?.id ?? -1,
        wakee: t.id,
        on,
        bucket,
      };
      this.trace.emit({ ...e, key: formatWaitKey(key) });
    }
  }

  /** @internal set_current_state(TASK_UNINTERRUPTIBLE) (prepare_to_wait). */
  markSleeping(t: Task): void {
    this.touchTask(t);
    if (this.trace.enabled && t.state !== 'sleeping') {
      this.trace.emit({ type: 'state', step: this.stepCount, task: t.id, from: t.state, to: 'sleeping' });
    }
    t.sleepMark = true;
    t.state = 'sleeping';
  }

  /** @internal __set_current_state(TASK_RUNNING) (finish_wait). */
  markRunning(t: Task): void {
    this.touchTask(t);
    if (this.trace.enabled && t.state !== 'running') {
      this.trace.emit({ type: 'state', step: this.stepCount, task: t.id, from: t.state, to: 'running' });
    }
    t.sleepMark = false;
    t.state = 'running';
  }

  /**
   * @internal might_sleep(): sleeping with a spinlock held, or with preemption disabled, is a
   * V7 bug (reported, not thrown).
   */
  mightSleep(t: Task, what: string): void {
    const s = t.heldSpinlock();
    if (s !== null)
      this.reportBug(
        'sleep-with-spinlock',
        'V7',
        t,
        s,
        `${t} may sleep in ${what} holding spinlock ${s.name}`,
      );
    else if (t.preemptCount > 0)
      this.reportBug('sleep-in-atomic', 'V7', t, null, `${t} may sleep in ${what} with preemption disabled`);
  }

  /** preempt_disable() for the running task (radix_tree_preload's success keeps it). G3, V7. */
  preemptDisable(): void {
    this.current.preemptCount++;
  }

  /** preempt_enable() (radix_tree_preload_end). G3, V7. */
  preemptEnable(): void {
    const t = this.current;
    if (t.preemptCount <= 0) throw new Error(`${t}: preempt_enable without preempt_disable`);
    t.preemptCount--;
  }

  /** @internal A broken precondition of a primitive: record it, then throw (a model error). */
  misuse(t: Task, lock: Lock, message: string): never {
    this.reportBug('unlock-not-held', 'S3', t, lock, message);
    throw new Error(message);
  }

  /** @internal `t` found `lock` unavailable. */
  noteContend(t: Task, lock: Lock, mode: 'exclusive' | 'read' | 'write'): void {
    this.touchLock(lock);
    if (this.trace.enabled) this.lockEvent(t, lock, 'contend', mode);
  }

  /** @internal `t` now holds `lock`. */
  noteAcquire(t: Task, lock: Lock, mode: 'exclusive' | 'read' | 'write', site: string): void {
    this.touchLock(lock);
    t.pushHeld(lock, this.stepCount, site);
    if (this.trace.enabled) this.lockEvent(t, lock, 'acquire', mode);
  }

  /** @internal `t` released `lock` (the primitive already checked ownership). */
  noteRelease(t: Task, lock: Lock, mode: 'exclusive' | 'read' | 'write'): void {
    this.touchLock(lock);
    t.dropHeld(lock);
    if (this.trace.enabled) this.lockEvent(t, lock, 'release', mode);
  }

  /** Record a runtime-detected bug (and trace it). */
  reportBug(kind: SimBugKind, rule: SimBug['rule'], t: Task, lock: Lock | null, message: string): void {
    this.bugs.push({ kind, rule, task: t, lock, step: this.stepCount, point: t.point, message });
    if (this.trace.enabled) {
      const e = { type: 'bug' as const, step: this.stepCount, task: t.id, kind, message };
      this.trace.emit(lock === null ? e : { ...e, lock: lock.name });
    }
  }

  private makeRunnable(t: Task, waker: Task | null, on: string, bucket?: number, key?: WaitKey): void {
    if (this.trace.enabled) {
      const step = this.stepCount;
      const e = { type: 'wake' as const, step, waker: waker?.id ?? -1, wakee: t.id, on };
      this.trace.emit(key === undefined ? e : { ...e, bucket, key: formatWaitKey(key) });
      this.trace.emit({ type: 'state', step, task: t.id, from: t.state, to: 'runnable' });
    }
    t.blockedOn = null;
    t.waitingOn = null;
    t.state = 'runnable';
    this.runqDirty = true;
  }

  private lockEvent(
    t: Task,
    lock: Lock,
    op: 'acquire' | 'contend' | 'release',
    mode: 'exclusive' | 'read' | 'write',
  ) {
    this.trace.emit({
      type: 'lock',
      step: this.stepCount,
      task: t.id,
      op,
      lock: lock.name,
      cls: lock.cls,
      kind: lock.kind,
      mode,
    });
  }
}
