/**
 * A sparse byte array kept by 64-byte lines: what the pmem device's media and CPU-cache view
 * and the data oracle's shadow are made of. Memory follows the lines written, not the range
 * they are spread over: a byte stored every 4 KiB across 8 GiB costs 2M lines (128 MiB and
 * some bookkeeping), where 64 KiB chunks would have cost 8 GiB.
 *
 * Invariants:
 * - A line is present or absent; what an absent line means is the owner's (zeros for media,
 *   "clean, see media" for the cache view). Lines become present only by being written.
 * - Lines are grouped in 64 KiB chunks (line-chunk.ts), sparse or dense; a chunk with no
 *   present line is dropped, so `lines` and `heldBytes` count exactly what is held.
 * - Range operations visit only existing chunks when that is cheaper than the dense range, so
 *   an operation over a terabyte of an almost empty store costs what the store holds.
 * - Writes that cover many lines of a chunk store it densely and copy once (read(2)/write(2)
 *   bandwidth); a write partly covering a line that was absent first fills that line from
 *   `init` (the media under a cache line), or leaves it zero.
 */
import { CHUNK_BYTES, DENSE_LINES, LINE_BYTES, LineChunk } from './line-chunk.js';

/** Fills a line that becomes present under a partial write: `dst[off, off + 64)` for line address `addr`. */
export type LineInit = (addr: number, dst: Uint8Array, off: number) => void;

/** Bytes to write: a source array window, or one byte repeated. */
type Source = { src: Uint8Array; at: number } | { byte: number };

/** A sparse, line-granular byte array. */
export class LineStore {
  private readonly chunks = new Map<number, LineChunk>();
  private present = 0;
  private held = 0;

  /** Present lines. */
  get lines(): number {
    return this.present;
  }

  /** Bytes of line storage held (slabs and dense chunks). */
  get heldBytes(): number {
    return this.held;
  }

  /** True when the line holding `offset` is present. */
  has(offset: number): boolean {
    const c = this.chunks.get(Math.floor(offset / CHUNK_BYTES));
    return c !== undefined && c.offsetOf((offset % CHUNK_BYTES) >>> 6) >= 0;
  }

  /** The byte at `offset` when its line is present, else undefined. */
  byteAt(offset: number): number | undefined {
    const c = this.chunks.get(Math.floor(offset / CHUNK_BYTES));
    if (c === undefined) return undefined;
    const within = offset % CHUNK_BYTES;
    const at = c.offsetOf(within >>> 6);
    return at < 0 ? undefined : c.storage[at + (within & (LINE_BYTES - 1))];
  }

  /**
   * Copy [offset, offset + n) into `dst` at `dstOff`. `absent`: 'zero' writes zeros for absent
   * lines; 'keep' leaves `dst` as it is there (an overlay over what the caller put in first).
   */
  readInto(offset: number, dst: Uint8Array, dstOff: number, n: number, absent: 'zero' | 'keep'): void {
    this.forChunks(offset, n, absent === 'zero', (c, within, len, pos) => {
      const d = dstOff + (pos - offset);
      if (c === undefined) {
        if (absent === 'zero') dst.fill(0, d, d + len);
        return;
      }
      if (c.bytes !== null && (absent === 'zero' || c.count === CHUNK_BYTES / LINE_BYTES)) {
        copy(c.bytes, within, dst, d, len);
        return;
      }
      if (absent === 'zero') dst.fill(0, d, d + len);
      for (const line of c.presentIn(within >>> 6, (within + len - 1) >>> 6)) {
        const from = Math.max(within, line * LINE_BYTES);
        const to = Math.min(within + len, (line + 1) * LINE_BYTES);
        copy(c.storage, c.offsetOf(line) + (from - line * LINE_BYTES), dst, d + (from - within), to - from);
      }
    });
  }

  /** Write `src[srcOff, srcOff + n)` at `offset`; returns how many lines became present. */
  write(offset: number, src: Uint8Array, srcOff: number, n: number, init?: LineInit): number {
    return this.put(offset, n, { src, at: srcOff - offset }, init);
  }

  /** Write `n` copies of `byte` at `offset`; returns how many lines became present. */
  fill(offset: number, n: number, byte: number, init?: LineInit): number {
    return this.put(offset, n, { byte }, init);
  }

  /** Write `src[srcOff, srcOff + n)` into the present lines of [offset, offset + n) only. */
  writePresent(offset: number, src: Uint8Array, srcOff: number, n: number): void {
    this.putPresent(offset, n, { src, at: srcOff - offset });
  }

  /** Write `byte` into the present lines of [offset, offset + n) only. */
  fillPresent(offset: number, n: number, byte: number): void {
    this.putPresent(offset, n, { byte });
  }

  private putPresent(offset: number, n: number, source: Source): void {
    this.forChunks(offset, n, false, (c, within, len, pos) => {
      if (c === undefined) return;
      for (const line of c.presentIn(within >>> 6, (within + len - 1) >>> 6)) {
        const from = Math.max(within, line * LINE_BYTES);
        const to = Math.min(within + len, (line + 1) * LINE_BYTES);
        const at = c.offsetOf(line) + (from - line * LINE_BYTES);
        putBytes(c.storage, at, to - from, source, pos + (from - within));
      }
    });
  }

  /** Make absent every line lying wholly inside [offset, offset + n); returns how many were present. */
  removeCovered(offset: number, n: number): number {
    let removed = 0;
    this.forChunks(offset, n, false, (c, within, len, pos) => {
      if (c === undefined) return;
      const first = (within + LINE_BYTES - 1) >>> 6;
      const end = (within + len) >>> 6;
      if (first === 0 && end === CHUNK_BYTES / LINE_BYTES) {
        removed += c.count;
        this.drop(Math.floor(pos / CHUNK_BYTES), c);
        return;
      }
      if (end <= first) return;
      const [count, held] = [c.count, c.heldBytes];
      for (const line of c.presentIn(first, end - 1)) c.remove(line);
      removed += this.settle(Math.floor(pos / CHUNK_BYTES), c, count, held);
    });
    return removed;
  }

  /**
   * Visit the present lines overlapping [offset, offset + n) in ascending address order, then
   * make them absent: `fn(addr, storage, off)` sees the line's 64 bytes at `storage[off]`.
   * Returns how many lines were taken.
   */
  take(offset: number, n: number, fn: (addr: number, storage: Uint8Array, off: number) => void): number {
    let taken = 0;
    this.forChunks(offset, n, false, (c, within, len, pos) => {
      if (c === undefined) return;
      const base = pos - within;
      const lines = c.presentIn(within >>> 6, (within + len - 1) >>> 6);
      for (const line of lines) fn(base + line * LINE_BYTES, c.storage, c.offsetOf(line));
      const [count, held] = [c.count, c.heldBytes];
      for (const line of lines) c.remove(line);
      taken += this.settle(Math.floor(pos / CHUNK_BYTES), c, count, held);
    });
    return taken;
  }

  /** Make every line absent. */
  clear(): void {
    this.chunks.clear();
    this.present = 0;
    this.held = 0;
  }

  private put(offset: number, n: number, source: Source, init: LineInit | undefined): number {
    let added = 0;
    this.forChunks(offset, n, true, (existing, within, len, pos) => {
      const ci = Math.floor(pos / CHUNK_BYTES);
      const first = within >>> 6;
      const last = (within + len - 1) >>> 6;
      let c = existing;
      if (c === undefined) {
        c = new LineChunk(last - first + 1 > DENSE_LINES);
        this.chunks.set(ci, c);
        this.held += c.heldBytes;
      }
      const held = c.heldBytes;
      if (c.bytes === null && c.count + (last - first + 1) > DENSE_LINES) c.densify();
      const n = putChunk(c, pos - within, within, len, source, init);
      added += n;
      this.present += n;
      this.held += c.heldBytes - held;
    });
    return added;
  }

  /** Account for lines removed from `c` (it had `count` lines, `held` bytes); drops it when empty. */
  private settle(ci: number, c: LineChunk, count: number, held: number): number {
    const removed = count - c.count;
    this.present -= removed;
    if (c.count === 0) {
      this.chunks.delete(ci);
      this.held -= held;
    } else this.held += c.heldBytes - held;
    return removed;
  }

  private drop(ci: number, c: LineChunk): void {
    this.present -= c.count;
    this.held -= c.heldBytes;
    this.chunks.delete(ci);
  }

  /**
   * Call `fn(chunk | undefined, within, len, pos)` for each chunk piece of [offset, offset + n)
   * in ascending order; with `all` false, only pieces of existing chunks (found from the map's
   * keys when the range has more chunks than the map).
   */
  private forChunks(
    offset: number,
    n: number,
    all: boolean,
    fn: (c: LineChunk | undefined, within: number, len: number, pos: number) => void,
  ): void {
    if (n <= 0) return;
    const end = offset + n;
    const first = Math.floor(offset / CHUNK_BYTES);
    const last = Math.floor((end - 1) / CHUNK_BYTES);
    const piece = (ci: number, c: LineChunk | undefined) => {
      const pos = Math.max(offset, ci * CHUNK_BYTES);
      const stop = Math.min(end, (ci + 1) * CHUNK_BYTES);
      fn(c, pos - ci * CHUNK_BYTES, stop - pos, pos);
    };
    if (all || last - first + 1 <= this.chunks.size) {
      for (let ci = first; ci <= last; ci++) {
        const c = this.chunks.get(ci);
        if (all || c !== undefined) piece(ci, c);
      }
      return;
    }
    const keys: number[] = [];
    for (const ci of this.chunks.keys()) if (ci >= first && ci <= last) keys.push(ci);
    keys.sort((a, b) => a - b);
    for (const ci of keys) piece(ci, this.chunks.get(ci));
  }
}

function copy(src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number, n: number): void {
  if (n <= 64) for (let i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i]!;
  else dst.set(src.subarray(srcOff, srcOff + n), dstOff);
}

/** Write `n` source bytes for store position `pos` into `dst[at, at + n)`. */
function putBytes(dst: Uint8Array, at: number, n: number, source: Source, pos: number): void {
  if ('byte' in source) dst.fill(source.byte, at, at + n);
  else copy(source.src, source.at + pos, dst, at, n);
}

/**
 * Write [within, within + len) of chunk `c` (at store position `base`); returns the lines that
 * became present. Dense: init absent edge lines, one copy, mark the lines present. Sparse: line
 * by line, inserting absent lines (filled by `init` when only partly written).
 */
function putChunk(
  c: LineChunk,
  base: number,
  within: number,
  len: number,
  source: Source,
  init?: LineInit,
): number {
  if (c.bytes === null) return putSparse(c, base, within, len, source, init);
  const bytes = c.bytes;
  const first = within >>> 6;
  const last = (within + len - 1) >>> 6;
  if (init !== undefined) {
    const edges = first === last ? [first] : [first, last];
    for (const line of edges) {
      const partial = within > line * LINE_BYTES || within + len < (line + 1) * LINE_BYTES;
      if (partial && c.offsetOf(line) < 0) init(base + line * LINE_BYTES, bytes, line * LINE_BYTES);
    }
  }
  putBytes(bytes, within, len, source, base + within);
  return c.setRange(first, last);
}

function putSparse(c: LineChunk, base: number, within: number, len: number, source: Source, init?: LineInit) {
  let added = 0;
  const end = within + len;
  for (let line = within >>> 6; line * LINE_BYTES < end; line++) {
    const lineStart = line * LINE_BYTES;
    const from = Math.max(within, lineStart);
    const to = Math.min(end, lineStart + LINE_BYTES);
    let at = c.offsetOf(line);
    if (at < 0) {
      at = c.insert(line);
      added++;
      if (init !== undefined && to - from < LINE_BYTES) init(base + lineStart, c.storage, at);
    }
    putBytes(c.storage, at + (from - lineStart), to - from, source, base + from);
  }
  return added;
}
