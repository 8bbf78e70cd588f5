/**
 * Address-space units of the mm model (x86-64, 4-level paging, Linux 4.10 era).
 *
 * Invariants: a page is 4 KiB and a PMD maps 2 MiB = 512 pages; user virtual addresses are
 * integers in [0, TASK_SIZE) and therefore exceed 32 bits, so address arithmetic uses
 * `Math.floor(x / size)` and never `>>>` on a whole address (bitwise ops truncate to 32 bits).
 */

/** PAGE_SHIFT. */
export const PAGE_SHIFT = 12;
/** PAGE_SIZE: 4 KiB. */
export const PAGE_SIZE = 4096;
/** PMD_SIZE (HPAGE_PMD_SIZE): 2 MiB. */
export const PMD_SIZE = 0x200000;
/** PTRS_PER_PTE (HPAGE_PMD_NR): pages per PMD. */
export const PTRS_PER_PTE = 512;
/** TASK_SIZE (x86-64, 4-level paging): user addresses lie below it, one page short of 2^47. */
export const TASK_SIZE = 0x7ffffffff000;
/** mmap_min_addr: the lowest address mmap hands out or accepts. */
export const MMAP_MIN_ADDR = 0x10000;
/** mmap_base: where the top-down search for a free area starts (below the stack). */
export const MMAP_BASE = 0x7f0000000000;

/** Size of one page-table mapping: a 4 KiB PTE or a 2 MiB huge PMD. */
export type MappingSize = typeof PAGE_SIZE | typeof PMD_SIZE;

/** True when `x` is a non-negative integer multiple of 4 KiB. */
export function isPageAligned(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0 && x % PAGE_SIZE === 0;
}

/** True when `x` is a non-negative integer multiple of 2 MiB. */
export function isPmdAligned(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0 && x % PMD_SIZE === 0;
}

/** Round down to 2 MiB (addr & PMD_MASK). */
export function pmdAlignDown(x: number): number {
  return Math.floor(x / PMD_SIZE) * PMD_SIZE;
}

/** PG_PMD_NR: pages per 2 MiB block of a file. */
export const PG_PMD_NR = PTRS_PER_PTE;
/** PG_PMD_COLOUR: the bits of a page index below its 2 MiB block (its colour). */
export const PG_PMD_COLOUR = PG_PMD_NR - 1;

/** The first page index of `index`'s 2 MiB block (index & ~PG_PMD_COLOUR; exact for negatives). */
export function pgoffPmdAlignDown(index: number): number {
  return Math.floor(index / PG_PMD_NR) * PG_PMD_NR;
}

/** Round down to 4 KiB (addr & PAGE_MASK). */
export function pageAlignDown(x: number): number {
  return Math.floor(x / PAGE_SIZE) * PAGE_SIZE;
}

/** Round up to 4 KiB (PAGE_ALIGN). */
export function pageAlignUp(x: number): number {
  return Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;
}
