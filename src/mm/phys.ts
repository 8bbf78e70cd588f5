/**
 * Physical memory: RAM pages plus the pmem device, addressed by page frame number (pfn).
 *
 * Invariants:
 * - RAM pfns lie in [RAM_BASE_PFN, ramPfnLimit); the device owns its own pfns, all at or above
 *   ramPfnLimit (checked at construction), so every pfn is RAM, device, or invalid.
 * - `zeroPfn` (4 KiB) and the 512 pfns from `hugeZeroPfn` (2 MiB aligned) are fixed, never
 *   allocated or freed, always read as zeros; a store to them throws, because the model must
 *   never write them (a writable zero mapping is a bug upstream of the store).
 * - An allocated RAM page reads as zeros until first written: its 4 KiB buffer is created on
 *   the first store or copy, so `bytesAllocated` counts only materialised pages.
 * - Freed pfns are reused last-freed-first, so allocation order is deterministic.
 */
import { PAGE_SIZE, PTRS_PER_PTE } from './units.js';

/** The part of the pmem device (`src/block/pmem.ts`) that physical memory dispatches to. */
export interface DeviceMemory {
  /** True when `pfn` is a page of the device. */
  ownsPfn(pfn: number): boolean;
  /** Byte offset on the device of the first byte of `pfn`. */
  pfnToOffset(pfn: number): number;
  /** Copy `length` bytes at device `offset` (through the cache view) into `dst`. */
  readInto(offset: number, dst: Uint8Array, dstOffset?: number, length?: number): void;
  /** Store `data` at device `offset` into the volatile cache view (B2). */
  store(offset: number, data: Uint8Array): void;
}

/** What a pfn is. */
export type PfnClass = 'zero' | 'huge-zero' | 'ram' | 'device' | 'invalid';

/** First RAM pfn (16 MiB): the 4 KiB zero page. */
export const RAM_BASE_PFN = 0x1000;
/** Default end of the RAM pfn range: 2^27 pfns = 512 GiB, below a device at ~2^40 bytes. */
export const DEFAULT_RAM_PFN_LIMIT = 2 ** 27;

const ZERO_PFN = RAM_BASE_PFN;
const HUGE_ZERO_PFN = RAM_BASE_PFN + PTRS_PER_PTE; // 0x1200: 2 MiB aligned
const FIRST_ALLOC_PFN = HUGE_ZERO_PFN + PTRS_PER_PTE;

/** Options of {@link PhysMem}. */
export interface PhysMemOptions {
  /** The pmem device, if any. */
  device?: DeviceMemory;
  /** End (exclusive) of the RAM pfn range; default {@link DEFAULT_RAM_PFN_LIMIT}. */
  ramPfnLimit?: number;
}

/** Physical memory: RAM page allocator and load/store dispatch to RAM or the device. */
export class PhysMem {
  /** The 4 KiB zero page (ZERO_PAGE(0)): read-only zeros, e.g. the COW source of a hole (P4). */
  readonly zeroPfn = ZERO_PFN;
  /** First pfn of the 2 MiB huge zero page (mm_get_huge_zero_page), 2 MiB aligned (M8). */
  readonly hugeZeroPfn = HUGE_ZERO_PFN;
  readonly #device: DeviceMemory | undefined;
  readonly #ramPfnLimit: number;
  /** Allocated RAM pages; `null` until the page is first written (lazy zero fill). */
  readonly #pages = new Map<number, Uint8Array | null>();
  readonly #freeList: number[] = [];
  #nextPfn = FIRST_ALLOC_PFN;
  #materialised = 0;

  constructor(opts: PhysMemOptions = {}) {
    this.#device = opts.device;
    this.#ramPfnLimit = opts.ramPfnLimit ?? DEFAULT_RAM_PFN_LIMIT;
    if (!Number.isSafeInteger(this.#ramPfnLimit) || this.#ramPfnLimit <= FIRST_ALLOC_PFN) {
      throw new RangeError(
        `PhysMem: ramPfnLimit ${this.#ramPfnLimit} must be an integer > ${FIRST_ALLOC_PFN}`,
      );
    }
    const d = this.#device;
    if (d && (d.ownsPfn(ZERO_PFN) || d.ownsPfn(FIRST_ALLOC_PFN) || d.ownsPfn(this.#ramPfnLimit - 1))) {
      throw new RangeError(`PhysMem: the device overlaps the RAM pfn range [0x1000, ${this.#ramPfnLimit})`);
    }
  }

  /** alloc_page(GFP_HIGHUSER | __GFP_ZERO): a zero-filled RAM page. Fault injection is the caller's (S4). */
  allocPage(): number {
    let pfn = this.#freeList.pop();
    if (pfn === undefined) {
      if (this.#nextPfn >= this.#ramPfnLimit) throw new RangeError('PhysMem: RAM pfn range exhausted');
      pfn = this.#nextPfn++;
    }
    this.#pages.set(pfn, null);
    return pfn;
  }

  /** __free_page: release an allocated RAM page. */
  freePage(pfn: number): void {
    const page = this.#pages.get(pfn);
    if (page === undefined)
      throw new Error(`PhysMem.freePage: pfn 0x${pfn.toString(16)} is not an allocated page`);
    if (page !== null) this.#materialised--;
    this.#pages.delete(pfn);
    this.#freeList.push(pfn);
  }

  /** Number of allocated RAM pages (the fixed zero pages excluded). */
  get pagesInUse(): number {
    return this.#pages.size;
  }

  /** Bytes of page contents actually held (pages written at least once). */
  get bytesAllocated(): number {
    return this.#materialised * PAGE_SIZE;
  }

  /** Classify `pfn`. */
  classify(pfn: number): PfnClass {
    if (pfn === ZERO_PFN) return 'zero';
    if (pfn >= HUGE_ZERO_PFN && pfn < HUGE_ZERO_PFN + PTRS_PER_PTE) return 'huge-zero';
    if (this.#pages.has(pfn)) return 'ram';
    if (pfn >= this.#ramPfnLimit && this.#device?.ownsPfn(pfn)) return 'device';
    return 'invalid';
  }

  /** True for the 4 KiB zero page and every pfn of the huge zero page. */
  isZeroPfn(pfn: number): boolean {
    return pfn === ZERO_PFN || (pfn >= HUGE_ZERO_PFN && pfn < HUGE_ZERO_PFN + PTRS_PER_PTE);
  }

  /** True when `pfn` is a page of the device. */
  isDevicePfn(pfn: number): boolean {
    return pfn >= this.#ramPfnLimit && this.#device !== undefined && this.#device.ownsPfn(pfn);
  }

  /** Read `length` bytes at `offsetInPage` of `pfn` into `dst` (a CPU load through the page). */
  load(pfn: number, offsetInPage: number, dst: Uint8Array, dstOffset: number, length: number): void {
    checkSpan('load', offsetInPage, length, dst.length, dstOffset);
    if (pfn < this.#ramPfnLimit) {
      const page = this.#ramPage('load', pfn);
      if (page === null) dst.fill(0, dstOffset, dstOffset + length);
      else dst.set(page.subarray(offsetInPage, offsetInPage + length), dstOffset);
      return;
    }
    const offset = this.#deviceOffset('load', pfn);
    this.#device!.readInto(offset + offsetInPage, dst, dstOffset, length);
  }

  /** Write `length` bytes of `src` at `offsetInPage` of `pfn` (device stores land in its cache view, B2). */
  store(pfn: number, offsetInPage: number, src: Uint8Array, srcOffset: number, length: number): void {
    checkSpan('store', offsetInPage, length, src.length, srcOffset);
    if (pfn < this.#ramPfnLimit) {
      if (this.isZeroPfn(pfn)) throw new Error(`PhysMem.store: pfn 0x${pfn.toString(16)} is a zero page`);
      const page = this.#materialise('store', pfn);
      page.set(src.subarray(srcOffset, srcOffset + length), offsetInPage);
      return;
    }
    const offset = this.#deviceOffset('store', pfn);
    this.#device!.store(offset + offsetInPage, src.subarray(srcOffset, srcOffset + length));
  }

  /** copy_user_highpage: copy a whole page (any readable pfn) into an allocated RAM page (COW, P4). */
  copyPage(srcPfn: number, dstPfn: number): void {
    if (this.isZeroPfn(dstPfn))
      throw new Error(`PhysMem.copyPage: destination 0x${dstPfn.toString(16)} is a zero page`);
    if (!this.#pages.has(dstPfn)) {
      throw new Error(`PhysMem.copyPage: destination 0x${dstPfn.toString(16)} is not an allocated RAM page`);
    }
    if (srcPfn === dstPfn) return;
    if (srcPfn < this.#ramPfnLimit && this.#ramPage('copyPage', srcPfn) === null) {
      const dst = this.#pages.get(dstPfn);
      if (dst) dst.fill(0);
      return;
    }
    this.load(srcPfn, 0, this.#materialise('copyPage', dstPfn), 0, PAGE_SIZE);
  }

  /** A RAM page's buffer (null: still all zeros); throws for a pfn that is neither zero nor allocated. */
  #ramPage(op: string, pfn: number): Uint8Array | null {
    if (this.isZeroPfn(pfn)) return null;
    const page = this.#pages.get(pfn);
    if (page === undefined)
      throw new Error(`PhysMem.${op}: pfn 0x${pfn.toString(16)} is not an allocated page`);
    return page;
  }

  #materialise(op: string, pfn: number): Uint8Array {
    const page = this.#ramPage(op, pfn);
    if (page !== null) return page;
    const fresh = new Uint8Array(PAGE_SIZE);
    this.#pages.set(pfn, fresh);
    this.#materialised++;
    return fresh;
  }

  #deviceOffset(op: string, pfn: number): number {
    if (!this.isDevicePfn(pfn))
      throw new Error(`PhysMem.${op}: pfn 0x${pfn.toString(16)} is neither RAM nor device`);
    return this.#device!.pfnToOffset(pfn);
  }
}

function checkSpan(
  op: string,
  offsetInPage: number,
  length: number,
  bufLength: number,
  bufOffset: number,
): void {
  if (
    !Number.isInteger(offsetInPage) ||
    !Number.isInteger(length) ||
    !Number.isInteger(bufOffset) ||
    offsetInPage < 0 ||
    length < 0 ||
    bufOffset < 0 ||
    offsetInPage + length > PAGE_SIZE ||
    bufOffset + length > bufLength
  ) {
    throw new RangeError(
      `PhysMem.${op}: offsetInPage ${offsetInPage} + length ${length} must stay inside one page ` +
        `and buffer offset ${bufOffset} + length inside the buffer (${bufLength} bytes)`,
    );
  }
}
