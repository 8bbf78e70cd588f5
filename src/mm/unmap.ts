/**
 * Reverse-map walks over a file's VMAs in every process: unmap_mapping_range (D5) and the
 * write-protect pass of `clean-dirty` writeback (W3).
 *
 * Invariants: each VMA's page table is changed with its process's `ptl` held; the walk holds
 * the file's i_mmap lock so the VMA set cannot change under it.
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { K } from '../sim/types.js';
import { Process } from './process.js';
import { PAGE_SIZE } from './units.js';
import type { Vma } from './vma.js';

/** The virtual range of `vma` that maps file pages [first, last], or undefined. */
function vmaRange(vma: Vma<AddressSpace>, first: number, last: number): [number, number] | undefined {
  const vmaFirst = vma.pgoff;
  const vmaLast = vma.pgoff + (vma.end - vma.start) / PAGE_SIZE - 1;
  const lo = Math.max(first, vmaFirst);
  const hi = Math.min(last, vmaLast);
  if (lo > hi) return undefined;
  return [vma.start + (lo - vmaFirst) * PAGE_SIZE, vma.start + (hi + 1 - vmaFirst) * PAGE_SIZE];
}

function pageSpan(start: number, len: number): [number, number] {
  const first = Math.floor(start / PAGE_SIZE);
  const last = len === 0 ? Number.MAX_SAFE_INTEGER : Math.floor((start + len - 1) / PAGE_SIZE);
  return [first, last];
}

/**
 * unmap_mapping_range(mapping, start, len, even_cows). D5. Removes every PTE and huge PMD
 * mapping file bytes [start, start+len) (len 0: to the end) in every process; private COW
 * copies survive unless `evenCows`. A scheduling point (S1). Returns entries removed.
 */
export function* unmapMappingRange(
  mapping: AddressSpace,
  start: number,
  len: number,
  evenCows: boolean,
): K<number> {
  yield* mapping.rt.point('unmap_mapping_range');
  yield* mapping.immapLock.downWrite();
  const [first, last] = pageSpan(start, len);
  let zapped = 0;
  for (const vma of mapping.rmap.vmasOverlapping(first, last)) {
    const range = vmaRange(vma, first, last);
    if (range === undefined) continue;
    const proc = Process.of(vma.mm);
    yield* proc.ptl.lock();
    zapped += vma.mm.pageTable.zapRange(range[0], range[1], { evenCows });
    proc.ptl.unlock();
  }
  mapping.immapLock.upWrite();
  return zapped;
}

/** What dax_mapping_entry_mkclean protects. */
export interface MkcleanScope {
  /** Only mappings of this pfn (the PTE or PMD at the first index); null: any. */
  readonly pfn: number | null;
  /** Huge PMDs too (f729c8c9b24f); else only PTEs. */
  readonly hugePmds: boolean;
}

/**
 * The write-protect pass of dax_mapping_entry_mkclean (W3, H6): PTEs and huge PMDs mapping
 * file pages [index, index + pages) in shared VMAs become read-only, so the next store faults
 * and re-dirties the entry. Holds i_mmap_rwsem for read and each process's `ptl`.
 */
export function* wrprotectMappingRange(
  mapping: AddressSpace,
  index: number,
  pages: number,
  scope: MkcleanScope,
): K<number> {
  yield* mapping.immapLock.downRead();
  const last = index + pages - 1;
  let changed = 0;
  for (const vma of mapping.rmap.vmasOverlapping(index, last)) {
    if (!vma.shared) continue;
    const range = vmaRange(vma, index, last);
    if (range === undefined) continue;
    const proc = Process.of(vma.mm);
    yield* proc.ptl.lock();
    const pt = vma.mm.pageTable;
    pt.forEachMapping(range[0], range[1], (vaddr, size, pfn, writable) => {
      if (!writable || (scope.pfn !== null && pfn !== scope.pfn)) return;
      if (size === PAGE_SIZE) changed += pt.wrprotectPte(vaddr) ? 1 : 0;
      else if (scope.hugePmds) changed += pt.wrprotectPmd(vaddr) ? 1 : 0;
    });
    proc.ptl.unlock();
  }
  mapping.immapLock.upRead();
  return changed;
}
