/**
 * One lazily allocated 64 KiB piece of a pmem device: its media bytes and, once something was
 * stored through a mapping, a CPU-cache view with a dirty-line bitmap (B2).
 *
 * Invariants:
 * - `cache === null` implies no dirty line: the cache view then equals media.
 * - A clean line (bit clear) holds the same bytes in `cache` and `media`; only a dirty line may
 *   differ, so a crash that reverts a dirty line to media loses exactly the unflushed stores.
 * - `dirtyCount` equals the number of set bits in `dirty`.
 */

/** Bytes per storage chunk. */
export const CHUNK_BYTES = 64 * 1024;
/** Bytes per CPU cache line: the unit of dirtiness, flushing and crash loss. */
export const LINE_BYTES = 64;
/** Cache lines per chunk. */
export const LINES_PER_CHUNK = CHUNK_BYTES / LINE_BYTES;

const WORDS_PER_CHUNK = LINES_PER_CHUNK / 32;

/** Decides, per dirty line in ascending order, whether a crash loses it. */
export type LoseLine = () => boolean;

/** Media plus optional cache view of one 64 KiB chunk. */
export class MediaChunk {
  readonly media = new Uint8Array(CHUNK_BYTES);
  cache: Uint8Array | null = null;
  private dirty: Uint32Array | null = null;
  dirtyCount = 0;

  /** The bytes the CPU sees: the cache view when there is one, else media. */
  view(): Uint8Array {
    return this.cache ?? this.media;
  }

  /** The cache view, created on first use as a copy of media (everything clean). */
  ensureCache(): Uint8Array {
    if (this.cache === null) {
      this.cache = this.media.slice();
      this.dirty = new Uint32Array(WORDS_PER_CHUNK);
    }
    return this.cache;
  }

  /** Marks every line overlapping [from, to) dirty; returns how many were clean before. Needs ensureCache. */
  markDirty(from: number, to: number): number {
    const bits = this.dirty!;
    const last = (to - 1) >>> 6;
    let added = 0;
    for (let line = from >>> 6; line <= last; line++) {
      const word = line >>> 5;
      const mask = 1 << (line & 31);
      const w = bits[word]!;
      if ((w & mask) === 0) {
        bits[word] = w | mask;
        added++;
      }
    }
    this.dirtyCount += added;
    return added;
  }

  /**
   * Clears the dirty bit of lines lying wholly inside [from, to), whose cache and media bytes a
   * durable write just made equal; returns how many were cleared. Partly covered lines stay dirty.
   */
  cleanCovered(from: number, to: number): number {
    if (this.dirtyCount === 0) return 0;
    const bits = this.dirty!;
    const first = (from + LINE_BYTES - 1) >>> 6;
    const end = to >>> 6;
    let cleared = 0;
    for (let line = first; line < end; line++) {
      const word = line >>> 5;
      const mask = 1 << (line & 31);
      const w = bits[word]!;
      if ((w & mask) !== 0) {
        bits[word] = w & ~mask;
        cleared++;
      }
    }
    this.dirtyCount -= cleared;
    return cleared;
  }

  /** Writes back every dirty line overlapping [from, to) to media (clwb); returns how many. */
  flushLines(from: number, to: number): number {
    if (this.dirtyCount === 0) return 0;
    const bits = this.dirty!;
    const cache = this.cache!;
    const lastLine = (to - 1) >>> 6;
    let flushed = 0;
    for (let word = from >>> 11; word <= lastLine >>> 5; word++) {
      let w = bits[word]!;
      if (w === 0) continue;
      for (let bit = 0; bit < 32; bit++) {
        const line = (word << 5) | bit;
        if ((w & (1 << bit)) === 0 || line < from >>> 6 || line > lastLine) continue;
        w &= ~(1 << bit);
        const start = line << 6;
        this.media.set(cache.subarray(start, start + LINE_BYTES), start);
        flushed++;
      }
      bits[word] = w;
    }
    this.dirtyCount -= flushed;
    return flushed;
  }

  /**
   * Power failure: each dirty line, in ascending order, is either lost (reverts to media) or
   * happened to be written back before the crash (media takes the cache bytes). Afterwards the
   * chunk has no cache view. Returns the number of lines lost.
   */
  crash(lose: LoseLine): number {
    const cache = this.cache;
    const bits = this.dirty;
    let lost = 0;
    if (cache !== null && bits !== null) {
      for (let line = 0; line < LINES_PER_CHUNK; line++) {
        if ((bits[line >>> 5]! & (1 << (line & 31))) === 0) continue;
        const start = line << 6;
        if (lose()) lost++;
        else this.media.set(cache.subarray(start, start + LINE_BYTES), start);
      }
    }
    this.cache = null;
    this.dirty = null;
    this.dirtyCount = 0;
    return lost;
  }

  /** Drops the cache view; only legal when no line is dirty. */
  dropCache(): void {
    if (this.dirtyCount !== 0) throw new Error('MediaChunk.dropCache: chunk still has dirty lines');
    this.cache = null;
    this.dirty = null;
  }
}
