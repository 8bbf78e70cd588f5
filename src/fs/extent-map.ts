/**
 * A file's extent list (F1): the allocated (mapped or unwritten) extents in file order; holes are
 * the gaps between them.
 *
 * Invariants (checked by `check()`):
 * - Extents are sorted by offset, do not overlap, have positive lengths, and offsets, lengths
 *   and physical offsets are multiples of BLOCK_SIZE.
 * - The list is canonical: two neighbours of the same type that touch in the file and on the
 *   device are always merged, so equal block maps have equal lists.
 * Lookup is a binary search (O(log n)); edits splice the array (O(n) moves, small in practice).
 */
import { BLOCK_SIZE, MAX_FILE_BYTES } from './iomap.js';

/** Type of a stored (allocated) extent. */
export type AllocatedType = 'mapped' | 'unwritten';

/** One allocated extent: file range [offset, offset + length) at device byte offset `phys`. */
export interface Extent {
  offset: number;
  length: number;
  type: AllocatedType;
  phys: number;
}

/** A gap in the map: file range [start, end) holds no blocks. */
export interface Gap {
  start: number;
  end: number;
}

/** What covers a file offset: an extent, or the gap around it. */
export type Lookup = { extent: Extent; index: number } | { gap: Gap; index: number };

function touches(a: Extent, b: Extent): boolean {
  return a.type === b.type && a.offset + a.length === b.offset && a.phys + a.length === b.phys;
}

/** The sorted, canonical extent list of one file. F1. */
export class ExtentMap {
  private readonly list: Extent[] = [];

  /** Number of stored (non-hole) extents. */
  get count(): number {
    return this.list.length;
  }

  /** Bytes of allocated blocks (mapped and unwritten). */
  get allocatedBytes(): number {
    let sum = 0;
    for (const e of this.list) sum += e.length;
    return sum;
  }

  /** Index of the first extent whose end lies beyond `pos` (binary search). */
  private firstEndingAfter(pos: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.list[mid]!;
      if (e.offset + e.length <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The extent containing `pos`, or the gap around it (a gap after the last extent is unbounded). */
  lookup(pos: number): Lookup {
    const i = this.firstEndingAfter(pos);
    const e = this.list[i];
    if (e !== undefined && e.offset <= pos) return { extent: { ...e }, index: i };
    const prev = this.list[i - 1];
    return {
      gap: { start: prev === undefined ? 0 : prev.offset + prev.length, end: e?.offset ?? MAX_FILE_BYTES },
      index: i,
    };
  }

  /** Copies of the extents overlapping [start, end), in order, unclipped. */
  overlapping(start: number, end: number): Extent[] {
    const out: Extent[] = [];
    for (let i = this.firstEndingAfter(start); i < this.list.length; i++) {
      const e = this.list[i]!;
      if (e.offset >= end) break;
      out.push({ ...e });
    }
    return out;
  }

  /** All extents (copies), in order. */
  all(): Extent[] {
    return this.list.map((e) => ({ ...e }));
  }

  /** Records a new extent over a range that must be a hole; merges with touching neighbours. */
  insert(ext: Extent): void {
    assertBlocks(ext);
    const i = this.firstEndingAfter(ext.offset);
    const next = this.list[i];
    if (next !== undefined && next.offset < ext.offset + ext.length) {
      throw new Error(`ExtentMap.insert: [${ext.offset}, +${ext.length}) overlaps extent at ${next.offset}`);
    }
    this.list.splice(i, 0, { ...ext });
    this.mergeAround(i);
  }

  /**
   * Removes every block in [start, end) from the map, splitting extents at the edges; returns the
   * removed pieces (device ranges to free), in file order.
   */
  remove(start: number, end: number): Extent[] {
    const removed: Extent[] = [];
    let i = this.firstEndingAfter(start);
    while (i < this.list.length) {
      const e = this.list[i]!;
      if (e.offset >= end) break;
      const eEnd = e.offset + e.length;
      const cutStart = Math.max(start, e.offset);
      const cutEnd = Math.min(end, eEnd);
      removed.push({
        offset: cutStart,
        length: cutEnd - cutStart,
        type: e.type,
        phys: e.phys + cutStart - e.offset,
      });
      const pieces: Extent[] = [];
      if (e.offset < cutStart) pieces.push({ ...e, length: cutStart - e.offset });
      if (cutEnd < eEnd) {
        pieces.push({ ...e, offset: cutEnd, length: eEnd - cutEnd, phys: e.phys + cutEnd - e.offset });
      }
      this.list.splice(i, 1, ...pieces);
      i += pieces.length;
    }
    return removed;
  }

  /** Changes the type of [start, end), which must lie inside one extent (unwritten conversion); merges. */
  convert(start: number, end: number, type: AllocatedType): void {
    const i = this.firstEndingAfter(start);
    const e = this.list[i];
    if (e === undefined || e.offset > start || e.offset + e.length < end) {
      throw new Error(`ExtentMap.convert: [${start}, ${end}) is not inside one extent`);
    }
    if (e.type === type) return;
    const removed = this.remove(start, end)[0]!;
    this.insert({ ...removed, type });
  }

  private mergeAround(i: number): void {
    const cur = this.list[i]!;
    const next = this.list[i + 1];
    if (next !== undefined && touches(cur, next)) {
      cur.length += next.length;
      this.list.splice(i + 1, 1);
    }
    const prev = this.list[i - 1];
    if (prev !== undefined && touches(prev, cur)) {
      prev.length += cur.length;
      this.list.splice(i, 1);
    }
  }

  /** Throws an Error naming the first broken invariant (sorted, disjoint, aligned, canonical). */
  check(): void {
    let prev: Extent | undefined;
    for (const e of this.list) {
      assertBlocks(e);
      if (prev !== undefined) {
        if (prev.offset + prev.length > e.offset) {
          throw new Error(`ExtentMap: extent at ${prev.offset} overlaps or precedes extent at ${e.offset}`);
        }
        if (touches(prev, e))
          throw new Error(`ExtentMap: extents at ${prev.offset} and ${e.offset} not merged`);
      }
      prev = e;
    }
  }
}

function assertBlocks(e: Extent): void {
  const ok =
    Number.isSafeInteger(e.offset) &&
    Number.isSafeInteger(e.length) &&
    Number.isSafeInteger(e.phys) &&
    e.offset >= 0 &&
    e.length > 0 &&
    e.phys >= 0 &&
    e.offset % BLOCK_SIZE === 0 &&
    e.length % BLOCK_SIZE === 0 &&
    e.phys % BLOCK_SIZE === 0;
  if (!ok) {
    throw new Error(`ExtentMap: extent [${e.offset}, +${e.length}) @${e.phys} is not a positive block range`);
  }
}
