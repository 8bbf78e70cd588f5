/**
 * struct rw_semaphore (S3): shared readers or one writer, with writer preference.
 *
 * Invariants:
 * - `writer !== null` implies `readers === 0`.
 * - Writer preference: while a writer waits, new readers wait too (so a reader that already
 *   holds it and asks again can deadlock against a waiting writer, as in the kernel).
 * - Acquiring is a might-sleep point (V7) and a scheduling point first; waiters sleep and
 *   re-contend after a release.
 */
import { DONE } from './done.js';
import { LockBase } from './lock-base.js';
import type { Runtime } from './runtime.js';
import type { Task } from './task.js';
import type { K, WaitDescription } from './types.js';

/** down_read / up_read / down_write / up_write. */
export class RwSemaphore extends LockBase {
  readonly kind = 'rwsem' as const;
  private readonly readerTasks: Task[] = [];
  private writerTask: Task | null = null;
  private writersWaiting = 0;
  private readonly pRead: string;
  private readonly pWrite: string;
  private readonly descRead: WaitDescription;
  private readonly descWrite: WaitDescription;

  /** An rw-semaphore named `name` of lockdep class `cls` (default: the name). */
  constructor(rt: Runtime, name: string, cls?: string) {
    super(rt, name, cls);
    this.pRead = `down_read(${name})`;
    this.pWrite = `down_write(${name})`;
    this.descRead = { kind: 'lock', lock: this, mode: 'read' };
    this.descWrite = { kind: 'lock', lock: this, mode: 'write' };
  }

  /** Number of tasks holding it for read. */
  get readers(): number {
    return this.readerTasks.length;
  }

  /** The task holding it for write, or null. */
  get writer(): Task | null {
    return this.writerTask;
  }

  /** Writers currently waiting (they block new readers). */
  get waitingWriters(): number {
    return this.writersWaiting;
  }

  /** Tasks holding it (readers, or the writer). */
  holders(): readonly Task[] {
    return this.writerTask === null ? this.readerTasks : [this.writerTask];
  }

  /** down_read: waits while a writer holds it or waits for it. */
  downRead(site?: string): K<void> {
    const rt = this.rt;
    rt.mightSleep(rt.current, this.pRead);
    if (this.writerTask !== null || this.writersWaiting > 0 || rt.otherRunnable)
      return this.downReadSlow(site);
    // Free for readers and the point would be elided: what downReadSlow does, without a generator.
    const t = rt.current;
    rt.touchLock(this);
    rt.lockdep.acquire(t, this, rt.steps, site ?? this.pRead);
    this.takeRead(t, site);
    return DONE;
  }

  private *downReadSlow(site: string | undefined): K<void> {
    const rt = this.rt;
    if (rt.otherRunnable) yield this.pRead;
    const t = rt.current;
    rt.touchLock(this);
    rt.lockdep.acquire(t, this, rt.steps, site ?? this.pRead);
    while (this.writerTask !== null || this.writersWaiting > 0) {
      rt.noteContend(t, this, 'read');
      this.wait(t, 'sleep', this.descRead);
      yield this.pRead;
    }
    this.takeRead(t, site);
  }

  private takeRead(t: Task, site: string | undefined): void {
    this.readerTasks.push(t);
    this.last = t;
    this.rt.noteAcquire(t, this, 'read', site ?? this.pRead);
  }

  /** up_read: the caller must hold it for read. */
  upRead(): void {
    const t = this.rt.current;
    const i = this.readerTasks.indexOf(t);
    if (i < 0) this.rt.misuse(t, this, `up_read(${this.name}) by ${t}, which does not hold it for read`);
    // Not splice: it allocates the removed-elements array on every up_read.
    const readers = this.readerTasks;
    for (let j = i + 1; j < readers.length; j++) readers[j - 1] = readers[j]!;
    readers.pop();
    this.rt.noteRelease(t, this, 'read');
    if (this.readerTasks.length === 0) this.wakeWaiters(t);
  }

  /** down_write: announces itself (blocking new readers), then waits for exclusivity. */
  downWrite(site?: string): K<void> {
    const rt = this.rt;
    rt.mightSleep(rt.current, this.pWrite);
    if (this.writerTask !== null || this.readerTasks.length > 0 || rt.otherRunnable) {
      return this.downWriteSlow(site);
    }
    const t = rt.current;
    rt.touchLock(this);
    rt.lockdep.acquire(t, this, rt.steps, site ?? this.pWrite);
    this.takeWrite(t, site);
    return DONE;
  }

  private *downWriteSlow(site: string | undefined): K<void> {
    const rt = this.rt;
    if (rt.otherRunnable) yield this.pWrite;
    const t = rt.current;
    rt.touchLock(this);
    rt.lockdep.acquire(t, this, rt.steps, site ?? this.pWrite);
    if (this.writerTask !== null || this.readerTasks.length > 0) {
      this.writersWaiting++;
      while (this.writerTask !== null || this.readerTasks.length > 0) {
        rt.noteContend(t, this, 'write');
        this.wait(t, 'sleep', this.descWrite);
        yield this.pWrite;
      }
      this.writersWaiting--;
    }
    this.takeWrite(t, site);
  }

  private takeWrite(t: Task, site: string | undefined): void {
    this.writerTask = t;
    this.last = t;
    this.rt.noteAcquire(t, this, 'write', site ?? this.pWrite);
  }

  /** up_write: the caller must hold it for write. */
  upWrite(): void {
    const t = this.rt.current;
    if (this.writerTask !== t) {
      this.rt.misuse(t, this, `up_write(${this.name}) by ${t} but the writer is ${this.writerTask}`);
    }
    this.writerTask = null;
    this.rt.noteRelease(t, this, 'write');
    this.wakeWaiters(t);
  }
}
