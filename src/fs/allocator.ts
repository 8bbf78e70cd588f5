/**
 * The device block allocator of the iomap filesystem (F2): a sorted first-fit free-extent list
 * over the device, with a cap on the bytes it may hand out (scenario `fs.freeSpace`).
 *
 * Invariants (checked by `check()`):
 * - The first 4 KiB of the device (the "superblock") is never free and never handed out.
 * - Free extents are sorted, disjoint, non-adjacent (merged), block aligned, inside the device.
 * - `usedBytes + deviceFreeBytes === totalBytes`, and `usedBytes <= limitBytes`.
 * - Every allocation is all or nothing: a failed call changes nothing.
 * Placement: first fit at a device offset congruent to the file offset modulo the alignment
 * (so 2 MiB file blocks land on 2 MiB device blocks), else plain first fit. A fresh device
 * allocated sequentially keeps two free extents, so the scan is O(1) there.
 */
import { BLOCK_SIZE } from './iomap.js';

/** One free device range [start, end) in bytes. */
export interface FreeExtent {
  start: number;
  end: number;
}

/** A piece of an allocation: `length` bytes at device byte offset `phys`. */
export interface Piece {
  phys: number;
  length: number;
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

/** First-fit device block allocator with a free-space cap. F2. */
export class BlockAllocator {
  /** device bytes that files may ever own (the device minus the superblock) */
  readonly totalBytes: number;
  readonly limitBytes: number;
  private readonly free: FreeExtent[] = [];
  private used = 0;

  constructor(deviceBytes: number, limitBytes: number) {
    const end = Math.floor(deviceBytes / BLOCK_SIZE) * BLOCK_SIZE;
    if (!Number.isSafeInteger(end) || end < 2 * BLOCK_SIZE) {
      throw new RangeError(`BlockAllocator: device of ${deviceBytes} bytes has no room after the superblock`);
    }
    if (!Number.isSafeInteger(limitBytes) || limitBytes < 0) {
      throw new RangeError(`BlockAllocator: limitBytes ${limitBytes} must be a non-negative integer`);
    }
    this.free.push({ start: BLOCK_SIZE, end });
    this.totalBytes = end - BLOCK_SIZE;
    this.limitBytes = limitBytes;
  }

  /** Bytes handed out and not freed. */
  get usedBytes(): number {
    return this.used;
  }

  /** Bytes that may still be handed out: the cap's remainder or the device's free space, the lesser. */
  get freeBytes(): number {
    return Math.min(this.limitBytes - this.used, this.totalBytes - this.used);
  }

  /** Copies of the free extents, in device order. */
  freeExtents(): FreeExtent[] {
    return this.free.map((f) => ({ ...f }));
  }

  /** Length of the largest contiguous run that one allocation could get now (cap included). */
  largestContiguous(): number {
    let best = 0;
    for (const f of this.free) best = Math.max(best, f.end - f.start);
    return Math.min(best, Math.floor(this.freeBytes / BLOCK_SIZE) * BLOCK_SIZE);
  }

  /**
   * One contiguous run of `length` bytes for file offset `fileOffset`: at a device offset congruent
   * to it modulo `align` if any free extent allows, else first fit. Returns its device offset, or
   * null (nothing changed) when the cap or the device has no such run.
   */
  allocContiguous(length: number, align: number, fileOffset: number): number | null {
    assertRun('allocContiguous', length);
    if (length > this.freeBytes) return null;
    const want = mod(fileOffset, align);
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i]!;
      const phys = f.start + mod(want - f.start, align);
      if (phys + length <= f.end) return this.take(i, phys, length);
    }
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i]!;
      if (f.end - f.start >= length) return this.take(i, f.start, length);
    }
    return null;
  }

  /**
   * `length` bytes for file offset `fileOffset`, contiguous if possible, else first-fit pieces in
   * device order; null (nothing changed) when fewer than `length` bytes may be handed out.
   */
  allocPieces(length: number, align: number, fileOffset: number): Piece[] | null {
    assertRun('allocPieces', length);
    if (length > this.freeBytes) return null;
    const phys = this.allocContiguous(length, align, fileOffset);
    if (phys !== null) return [{ phys, length }];
    const pieces: Piece[] = [];
    let left = length;
    while (left > 0) {
      const f = this.free[0]!;
      const n = Math.min(left, f.end - f.start);
      pieces.push({ phys: this.take(0, f.start, n), length: n });
      left -= n;
    }
    return pieces;
  }

  /** True when every block of [phys, phys + length) is free on the device (the cap is not consulted). */
  isFree(phys: number, length: number): boolean {
    const f = this.free[this.indexAfter(phys) - 1];
    return f !== undefined && f.start <= phys && phys + length <= f.end;
  }

  /** True when any block of [phys, phys + length) is on the free list. */
  overlapsFree(phys: number, length: number): boolean {
    // Free extents are disjoint and sorted: the last one starting before the end reaches furthest.
    const f = this.free[this.indexAfter(phys + length - 1) - 1];
    return f !== undefined && f.end > phys;
  }

  /** Marks a caller-chosen run used (explicit extent sectors); throws if any block is not free. */
  reserve(phys: number, length: number): void {
    assertRun('reserve', length);
    if (!Number.isSafeInteger(phys) || phys % BLOCK_SIZE !== 0) {
      throw new RangeError(`BlockAllocator.reserve: device offset ${phys} is not block aligned`);
    }
    const i = this.indexAfter(phys) - 1;
    const f = this.free[i];
    if (f === undefined || f.start > phys || phys + length > f.end) {
      throw new RangeError(
        `BlockAllocator.reserve: device range [${phys}, +${length}) is not free (superblock, in use or past the end)`,
      );
    }
    if (length > this.limitBytes - this.used) {
      throw new RangeError(`BlockAllocator.reserve: ENOSPC: ${length} bytes exceed the free-space limit`);
    }
    this.take(i, phys, length);
  }

  /** Returns a run to the free list; throws on a double free or a range outside the device. */
  release(phys: number, length: number): void {
    assertRun('release', length);
    const i = this.indexAfter(phys);
    const prev = this.free[i - 1];
    const next = this.free[i];
    const end = phys + length;
    if (phys < BLOCK_SIZE || end > BLOCK_SIZE + this.totalBytes || phys % BLOCK_SIZE !== 0) {
      throw new RangeError(`BlockAllocator.release: [${phys}, +${length}) is outside the data area`);
    }
    if ((prev !== undefined && prev.end > phys) || (next !== undefined && next.start < end)) {
      throw new Error(`BlockAllocator.release: [${phys}, +${length}) is already (partly) free`);
    }
    this.used -= length;
    const joinPrev = prev !== undefined && prev.end === phys;
    const joinNext = next !== undefined && next.start === end;
    if (joinPrev && joinNext) {
      prev.end = next.end;
      this.free.splice(i, 1);
    } else if (joinPrev) prev.end = end;
    else if (joinNext) next.start = phys;
    else this.free.splice(i, 0, { start: phys, end });
  }

  /** Throws an Error naming the first broken invariant of the free list or the accounting. */
  check(): void {
    let freeSum = 0;
    let prevEnd = BLOCK_SIZE - 1;
    for (const f of this.free) {
      if (f.start % BLOCK_SIZE !== 0 || f.end % BLOCK_SIZE !== 0 || f.start >= f.end) {
        throw new Error(`BlockAllocator: bad free extent [${f.start}, ${f.end})`);
      }
      if (f.start <= prevEnd)
        throw new Error(`BlockAllocator: free extent at ${f.start} overlaps or touches`);
      prevEnd = f.end;
      freeSum += f.end - f.start;
    }
    if (prevEnd > BLOCK_SIZE + this.totalBytes)
      throw new Error('BlockAllocator: free extent past the device');
    if (freeSum + this.used !== this.totalBytes) {
      throw new Error(`BlockAllocator: free ${freeSum} + used ${this.used} != total ${this.totalBytes}`);
    }
    if (this.used > this.limitBytes)
      throw new Error(`BlockAllocator: used ${this.used} > limit ${this.limitBytes}`);
  }

  /** Index of the first free extent starting after `phys` (binary search). */
  private indexAfter(phys: number): number {
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.free[mid]!.start <= phys) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Carves [phys, phys + length) out of free extent i. */
  private take(i: number, phys: number, length: number): number {
    const f = this.free[i]!;
    const rest: FreeExtent[] = [];
    if (f.start < phys) rest.push({ start: f.start, end: phys });
    if (phys + length < f.end) rest.push({ start: phys + length, end: f.end });
    this.free.splice(i, 1, ...rest);
    this.used += length;
    return phys;
  }
}

function assertRun(what: string, length: number): void {
  if (!Number.isSafeInteger(length) || length <= 0 || length % BLOCK_SIZE !== 0) {
    throw new RangeError(`BlockAllocator.${what}: length ${length} must be a positive multiple of 4096`);
  }
}
