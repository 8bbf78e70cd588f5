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
import type { MkcleanScope } from './pt-entry.js';
import { vmaSpans } from './rmap.js';
import { PAGE_SIZE } from './units.js';

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
  let zapped = 0;
  for (const [vma, span] of vmaSpans(mapping.rmap, 'unmap_mapping_range', start, len, false)) {
    const proc = Process.of(vma.mm);
    yield* proc.ptl.lock();
    zapped += vma.mm.pageTable.zapRange(span.start, span.end, { evenCows });
    proc.ptl.unlock();
  }
  mapping.immapLock.upWrite();
  return zapped;
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
  let changed = 0;
  const spans = vmaSpans(
    mapping.rmap,
    'dax_mapping_entry_mkclean',
    index * PAGE_SIZE,
    pages * PAGE_SIZE,
    true,
  );
  for (const [vma, span] of spans) {
    const proc = Process.of(vma.mm);
    yield* proc.ptl.lock();
    changed += vma.mm.pageTable.wrprotectRange(span.start, span.end, scope);
    proc.ptl.unlock();
  }
  mapping.immapLock.upRead();
  return changed;
}
