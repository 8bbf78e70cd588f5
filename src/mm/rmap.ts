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
export interface VmaSpan {
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
 * unmap_mapping_range's walk of i_mmap (unmap_mapping_range_tree; D5, W3): each VMA mapping
 * any of file bytes [startByte, startByte + lengthBytes), with its virtual span of them. As the
 * kernel does, the start is rounded down and the length up to pages (not the end), and length
 * 0 means "to the end of the file". `sharedOnly` skips private VMAs (mkclean's walk: they never
 * map the file's pfns writable). i_mmap lock held.
 */
export function vmaSpans<F extends MappedFile>(
  rmap: FileRmap<F>,
  op: string,
  startByte: number,
  lengthBytes: number,
  sharedOnly: boolean,
): [Vma<F>, VmaSpan][] {
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
  const out: [Vma<F>, VmaSpan][] = [];
  for (const vma of rmap.vmasOverlapping(firstPage, lastPage)) {
    if (sharedOnly && !vma.shared) continue;
    const vmaLast = vma.pgoff + (vma.end - vma.start) / PAGE_SIZE - 1;
    const zba = Math.max(firstPage, vma.pgoff);
    const zea = Math.min(lastPage, vmaLast);
    out.push([
      vma,
      {
        start: vma.start + (zba - vma.pgoff) * PAGE_SIZE,
        end: vma.start + (zea - vma.pgoff + 1) * PAGE_SIZE,
      },
    ]);
  }
  return out;
}
