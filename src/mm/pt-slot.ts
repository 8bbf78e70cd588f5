/**
 * The two things a PMD slot can hold, and the address helpers every page-table walk shares.
 *
 * Invariants: a PteTable's pfns (Float64Array) and flag bytes (Uint8Array) share one
 * 4608-byte buffer, `flags[i] === 0` is the only "no PTE" marker and `count` is the number of
 * non-zero flag bytes; a HugePmd's pfn is 2 MiB aligned (checked by the page table).
 */
import type { PmdDirectory } from './pmd-dir.js';
import { isPageAligned, PAGE_SIZE, PMD_SIZE, PTRS_PER_PTE, TASK_SIZE } from './units.js';

/** A huge PMD: 2 MiB mapped by one entry. */
export class HugePmd {
  constructor(
    public pfn: number,
    public flags: number,
  ) {}
}

/** A PTE table: 512 compact entries. */
export class PteTable {
  readonly pfns: Float64Array;
  readonly flags: Uint8Array;
  count = 0;
  constructor() {
    const buf = new ArrayBuffer(PTRS_PER_PTE * 9);
    this.pfns = new Float64Array(buf, 0, PTRS_PER_PTE);
    this.flags = new Uint8Array(buf, PTRS_PER_PTE * 8, PTRS_PER_PTE);
  }
}

/** What a present PMD slot holds. */
export type Slot = HugePmd | PteTable;

/** Estimated heap cost of one PTE table: its buffer, two views, the object and its PMD-table slot. */
export const TABLE_BYTES = PTRS_PER_PTE * 9 + 320;
/** Estimated heap cost of one huge PMD object and its PMD-table slot. */
export const HUGE_BYTES = 80;
/** Estimated heap cost of an empty page table. */
export const BASE_BYTES = 200;

/** The PMD slot index of `vaddr`; throws outside user space. */
export function slotIndex(op: string, vaddr: number): number {
  if (!(vaddr >= 0 && vaddr < TASK_SIZE)) {
    throw new RangeError(`PageTable.${op}: address ${vaddr} is outside user space [0, 2^47)`);
  }
  return Math.floor(vaddr / PMD_SIZE);
}

/** Index of `vaddr`'s PTE in its table; `& 511` is exact because ToInt32 keeps the low 32 bits. */
export function pteIndex(vaddr: number): number {
  return (vaddr / PAGE_SIZE) & (PTRS_PER_PTE - 1);
}

/** Throw unless `pfn` is a non-negative integer. */
export function checkPfn(op: string, pfn: number): void {
  if (!Number.isSafeInteger(pfn) || pfn < 0) {
    throw new RangeError(`PageTable.${op}: pfn ${pfn} is not a valid pfn`);
  }
}

/** Throw unless [start, end) is page aligned, ordered and inside user space. */
export function checkRange(op: string, start: number, end: number): void {
  if (!isPageAligned(start) || !isPageAligned(end) || start > end || end > TASK_SIZE) {
    throw new RangeError(
      `PageTable.${op}: range [0x${start.toString(16)}, 0x${end.toString(16)}) must be page aligned, ` +
        'ordered and inside user space',
    );
  }
}

/**
 * Call `fn(slotBase, slot, firstPte, endPte)` for each occupied slot of `slots` overlapping
 * [start, end), in ascending address order. Slots are listed before the first call, so `fn`
 * may delete the slot it is given.
 */
export function walkSlots(
  slots: PmdDirectory,
  op: string,
  start: number,
  end: number,
  fn: (base: number, slot: Slot, lo: number, hi: number) => void,
): void {
  checkRange(op, start, end);
  if (start === end) return;
  const { indices: found, slots: held } = slots.collect(
    Math.floor(start / PMD_SIZE),
    Math.floor((end - 1) / PMD_SIZE),
  );
  for (let i = 0; i < found.length; i++) {
    const base = found[i]! * PMD_SIZE;
    const lo = Math.max(start, base) - base;
    const hi = Math.min(end, base + PMD_SIZE) - base;
    fn(base, held[i]!, lo / PAGE_SIZE, hi / PAGE_SIZE);
  }
}
