/**
 * The persistent-memory block device (B1, B2): byte addressable, with a base pfn, a volatile
 * CPU-cache view over durable media, and lazily allocated storage.
 *
 * Invariants:
 * - The device's first byte has physical address `basePhys = 2^40 + baseAlignBytes`: aligned to
 *   `baseAlignBytes` and to no larger power of two, and above every RAM pfn of the mm model.
 * - Storage is two line stores (lib/line-store.ts): media holds the 64-byte lines ever written
 *   durably (a missing line reads as zeros; durable zeroing frees whole lines again), the cache
 *   view holds exactly the dirty lines. Host memory therefore follows the lines written: a byte
 *   stored every 4 KiB costs a line per page, not a page, and nothing for the bytes in between.
 * - `dirtyLines` is the number of lines the cache view holds; a clean line reads from media.
 * - Stores land in the cache view only; write(2)-style writes land in media and cache; flush and
 *   crash are the only ways cache bytes reach media.
 */
import type { Errno } from '../lib/errno.js';
import { LINE_BYTES } from '../lib/line-chunk.js';
import { LineStore } from '../lib/line-store.js';

const PAGE_BYTES = 4096;
const SECTOR_BYTES = 512;
const SECTORS_PER_PAGE = PAGE_BYTES / SECTOR_BYTES;
const PHYS_BASE = 2 ** 40;
/** The largest base alignment the model takes (1 GiB). */
export const MAX_BASE_ALIGN = 2 ** 30;
/** The largest device the model takes (1 PiB): pfns must stay exact. */
export const MAX_DEVICE_BYTES = 2 ** 50;

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

  /** Durable bytes: absent lines read as zeros. */
  private readonly media = new LineStore();
  /** Unflushed stores: exactly the dirty lines (a clean line's cache bytes equal media's). */
  private readonly cache = new LineStore();

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
    return this.cache.lines;
  }

  /** Host memory holding the device's data: written lines of media plus unflushed cache lines. */
  get bytesAllocated(): number {
    return this.media.heldBytes + this.cache.heldBytes;
  }

  /** The CPU's (cache) view of [offset, offset + length), in a new array. B2. */
  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.readInto(offset, out, 0, length);
    return out;
  }

  /** Copies the CPU's (cache) view of `length` bytes at `offset` into `dst` at `dstOffset`. B2. */
  readInto(offset: number, dst: Uint8Array, dstOffset = 0, length = dst.length - dstOffset): void {
    if (!Number.isSafeInteger(dstOffset) || dstOffset < 0 || dstOffset + length > dst.length) {
      throw new RangeError(`PmemDevice.readInto: [${dstOffset}, +${length}) outside dst of ${dst.length}`);
    }
    this.checkRange('readInto', offset, length);
    this.media.readInto(offset, dst, dstOffset, length, 'zero');
    if (this.cache.lines > 0) this.cache.readInto(offset, dst, dstOffset, length, 'keep');
  }

  /** What media holds: the bytes that survive a crash (for V6). */
  readMedia(offset: number, length: number): Uint8Array {
    this.checkRange('readMedia', offset, length);
    const out = new Uint8Array(length);
    this.media.readInto(offset, out, 0, length, 'zero');
    return out;
  }

  /** A CPU store through a DAX mapping (no kernel twin: plain user stores): lands in the cache view only and dirties its lines (volatile). B2. */
  store(offset: number, data: Uint8Array): void {
    this.checkRange('store', offset, data.length);
    this.cache.write(offset, data, 0, data.length, this.mediaLine);
  }

  /** copy_from_iter_pmem (write(2)) / clear_pmem (zeroing): durable at once, in media and in the cache view. B2. */
  writeDurable(offset: number, data: Uint8Array): void {
    this.checkRange('writeDurable', offset, data.length);
    this.media.write(offset, data, 0, data.length);
    if (this.cache.lines === 0) return;
    // Wholly covered dirty lines are now equal on media: clean. Partly covered ones stay dirty.
    this.cache.removeCovered(offset, data.length);
    this.cache.writePresent(offset, data, 0, data.length);
  }

  /** Sets `length` bytes at `offset` to `byte`: durably (like writeDurable) or as a store. B2. */
  fill(offset: number, length: number, byte: number, durable: boolean): void {
    this.checkRange('fill', offset, length);
    if (!Number.isInteger(byte) || byte < 0 || byte > 255) {
      throw new RangeError(`PmemDevice.fill: byte ${byte} must be an integer in [0, 255]`);
    }
    if (length === 0) return;
    if (!durable) {
      this.cache.fill(offset, length, byte, this.mediaLine);
      return;
    }
    if (byte === 0) {
      // Zeros are what absent media lines read as: free whole lines, zero the partial ones.
      this.media.removeCovered(offset, length);
      this.media.fillPresent(offset, length, 0);
    } else this.media.fill(offset, length, byte);
    if (this.cache.lines === 0) return;
    this.cache.removeCovered(offset, length);
    this.cache.fillPresent(offset, length, byte);
  }

  /** wb_cache_pmem (clwb per line) + wmb_pmem: makes dirty lines overlapping the range durable; returns lines flushed. B2, W2. */
  flush(offset: number, length: number): number {
    this.checkRange('flush', offset, length);
    if (length === 0 || this.cache.lines === 0) return 0;
    return this.cache.take(offset, length, (addr, storage, off) => {
      this.media.write(addr, storage, off, LINE_BYTES);
    });
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
    let lost = 0;
    this.cache.take(0, this.sizeBytes, (addr, storage, off) => {
      if (prng === null || prng.float() < 0.5) lost++;
      else this.media.write(addr, storage, off, LINE_BYTES);
    });
    return lost;
  }

  /** A cache line's first content: the media bytes under it (a store dirties a clean line). */
  private readonly mediaLine = (addr: number, dst: Uint8Array, off: number): void => {
    this.media.readInto(addr, dst, off, LINE_BYTES, 'zero');
  };

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
}
