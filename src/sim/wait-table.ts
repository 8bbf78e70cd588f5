/**
 * The DAX entry wait table (L2, L3, L4): 2^bits hashed wait queues of exclusive, keyed waiters
 * (`wait_table` + `wake_exceptional_entry_func` in fs/dax.c, 4.10).
 *
 * Invariants:
 * - A waiter is on exactly the bucket `queueOf(key)` while `queued`; FIFO order per bucket.
 * - A wake-up considers only waiters whose key matches (same mapping id and index); others on
 *   the same bucket are skipped and do not count toward wake-one (L2). Like try_to_wake_up, a
 *   waiter whose task is no longer marked sleeping is not woken and not counted.
 * - A woken waiter leaves the queue at once (autoremove_wake_function).
 * - Each bucket remembers its last WAKE_HISTORY wake-up calls (who woke which key, whom)
 *   for lost wake-up reports (V1).
 */
import type { Runtime } from './runtime.js';
import type { Task } from './task.js';
import type { Waiter, WaitKey, WaitQueueOwner, WakeRecord } from './types.js';

/** How many wake-up calls per bucket a stuck report can show. */
export const WAKE_HISTORY = 8;

/** Options of WaitTable. */
export interface WaitTableOptions {
  /** log2 of the number of queues (default 12: 4096, DAX_WAIT_TABLE_BITS). */
  bits?: number;
  /** Custom hash (tests force collisions with it); reduced modulo the table size. */
  hash?: (k: WaitKey) => number;
  /** Name in reports (default 'wait_table'). */
  name?: string;
}

/** A queued waiter (wait_exceptional_entry_queue). */
class WaitEntry implements Waiter {
  queued = false;
  constructor(
    readonly task: Task,
    readonly key: WaitKey,
    readonly bucket: number,
    readonly table: WaitTable,
  ) {}
}

/** Render a key as `mapping:0xINDEX` for reports and traces. */
export function formatWaitKey(k: WaitKey): string {
  return `${k.mapping.name ?? `mapping${k.mapping.id}`}:0x${k.index.toString(16)}`;
}

/** True when two keys name the same entry (same mapping id and index). */
export function sameWaitKey(a: WaitKey, b: WaitKey): boolean {
  return a.index === b.index && (a.mapping === b.mapping || a.mapping.id === b.mapping.id);
}

/** hash_long(mapping ^ index, bits): golden-ratio multiplicative hash of both parts. L2. */
export function defaultWaitHash(k: WaitKey, bits: number): number {
  const hi = Math.floor(k.index / 0x1_0000_0000);
  const x = (Math.imul(k.mapping.id + 1, 0x9e3779b1) ^ k.index ^ Math.imul(hi, 0x85ebca6b)) >>> 0;
  return Math.imul(x, 0x61c88647) >>> (32 - bits);
}

/**
 * Footprint key strings by table name and bucket. Shared by every World's table of a name:
 * the checker builds a table per execution, and building its keys again each time (the
 * first store at a bucket number also made a per-table sparse array) was 1.4% of a dfs.
 * Pure strings, so sharing them shares no model state; bounded per name.
 */
const FP_KEYS = new Map<string, Map<number, string>>();
const FP_KEYS_PER_NAME = 1 << 16;

function fpKeysOf(name: string): Map<number, string> {
  let keys = FP_KEYS.get(name);
  if (keys === undefined) {
    keys = new Map();
    FP_KEYS.set(name, keys);
  }
  return keys;
}

/** The hashed wait queues of L2. */
export class WaitTable implements WaitQueueOwner {
  readonly name: string;
  readonly bits: number;
  readonly size: number;
  private readonly rt: Runtime;
  /** This table name's footprint keys, shared with every table of the name (fpKeysOf). */
  private readonly fpKeys: Map<number, string>;
  private readonly hash: ((k: WaitKey) => number) | undefined;
  private readonly queues = new Map<number, WaitEntry[]>();
  private readonly history = new Map<number, WakeRecord[]>();

  /** A table of 2^bits queues for runtime `rt`. */
  constructor(rt: Runtime, opts: WaitTableOptions = {}) {
    const bits = opts.bits ?? 12;
    if (!Number.isInteger(bits) || bits < 0 || bits > 24)
      throw new RangeError(`WaitTable: bits ${bits} must be 0..24`);
    this.rt = rt;
    this.bits = bits;
    this.size = 1 << bits;
    this.hash = opts.hash;
    this.name = opts.name ?? 'wait_table';
    this.fpKeys = fpKeysOf(this.name);
  }

  /** dax_entry_waitqueue: the bucket number of a key. */
  queueOf(key: WaitKey): number {
    const b = this.bucketOf(key);
    // Every queue operation finds its bucket here: footprint the whole bucket (X1), which
    // over-approximates the key (hash collisions share a queue).
    if (this.rt.footprinting) this.rt.touch(this.fpKey(b));
    return b;
  }

  /** @internal The X1 footprint key of bucket `b`, `wq:<table>:<b>`, built once per process. */
  fpKey(b: number): string {
    let k = this.fpKeys.get(b);
    if (k === undefined) {
      k = `wq:${this.name}:${b}`;
      if (this.fpKeys.size < FP_KEYS_PER_NAME) this.fpKeys.set(b, k);
    }
    return k;
  }

  private bucketOf(key: WaitKey): number {
    if (this.hash === undefined) return this.bits === 0 ? 0 : defaultWaitHash(key, this.bits);
    const h = this.hash(key);
    if (!Number.isInteger(h)) throw new RangeError(`WaitTable: custom hash returned ${h}, not an integer`);
    return (h >>> 0) % this.size;
  }

  /** waitqueue_active: whether anyone waits on the key's bucket (any key). */
  active(key: WaitKey): boolean {
    return (this.queues.get(this.queueOf(key))?.length ?? 0) > 0;
  }

  /** The waiters queued on a bucket, FIFO. */
  waiters(bucket: number): readonly Waiter[] {
    if (!Number.isInteger(bucket) || bucket < 0 || bucket >= this.size) {
      throw new RangeError(`WaitTable.waiters: bucket ${bucket} outside 0..${this.size - 1}`);
    }
    return this.queues.get(bucket) ?? [];
  }

  /** Every queued waiter, by bucket then FIFO (for V1/V2 checks). */
  allWaiters(): Waiter[] {
    const out: Waiter[] = [];
    for (const b of [...this.queues.keys()].sort((x, y) => x - y)) out.push(...this.queues.get(b)!);
    return out;
  }

  /** Number of waiters queued with exactly this key. */
  waitersFor(key: WaitKey): number {
    let n = 0;
    for (const w of this.queues.get(this.queueOf(key)) ?? []) if (sameWaitKey(w.key, key)) n++;
    return n;
  }

  /** prepare_to_wait_exclusive: queue current task with key, mark it sleeping (not yet descheduled). L3. */
  prepareToWaitExclusive(key: WaitKey): Waiter {
    const rt = this.rt;
    const t = rt.current;
    if (t.waiter?.queued) {
      throw new Error(
        `prepareToWaitExclusive: ${t} is still queued with ${formatWaitKey(t.waiter.key)} (missing finishWait?)`,
      );
    }
    const bucket = this.queueOf(key);
    const w = new WaitEntry(t, key, bucket, this);
    let q = this.queues.get(bucket);
    if (q === undefined) {
      q = [];
      this.queues.set(bucket, q);
    }
    q.push(w);
    w.queued = true;
    t.waiter = w;
    rt.markSleeping(t);
    return w;
  }

  /** finish_wait: leave the queue if still on it, mark running. Current task only. L3. */
  finishWait(w: Waiter): void {
    const t = this.rt.current;
    if (w.task !== t) throw new Error(`finishWait: waiter belongs to ${w.task}, called by ${t}`);
    if (this.rt.footprinting) this.rt.touch(this.fpKey(w.bucket));
    if (w.queued) this.remove(w);
    if (t.waiter === w) t.waiter = null;
    this.rt.markRunning(t);
  }

  /**
   * __wake_up with the DAX key-matching wake function (dax_wake_mapping_entry_waiter): wake
   * one (or all) waiters whose key matches; others on the same queue are skipped and do not
   * count. Returns how many were woken; a woken waiter leaves the queue (autoremove). L2, L4.
   */
  wakeUp(key: WaitKey, all: boolean): number {
    const rt = this.rt;
    const bucket = this.queueOf(key);
    const waker = rt.currentOrNull;
    const woken: Task[] = [];
    const q = this.queues.get(bucket);
    if (q !== undefined) {
      for (let i = 0; i < q.length; ) {
        const w = q[i]!;
        if (!sameWaitKey(w.key, key) || !w.task.sleepMark) {
          i++;
          continue;
        }
        q.splice(i, 1);
        w.queued = false;
        rt.wakeSleeper(w.task, waker, this.name, bucket, key);
        woken.push(w.task);
        if (!all) break;
      }
      if (q.length === 0) this.queues.delete(bucket);
    }
    this.remember(bucket, { step: rt.steps, waker, key, all, woken });
    if (rt.trace.enabled) {
      rt.trace.emit({
        type: 'wake-call',
        step: rt.steps,
        task: waker?.id ?? -1,
        bucket,
        key: formatWaitKey(key),
        all,
        woken: woken.length,
      });
    }
    return woken.length;
  }

  /** The most recent wake-up calls on a bucket, oldest first. */
  lastWakeups(bucket: number): readonly WakeRecord[] {
    return this.history.get(bucket) ?? [];
  }

  /** @internal Drop a waiter from its queue (finish_wait, or a task that exited queued). */
  remove(w: Waiter): void {
    const q = this.queues.get(w.bucket);
    const i = q?.indexOf(w as WaitEntry) ?? -1;
    if (q !== undefined && i >= 0) {
      q.splice(i, 1);
      if (q.length === 0) this.queues.delete(w.bucket);
    }
    w.queued = false;
  }

  private remember(bucket: number, r: WakeRecord): void {
    let h = this.history.get(bucket);
    if (h === undefined) {
      h = [];
      this.history.set(bucket, h);
    }
    h.push(r);
    if (h.length > WAKE_HISTORY) h.shift();
  }
}
