/**
 * Shared vocabulary of the deterministic kernel runtime (S1-S3).
 *
 * Invariants:
 * - Kernel code is a generator (`K<T>`) that yields only `Point` labels; between two yields a
 *   task runs alone (S1), so code holding a spinlock needs no other synchronisation.
 * - Everything here is a type: no runtime state lives in this module.
 */
import type { Task } from './task.js';

/** Scheduling state of a task; `sleeping` on the running task means "prepared to wait" (not yet descheduled). */
export type TaskState = 'running' | 'runnable' | 'spinning' | 'sleeping' | 'done';

/** A scheduling-point label, yielded by kernel code (interned string constants, e.g. 'spin_lock'). */
export type Point = string;

/** Kernel code: a generator that yields at scheduling points (S1) and returns T. */
export type K<T = void> = Generator<Point, T, void>;

/** Allocation sites that consult the fault injector (S4). */
export type AllocSite = 'radix-preload' | 'page-alloc' | 'huge-zero-page' | 'block-alloc';

/** Every allocation site, in a fixed order (for counters and validation). */
export const ALLOC_SITES: readonly AllocSite[] = [
  'radix-preload',
  'page-alloc',
  'huge-zero-page',
  'block-alloc',
];

/** Kinds of lock primitive (S3). */
export type LockKind = 'spinlock' | 'mutex' | 'rwsem' | 'page-lock';

/** A lock as seen by tasks, lockdep and reports (implemented by every primitive). */
export interface Lock {
  readonly kind: LockKind;
  /** Instance name, e.g. `tree_lock(file0)`. */
  readonly name: string;
  /** Lockdep class (V7); defaults to the instance name. */
  readonly cls: string;
  /** @internal Its X1 footprint key, `lock:<name>` (built once: touches are hot). */
  readonly fpKey: string;
  /** @internal The class's dense id in the runtime's lockdep, -1 until its first acquire. */
  lockdepClass: number;
  /** Whoever acquired it most recently (still holding or not). */
  readonly lastHolder: Task | null;
  /** Current holders (several for a read-held rw-semaphore). */
  holders(): readonly Task[];
}

/** A key of the DAX wait table (L2): (mapping, index). */
export interface WaitKey {
  mapping: { readonly id: number; readonly name?: string };
  index: number;
}

/** One task queued on a wait-table bucket (`wait_exceptional_entry_queue`). */
export interface Waiter {
  readonly task: Task;
  readonly key: WaitKey;
  readonly bucket: number;
  /** The table it is queued on. */
  readonly table: WaitQueueOwner;
  /** Still on its queue (false once woken, autoremove, or after finishWait). */
  queued: boolean;
}

/** The wait table as reports see it. */
export interface WaitQueueOwner {
  readonly name: string;
  /** The most recent wake-ups on a bucket, oldest first. */
  lastWakeups(bucket: number): readonly WakeRecord[];
  /** @internal Drop a waiter from its queue. */
  remove(w: Waiter): void;
  /** @internal The X1 footprint key of a bucket. */
  fpKey(bucket: number): string;
}

/** What a blocked task waits for (S3, V1 reports). */
export type WaitDescription =
  | { kind: 'lock'; lock: Lock; mode: 'exclusive' | 'read' | 'write' }
  | { kind: 'wait-queue'; table: WaitQueueOwner; bucket: number; key: WaitKey; waiter: Waiter }
  | { kind: 'schedule' };

/** Kinds of runtime-detected bugs (V2, V7, S3 misuse). */
export type SimBugKind =
  | 'sleep-with-spinlock'
  | 'sleep-in-atomic'
  | 'page-table-corruption'
  | 'spurious-sigbus'
  | 'unlock-not-held'
  | 'exit-holding-lock'
  | 'exit-on-wait-queue';

/** A bug the runtime noticed (V7: sleeping with a spinlock held; misuse of a primitive). */
export interface SimBug {
  kind: SimBugKind;
  /** Spec rule the bug breaks. */
  rule: 'V2' | 'V4' | 'V5' | 'V7' | 'S3';
  task: Task;
  lock: Lock | null;
  step: number;
  point: Point | null;
  message: string;
}

/** A wake-up recorded on a wait-table bucket, for lost wake-up reports (V1). */
export interface WakeRecord {
  step: number;
  waker: Task | null;
  key: WaitKey;
  all: boolean;
  woken: readonly Task[];
}

/** One task that is not done at quiescence (V1), with what it waits on. */
export interface StuckTask {
  task: Task;
  state: TaskState;
  point: Point | null;
  waitingOn: WaitDescription | { kind: 'after'; tasks: readonly Task[] } | null;
  /** For a lock wait: its current holders. */
  holders: readonly Task[];
  /** For a lock wait: the last task that acquired it. */
  lastHolder: Task | null;
  /** For a wait-queue sleep: the most recent wake-ups on that bucket, oldest first. */
  lastWakeups: readonly WakeRecord[];
  /** Names of the locks this task holds. */
  held: readonly string[];
}
