/**
 * Virtual memory areas (vm_area_struct) and their file-offset arithmetic (D1).
 *
 * Invariants: `start < end`, both page aligned, inside [MMAP_MIN_ADDR, TASK_SIZE); the VMA maps
 * file pages [pgoff, pgoff + (end - start) / 4 KiB) linearly; a VMA never changes after mmap
 * (no mprotect, mremap or partial munmap in the model), so its fields are readonly (`stats`, the
 * per-mapping fault counts, is the one thing that changes, and no model decision reads it).
 */
import type { Mm } from './mm.js';
import { PAGE_SIZE } from './units.js';
import type { FaultCounts } from './vmstat.js';

/** The file side of a mapping (the lead's address_space); only its identity matters here. */
export interface MappedFile {
  readonly id: number;
}

/** vm_area_struct: one mmap of a file into a process. */
export interface Vma<F extends MappedFile = MappedFile> {
  /** vm_start: first byte (page aligned). */
  readonly start: number;
  /** vm_end: one past the last byte (page aligned). */
  readonly end: number;
  /** vm_pgoff: file offset of `start`, in pages. */
  readonly pgoff: number;
  /** vm_file's mapping. */
  readonly file: F;
  /** VM_SHARED: stores reach the file; false is MAP_PRIVATE (COW, P4). */
  readonly shared: boolean;
  /** VM_WRITE: PROT_WRITE was given. */
  readonly writable: boolean;
  /** The scenario's name for this mapping. */
  readonly name: string;
  /** vm_mm: the owning process. */
  readonly mm: Mm<F>;
  /** Fault events charged to this mapping (not kernel state: the report's per-mapping counts). */
  readonly stats: FaultCounts;
}

/** vma_pages: the VMA's length in pages. D1, M2. */
export function vmaPages(vma: Vma): number {
  return (vma.end - vma.start) / PAGE_SIZE;
}

/** daxsim-only: true when `vaddr` lies inside the VMA. D1. */
export function vmaContains(vma: Vma, vaddr: number): boolean {
  return vaddr >= vma.start && vaddr < vma.end;
}

/**
 * linear_page_index: the file page index `vaddr` maps. Like the kernel it does no bounds check,
 * so an address outside the VMA (M2 computes it for the PMD-aligned address) gives an index
 * outside the VMA's window, possibly negative.
 */
export function linearPageIndex(vma: Vma, vaddr: number): number {
  return vma.pgoff + Math.floor((vaddr - vma.start) / PAGE_SIZE);
}

/** vma_address: the address mapping file byte `fileOffset`, undefined when the VMA does not map it. D5. */
export function vmaOffsetOf(vma: Vma, fileOffset: number): number | undefined {
  const vaddr = vma.start + (fileOffset - vma.pgoff * PAGE_SIZE);
  return vaddr >= vma.start && vaddr < vma.end ? vaddr : undefined;
}
