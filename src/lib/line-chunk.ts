/**
 * One 64 KiB piece of a LineStore (line-store.ts): the 64-byte lines of it that are present,
 * in one of two forms.
 *
 * - sparse: the present lines' numbers, sorted, in `ids[0, count)`, and their bytes in `slab`
 *   (line `ids[i]` at `i * 64`); both grow by doubling. Memory is proportional to the lines
 *   present, so one byte stored per page costs a line, not a page or a chunk.
 * - dense: one 64 KiB array (`bytes`, line `n` at `n * 64`) and a presence bitmap; taken once
 *   more than DENSE_LINES lines are present (a quarter of the chunk: from there a slab would
 *   cost about as much), and kept until the chunk empties.
 *
 * Invariants: `count` is the number of present lines; in the dense form an absent line's bytes
 * are zero (so a dense chunk reads as one copy, absent lines as zeros); a freshly inserted line
 * reads as zeros until written.
 */

/** Bytes per line: the unit of presence (a CPU cache line). */
export const LINE_BYTES = 64;
/** Bytes per chunk. */
export const CHUNK_BYTES = 64 * 1024;
/** Lines per chunk. */
export const LINES_PER_CHUNK = CHUNK_BYTES / LINE_BYTES;
/** Present lines above which a chunk is stored densely. */
export const DENSE_LINES = LINES_PER_CHUNK / 4;

const WORDS = LINES_PER_CHUNK / 32;
const FIRST_CAPACITY = 4;

/** Population count of a 32-bit word. */
function popcount(w: number): number {
  let v = w - ((w >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The present lines of one chunk. */
export class LineChunk {
  count = 0;
  ids: Uint16Array | null = null;
  slab: Uint8Array | null = null;
  bytes: Uint8Array | null = null;
  bits: Uint32Array | null = null;

  constructor(dense: boolean) {
    if (dense) {
      this.bytes = new Uint8Array(CHUNK_BYTES);
      this.bits = new Uint32Array(WORDS);
    } else {
      this.ids = new Uint16Array(FIRST_CAPACITY);
      this.slab = new Uint8Array(FIRST_CAPACITY * LINE_BYTES);
    }
  }

  /** Bytes of line storage held (the host memory this chunk costs, near enough). */
  get heldBytes(): number {
    return this.bytes !== null ? CHUNK_BYTES : this.slab!.length;
  }

  /** The array present lines live in (`slab` or `bytes`). */
  get storage(): Uint8Array {
    return this.bytes ?? this.slab!;
  }

  /** Sparse form: the position of `line` in `ids`, or -(insertion point) - 1. */
  private find(line: number): number {
    const ids = this.ids!;
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid]!;
      if (v < line) lo = mid + 1;
      else if (v > line) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  /** Offset in `storage` of present `line`, or -1 when absent. */
  offsetOf(line: number): number {
    if (this.bits !== null)
      return (this.bits[line >>> 5]! & (1 << (line & 31))) !== 0 ? line * LINE_BYTES : -1;
    const i = this.find(line);
    return i >= 0 ? i * LINE_BYTES : -1;
  }

  /** Make `line` present (reading as zeros); returns its offset in `storage`. Offsets of other lines may move. */
  insert(line: number): number {
    if (this.bits === null && this.count >= DENSE_LINES) this.densify();
    if (this.bits !== null) {
      this.bits[line >>> 5]! |= 1 << (line & 31);
      this.count++;
      return line * LINE_BYTES;
    }
    const at = -this.find(line) - 1;
    if (this.count === this.ids!.length) this.grow();
    const ids = this.ids!;
    const slab = this.slab!;
    ids.copyWithin(at + 1, at, this.count);
    slab.copyWithin((at + 1) * LINE_BYTES, at * LINE_BYTES, this.count * LINE_BYTES);
    ids[at] = line;
    slab.fill(0, at * LINE_BYTES, (at + 1) * LINE_BYTES);
    this.count++;
    return at * LINE_BYTES;
  }

  /** Make present `line` absent. */
  remove(line: number): void {
    if (this.bits !== null) {
      this.bits[line >>> 5]! &= ~(1 << (line & 31));
      this.bytes!.fill(0, line * LINE_BYTES, (line + 1) * LINE_BYTES);
      this.count--;
      return;
    }
    const at = this.find(line);
    this.ids!.copyWithin(at, at + 1, this.count);
    this.slab!.copyWithin(at * LINE_BYTES, (at + 1) * LINE_BYTES, this.count * LINE_BYTES);
    this.count--;
  }

  /** Switch to the dense form (same lines, same bytes). */
  densify(): void {
    if (this.bits !== null) return;
    const bytes = new Uint8Array(CHUNK_BYTES);
    const bits = new Uint32Array(WORDS);
    for (let i = 0; i < this.count; i++) {
      const line = this.ids![i]!;
      bytes.set(this.slab!.subarray(i * LINE_BYTES, (i + 1) * LINE_BYTES), line * LINE_BYTES);
      bits[line >>> 5]! |= 1 << (line & 31);
    }
    this.bytes = bytes;
    this.bits = bits;
    this.ids = null;
    this.slab = null;
  }

  /** Dense form: mark lines [first, last] present; returns how many were absent. */
  setRange(first: number, last: number): number {
    const bits = this.bits!;
    let added = 0;
    for (let line = first; line <= last; ) {
      const word = line >>> 5;
      const lo = line & 31;
      const hi = Math.min(31, lo + (last - line));
      const mask = hi === 31 ? ~0 << lo : ((1 << (hi - lo + 1)) - 1) << lo;
      added += popcount(mask & ~bits[word]!);
      bits[word]! |= mask;
      line += hi - lo + 1;
    }
    this.count += added;
    return added;
  }

  /** The present lines in [first, last], ascending (a snapshot). */
  presentIn(first: number, last: number): number[] {
    const out: number[] = [];
    if (this.bits !== null) {
      for (let line = first; line <= last; line++) {
        const w = this.bits[line >>> 5]!;
        if (w === 0) {
          line |= 31;
          continue;
        }
        if ((w & (1 << (line & 31))) !== 0) out.push(line);
      }
      return out;
    }
    let i = this.find(first);
    if (i < 0) i = -i - 1;
    for (; i < this.count && this.ids![i]! <= last; i++) out.push(this.ids![i]!);
    return out;
  }

  private grow(): void {
    const ids = new Uint16Array(this.ids!.length * 2);
    ids.set(this.ids!);
    const slab = new Uint8Array(this.slab!.length * 2);
    slab.set(this.slab!);
    this.ids = ids;
    this.slab = slab;
  }
}
