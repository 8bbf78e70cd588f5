/**
 * A file's reverse map (address_space->i_mmap): the VMAs that map it, in every process (D5).
 *
 * Invariants: each VMA appears at most once and maps this rmap's file; VMAs are kept in
 * insertion order, so every walk (and so every unmap or write-protect) is deterministic.
 * Callers hold the i_mmap lock (and, for the page-table changes, each page table's lock).
 */
import { PAGE_SIZE } from './units.js';
import type { MappedFile, Vma } from './vma.js';

/** The VMA's virtual range for file pages [firstPage, lastPage], clipped to the VMA. */
interface VmaSpan {
  start: number;
  end: number;
}

/** i_mmap: the set of VMAs mapping one file. */
export class FileRmap<F extends MappedFile = MappedFile> {
  readonly #vmas: Vma<F>[] = [];

  /** vma_interval_tree_insert (from mmap). i_mmap lock held. */
  add(vma: Vma<F>): void {
    if (this.#vmas.includes(vma)) throw new Error(`FileRmap.add: VMA '${vma.name}' is already in the rmap`);
    this.#vmas.push(vma);
  }

  /** vma_interval_tree_remove (from munmap). i_mmap lock held. */
  remove(vma: Vma<F>): void {
    const i = this.#vmas.indexOf(vma);
    if (i < 0) throw new Error(`FileRmap.remove: VMA '${vma.name}' is not in the rmap`);
    this.#vmas.splice(i, 1);
  }

  /** Number of VMAs mapping the file. */
  get size(): number {
    return this.#vmas.length;
  }

  /** Every VMA, in insertion order. */
  get vmas(): readonly Vma<F>[] {
    return this.#vmas;
  }

  /** vma_interval_tree_foreach(first, last): VMAs mapping any file page in [firstPage, lastPage] (inclusive). */
  vmasOverlapping(firstPage: number, lastPage: number): Vma<F>[] {
    return this.#vmas.filter(
      (v) => v.pgoff <= lastPage && v.pgoff + (v.end - v.start) / PAGE_SIZE - 1 >= firstPage,
    );
  }
}

/**
 * unmap_mapping_range(mapping, startByte, lengthBytes, evenCows): in every VMA mapping the file
 * range, zap the PTEs and huge PMDs that map it (a partly covered huge PMD is removed whole);
 * with evenCows false, private COW copies survive (D5, F3). As the kernel does, the start is
 * rounded down and the length up to pages, and length 0 means "to the end of the file".
 * Returns the mappings removed. i_mmap lock held; each page table's lock taken per VMA.
 */
export function unmapFileRange<F extends MappedFile>(
  rmap: FileRmap<F>,
  startByte: number,
  lengthBytes: number,
  evenCows: boolean,
): number {
  let removed = 0;
  forEachSpan(rmap, 'unmapFileRange', startByte, lengthBytes, false, (vma, span) => {
    removed += vma.mm.pageTable.zapRange(span.start, span.end, { evenCows });
  });
  return removed;
}

/**
 * dax_mapping_entry_mkclean over a byte range: write-protect every PTE and huge PMD that maps
 * any part of it in every shared VMA (W3, H6). Private VMAs are skipped as the kernel does:
 * they never map the file's pfns writable, and their COW copies are not the file's.
 * Length 0 means "to the end of the file". Returns the mappings changed. i_mmap lock held.
 */
export function wrprotectFileRange<F extends MappedFile>(
  rmap: FileRmap<F>,
  startByte: number,
  lengthBytes: number,
): number {
  let changed = 0;
  forEachSpan(rmap, 'wrprotectFileRange', startByte, lengthBytes, true, (vma, span) => {
    changed += vma.mm.pageTable.wrprotectRange(span.start, span.end);
  });
  return changed;
}

/** unmap_mapping_range_tree: call `fn` with each VMA's virtual span of the file range. */
function forEachSpan<F extends MappedFile>(
  rmap: FileRmap<F>,
  op: string,
  startByte: number,
  lengthBytes: number,
  sharedOnly: boolean,
  fn: (vma: Vma<F>, span: VmaSpan) => void,
): void {
  if (
    !Number.isSafeInteger(startByte) ||
    !Number.isSafeInteger(lengthBytes) ||
    startByte < 0 ||
    lengthBytes < 0
  ) {
    throw new RangeError(`${op}: start ${startByte} and length ${lengthBytes} must be non-negative integers`);
  }
  const firstPage = Math.floor(startByte / PAGE_SIZE);
  const lastPage =
    lengthBytes === 0 ? Number.POSITIVE_INFINITY : firstPage + Math.ceil(lengthBytes / PAGE_SIZE) - 1;
  for (const vma of rmap.vmasOverlapping(firstPage, lastPage)) {
    if (sharedOnly && !vma.shared) continue;
    const vmaLast = vma.pgoff + (vma.end - vma.start) / PAGE_SIZE - 1;
    const zba = Math.max(firstPage, vma.pgoff);
    const zea = Math.min(lastPage, vmaLast);
    fn(vma, {
      start: vma.start + (zba - vma.pgoff) * PAGE_SIZE,
      end: vma.start + (zea - vma.pgoff + 1) * PAGE_SIZE,
    });
  }
}
