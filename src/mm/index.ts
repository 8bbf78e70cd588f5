/**
 * Public API of the mm data structures: physical memory, page tables, VMAs, processes, rmap.
 *
 * Invariant: plain synchronous structures with no dependency on the scheduler (src/sim); the
 * fault handlers (fault.ts, access.ts) take the page table lock and mmap_sem around them.
 */
export { Mm, type MmapOptions } from './mm.js';
export { type MappingVisitor, PageTable, type ZapOptions } from './page-table.js';
export {
  DEFAULT_RAM_PFN_LIMIT,
  type DeviceMemory,
  type PfnClass,
  PhysMem,
  type PhysMemOptions,
  RAM_BASE_PFN,
} from './phys.js';
export {
  FAULT_NOT_PRESENT,
  FAULT_WRITE_PROTECT,
  type MapKind,
  type PmdKind,
  type PmdMapKind,
  type PtEntry,
  type PteKind,
} from './pt-entry.js';
export { FileRmap, unmapFileRange, wrprotectFileRange } from './rmap.js';
export {
  isPageAligned,
  isPmdAligned,
  type MappingSize,
  MMAP_BASE,
  MMAP_MIN_ADDR,
  PAGE_SHIFT,
  PAGE_SIZE,
  PMD_SIZE,
  PTRS_PER_PTE,
  pageAlignDown,
  pageAlignUp,
  pmdAlignDown,
  TASK_SIZE,
} from './units.js';
export { linearPageIndex, type MappedFile, type Vma, vmaContains, vmaOffsetOf, vmaPages } from './vma.js';
