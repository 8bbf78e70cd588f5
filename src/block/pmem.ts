/**
 * The persistent-memory block device (B1, B2): byte addressable, with a base pfn, a volatile
 * CPU-cache view over durable media, and lazily allocated storage.
 *
 * Invariants:
 * - The device's first byte has physical address `basePhys = 2^40 + baseAlignBytes`: aligned to
 *   `baseAlignBytes` and to no larger power of two, and above every RAM pfn of the mm model.
 * - Storage exists only for 64 KiB chunks that were written; a missing chunk reads as zeros in
 *   both views. Durable zeroing of a whole chunk frees it again.
 * - `dirtyLines` counts exactly the set dirty bits of all chunks, and `dirtyChunks` holds exactly
 *   the chunks with at least one dirty line.
 * - Stores land in the cache view only; write(2)-style writes land in media and cache; flush and
 *   crash are the only ways cache bytes reach media.
 */
import type { Errno } from '../lib/errno.js';
import { CHUNK_BYTES, MediaChunk } from './chunk.js';

const PAGE_BYTES = 4096;
const SECTOR_BYTES = 512;
const SECTORS_PER_PAGE = PAGE_BYTES / SECTOR_BYTES;
const PHYS_BASE = 2 ** 40;
/** The largest base alignment the model takes (1 GiB). */
export const MAX_BASE_ALIGN = 2 ** 30;
/** The largest device the model takes (1 PiB): pfns must stay exact. */
export const MAX_DEVICE_BYTES = 2 ** 50;
const SMALL_COPY = 64;

/** Construction options of a PmemDevice (scenario `device` keys). */
export interface PmemOptions {
  sizeBytes: number;
  /** the device's first byte is aligned to this and no larger power of two; default 2 MiB */
  baseAlignBytes?: number;
  /** memory has page structures (pfn_t_devmap); default true */
  devmap?: boolean;
}

/** What bdev_direct_access reports: the pfn of a sector and the bytes usable from there. */
export interface DaxRange {
  pfn: number;
  lengthBytes: number;
  devmap: boolean;
}

/** A crash's choice of lost lines: all, or each with probability 1/2 from a seeded PRNG. */
export type CrashLoss = 'all' | { prng: { float(): number } };

function copyBytes(src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number, n: number): void {
  if (n <= SMALL_COPY) {
    for (let i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i]!;
  } else {
    dst.set(src.subarray(srcOff, srcOff + n), dstOff);
  }
}

/** A pmem namespace (/dev/pmem0) with DAX support. B1, B2. */
export class PmemDevice {
  readonly sizeBytes: number;
  readonly baseAlignBytes: number;
  /** physical address of the device's first byte */
  readonly basePhys: number;
  readonly basePfn: number;
  readonly devmap: boolean;
  /** failure hook (M7 `device-error`): return an Errno to make directAccess fail */
  directAccessHook?: (sector: number, lenBytes: number) => Errno | null;

  private readonly chunks = new Map<number, MediaChunk>();
  private readonly dirtyChunks = new Set<number>();
  private dirtyLineCount = 0;
  private cachedChunks = 0;

  constructor(opts: PmemOptions) {
    const { sizeBytes } = opts;
    const align = opts.baseAlignBytes ?? 2 * 1024 * 1024;
    if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0 || sizeBytes % PAGE_BYTES !== 0) {
      throw new RangeError(`PmemDevice: sizeBytes ${sizeBytes} must be a positive multiple of 4096`);
    }
    if (sizeBytes > MAX_DEVICE_BYTES) {
      throw new RangeError(`PmemDevice: sizeBytes ${sizeBytes} exceeds the model's limit of 2^50`);
    }
    const pow2 = Number.isSafeInteger(align) && align > 0 && 2 ** Math.round(Math.log2(align)) === align;
    if (!pow2 || align < PAGE_BYTES || align > MAX_BASE_ALIGN) {
      throw new RangeError(`PmemDevice: baseAlignBytes ${align} must be a power of two in [4 KiB, 1 GiB]`);
    }
    this.sizeBytes = sizeBytes;
    this.baseAlignBytes = align;
    this.basePhys = PHYS_BASE + align;
    this.basePfn = this.basePhys / PAGE_BYTES;
    this.devmap = opts.devmap ?? true;
  }

  /** bdev_direct_access / dax_map_atomic. B1. The pfn of `sector` and the bytes available from there. */
  directAccess(sector: number, lenBytes: number): DaxRange | Errno {
    if (!Number.isSafeInteger(sector) || sector < 0) {
      throw new RangeError(`PmemDevice.directAccess: sector ${sector} must be a non-negative integer`);
    }
    if (!Number.isSafeInteger(lenBytes) || lenBytes <= 0) {
      throw new RangeError(`PmemDevice.directAccess: lenBytes ${lenBytes} must be a positive integer`);
    }
    const injected = this.directAccessHook?.(sector, lenBytes) ?? null;
    if (injected !== null) return injected;
    // The kernel refuses a sector that is not page aligned: a pfn names a whole page.
    if (sector % SECTORS_PER_PAGE !== 0) return 'EIO';
    const offset = sector * SECTOR_BYTES;
    if (offset >= this.sizeBytes) return 'EIO';
    return {
      pfn: this.basePfn + offset / PAGE_BYTES,
      lengthBytes: Math.min(lenBytes, this.sizeBytes - offset),
      devmap: this.devmap,
    };
  }

  /** True when `pfn` is a page of this device. */
  ownsPfn(pfn: number): boolean {
    return (
      Number.isSafeInteger(pfn) && pfn >= this.basePfn && pfn < this.basePfn + this.sizeBytes / PAGE_BYTES
    );
  }

  /** Byte offset inside the device of the first byte of `pfn` (throws RangeError for a foreign pfn). */
  pfnToOffset(pfn: number): number {
    if (!this.ownsPfn(pfn)) {
      throw new RangeError(`PmemDevice.pfnToOffset: pfn ${pfn} is not on the device (base ${this.basePfn})`);
    }
    return (pfn - this.basePfn) * PAGE_BYTES;
  }

  /** Unflushed 64-byte lines (B2). */
  get dirtyLines(): number {
    return this.dirtyLineCount;
  }

  /** Host memory used for the device's storage: media chunks plus cache views. */
  get bytesAllocated(): number {
    return (this.chunks.size + this.cachedChunks) * CHUNK_BYTES;
  }

  /** The CPU's (cache) view of [offset, offset + length), in a new array. B2. */
  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.copyOut('read', offset, out, 0, length, false);
    return out;
  }

  /** Copies the CPU's (cache) view of `length` bytes at `offset` into `dst` at `dstOffset`. B2. */
  readInto(offset: number, dst: Uint8Array, dstOffset = 0, length = dst.length - dstOffset): void {
    if (!Number.isSafeInteger(dstOffset) || dstOffset < 0 || dstOffset + length > dst.length) {
      throw new RangeError(`PmemDevice.readInto: [${dstOffset}, +${length}) outside dst of ${dst.length}`);
    }
    this.copyOut('readInto', offset, dst, dstOffset, length, false);
  }

  /** What media holds: the bytes that survive a crash (for V6). */
  readMedia(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.copyOut('readMedia', offset, out, 0, length, true);
    return out;
  }

  /** A CPU store through a DAX mapping (no kernel twin: plain user stores): lands in the cache view only and dirties its lines (volatile). B2. */
  store(offset: number, data: Uint8Array): void {
    this.checkRange('store', offset, data.length);
    let pos = offset;
    let src = 0;
    while (src < data.length) {
      const ci = Math.floor(pos / CHUNK_BYTES);
      const within = pos - ci * CHUNK_BYTES;
      const n = Math.min(CHUNK_BYTES - within, data.length - src);
      const chunk = this.chunkAt(ci);
      copyBytes(data, src, this.cacheOf(chunk), within, n);
      this.noteDirtied(ci, chunk.markDirty(within, within + n));
      pos += n;
      src += n;
    }
  }

  /** copy_from_iter_pmem (write(2)) / clear_pmem (zeroing): durable at once, in media and in the cache view. B2. */
  writeDurable(offset: number, data: Uint8Array): void {
    this.checkRange('writeDurable', offset, data.length);
    let pos = offset;
    let src = 0;
    while (src < data.length) {
      const ci = Math.floor(pos / CHUNK_BYTES);
      const within = pos - ci * CHUNK_BYTES;
      const n = Math.min(CHUNK_BYTES - within, data.length - src);
      const chunk = this.chunkAt(ci);
      copyBytes(data, src, chunk.media, within, n);
      if (chunk.cache !== null) copyBytes(data, src, chunk.cache, within, n);
      this.noteCleaned(ci, chunk.cleanCovered(within, within + n));
      pos += n;
      src += n;
    }
  }

  /** Sets `length` bytes at `offset` to `byte`: durably (like writeDurable) or as a store. B2. */
  fill(offset: number, length: number, byte: number, durable: boolean): void {
    this.checkRange('fill', offset, length);
    if (!Number.isInteger(byte) || byte < 0 || byte > 255) {
      throw new RangeError(`PmemDevice.fill: byte ${byte} must be an integer in [0, 255]`);
    }
    if (length === 0) return;
    const first = Math.floor(offset / CHUNK_BYTES);
    const last = Math.floor((offset + length - 1) / CHUNK_BYTES);
    // Durable zeroing of never-written chunks is a no-op: walk only the chunks that exist.
    const keys =
      durable && byte === 0 ? this.sparseKeys(first, last, this.chunks.keys(), this.chunks.size) : null;
    if (keys !== null) {
      for (const ci of keys) this.fillChunk(ci, offset, length, 0, true);
    } else {
      for (let ci = first; ci <= last; ci++) this.fillChunk(ci, offset, length, byte, durable);
    }
  }

  /** wb_cache_pmem (clwb per line) + wmb_pmem: makes dirty lines overlapping the range durable; returns lines flushed. B2, W2. */
  flush(offset: number, length: number): number {
    this.checkRange('flush', offset, length);
    if (length === 0 || this.dirtyLineCount === 0) return 0;
    const first = Math.floor(offset / CHUNK_BYTES);
    const last = Math.floor((offset + length - 1) / CHUNK_BYTES);
    const keys = this.sparseKeys(first, last, this.dirtyChunks.values(), this.dirtyChunks.size);
    let flushed = 0;
    const visit = (ci: number): void => {
      const chunk = this.chunks.get(ci);
      if (chunk === undefined || chunk.dirtyCount === 0) return;
      const base = ci * CHUNK_BYTES;
      const from = Math.max(0, offset - base);
      const to = Math.min(CHUNK_BYTES, offset + length - base);
      const n = chunk.flushLines(from, to);
      this.noteCleaned(ci, n);
      flushed += n;
    };
    if (keys !== null) keys.forEach(visit);
    else for (let ci = first; ci <= last; ci++) visit(ci);
    return flushed;
  }

  /**
   * Power failure (B2): every unflushed line is lost (reverts to media) when `lose` is 'all', or
   * each with probability 1/2 drawn from `lose.prng` in ascending address order (deterministic for a
   * seeded PRNG); surviving lines reach media. Afterwards nothing is dirty. Returns lines lost.
   */
  crash(lose: CrashLoss): number {
    const prng = lose === 'all' ? null : lose.prng;
    if (lose !== 'all' && typeof prng?.float !== 'function') {
      throw new RangeError("PmemDevice.crash: lose must be 'all' or { prng: { float(): number } }");
    }
    const decide = prng === null ? () => true : () => prng.float() < 0.5;
    let lost = 0;
    for (const ci of [...this.dirtyChunks].sort((a, b) => a - b)) lost += this.chunks.get(ci)!.crash(decide);
    for (const chunk of this.chunks.values()) if (chunk.cache !== null) chunk.dropCache();
    this.dirtyChunks.clear();
    this.dirtyLineCount = 0;
    this.cachedChunks = 0;
    return lost;
  }

  private checkRange(what: string, offset: number, length: number): void {
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > this.sizeBytes
    ) {
      throw new RangeError(
        `PmemDevice.${what}: range [${offset}, +${length}) is outside the device of ${this.sizeBytes} bytes`,
      );
    }
  }

  private copyOut(
    what: string,
    offset: number,
    dst: Uint8Array,
    dstOff: number,
    len: number,
    media: boolean,
  ) {
    this.checkRange(what, offset, len);
    let pos = offset;
    let d = dstOff;
    const end = dstOff + len;
    while (d < end) {
      const ci = Math.floor(pos / CHUNK_BYTES);
      const within = pos - ci * CHUNK_BYTES;
      const n = Math.min(CHUNK_BYTES - within, end - d);
      const chunk = this.chunks.get(ci);
      if (chunk === undefined) dst.fill(0, d, d + n);
      else copyBytes(media ? chunk.media : chunk.view(), within, dst, d, n);
      pos += n;
      d += n;
    }
  }

  private fillChunk(ci: number, offset: number, length: number, byte: number, durable: boolean): void {
    const base = ci * CHUNK_BYTES;
    const from = Math.max(0, offset - base);
    const to = Math.min(CHUNK_BYTES, offset + length - base);
    let chunk = this.chunks.get(ci);
    if (durable && byte === 0 && from === 0 && to === CHUNK_BYTES) {
      if (chunk !== undefined) this.dropChunk(ci, chunk);
      return;
    }
    if (durable && byte === 0 && chunk === undefined) return;
    chunk ??= this.chunkAt(ci);
    if (durable) {
      chunk.media.fill(byte, from, to);
      chunk.cache?.fill(byte, from, to);
      this.noteCleaned(ci, chunk.cleanCovered(from, to));
    } else {
      this.cacheOf(chunk).fill(byte, from, to);
      this.noteDirtied(ci, chunk.markDirty(from, to));
    }
  }

  /** Chunk indices in [first, last] taken from `source` when that is cheaper than the dense range. */
  private sparseKeys(first: number, last: number, source: Iterable<number>, size: number): number[] | null {
    if (last - first + 1 <= size) return null;
    const keys: number[] = [];
    for (const ci of source) if (ci >= first && ci <= last) keys.push(ci);
    return keys;
  }

  private chunkAt(ci: number): MediaChunk {
    let chunk = this.chunks.get(ci);
    if (chunk === undefined) {
      chunk = new MediaChunk();
      this.chunks.set(ci, chunk);
    }
    return chunk;
  }

  private cacheOf(chunk: MediaChunk): Uint8Array {
    if (chunk.cache === null) this.cachedChunks++;
    return chunk.ensureCache();
  }

  private dropChunk(ci: number, chunk: MediaChunk): void {
    this.dirtyLineCount -= chunk.dirtyCount;
    this.dirtyChunks.delete(ci);
    if (chunk.cache !== null) this.cachedChunks--;
    this.chunks.delete(ci);
  }

  private noteDirtied(ci: number, added: number): void {
    if (added === 0) return;
    this.dirtyLineCount += added;
    this.dirtyChunks.add(ci);
  }

  private noteCleaned(ci: number, cleared: number): void {
    if (cleared === 0) return;
    this.dirtyLineCount -= cleared;
    if (this.chunks.get(ci)!.dirtyCount === 0) this.dirtyChunks.delete(ci);
  }
}
