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

/**
 * The write-protect pass of dax_mapping_entry_mkclean, over the entry's whole range (W3,
 * H6): every PTE and huge PMD mapping file bytes [start, start+len) in shared VMAs becomes
 * read-only, so the next store faults and re-dirties the entry. `firstOnly` reproduces the
 * 4.10 code, which protected only the mapping of the entry's first page.
 */
export function* wrprotectMappingRange(
  mapping: AddressSpace,
  start: number,
  len: number,
  firstOnly: boolean,
): K<number> {
  yield* mapping.immapLock.downRead();
  const [first, last] = firstOnly ? [start / PAGE_SIZE, start / PAGE_SIZE] : pageSpan(start, len);
  let changed = 0;
  for (const vma of mapping.rmap.vmasOverlapping(first, last)) {
    if (!vma.shared) continue;
    const range = vmaRange(vma, first, last);
    if (range === undefined) continue;
    const proc = Process.of(vma.mm);
    yield* proc.ptl.lock();
    changed += vma.mm.pageTable.wrprotectRange(range[0], range[1]);
    proc.ptl.unlock();
  }
  mapping.immapLock.upRead();
  return changed;
}
