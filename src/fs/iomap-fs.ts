/**
 * The iomap filesystem (F1-F3): files as extent lists over a pmem device, with ->iomap_begin /
 * ->iomap_end, block-level truncate, punch hole and fallocate, and a configurable allocation
 * policy. Plain synchronous code: the DAX layer calls it between scheduling points and holds the
 * locks (S1, D6).
 *
 * Invariants (checked by `check()`):
 * - Every inode's extent map is canonical (see ExtentMap) and no device block belongs to two
 *   extents, in one file or across files.
 * - `usedBytes` equals the bytes held by all extents, and never exceeds the free-space limit.
 * - Blocks are zeroed durably on the device before any extent maps them as `mapped`
 *   (allocation and unwritten conversion), so nobody reads stale device data; unwritten extents
 *   read as zeros and need no zeroing until converted.
 * - A failing call (an Errno) changes nothing.
 * Blocks past EOF may stay allocated (the extent size hint preallocates like XFS's extsize);
 * they hold zeros, truncate frees them when shrinking, and reads past EOF see a hole.
 */
import type { PmemDevice } from '../block/pmem.js';
import type { Errno } from '../lib/errno.js';
import { BlockAllocator } from './allocator.js';
import type { Extent } from './extent-map.js';
import { Inode } from './inode.js';
import {
  BLOCK_SIZE,
  type CreateFileOptions,
  type FsOptions,
  type Iomap,
  MAX_FILE_BYTES,
  SECTOR_SIZE,
} from './iomap.js';
import { planLayout } from './layout.js';
import { allocateForWrite, hintedRange } from './write-alloc.js';

const PMD_BYTES = 2 * 1024 * 1024;

const alignDown = (x: number, a: number): number => Math.floor(x / a) * a;
const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

function toIomap(e: Extent, isNew: boolean): Iomap {
  return { type: e.type, offset: e.offset, length: e.length, sector: e.phys / SECTOR_SIZE, isNew };
}

function hole(start: number, end: number): Iomap {
  return { type: 'hole', offset: start, length: end - start, sector: -1, isNew: false };
}

function assertRange(what: string, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new RangeError(
      `IomapFs.${what}: offset ${offset} and length ${length} must be non-negative integers`,
    );
  }
  if (offset + length > MAX_FILE_BYTES) {
    throw new RangeError(`IomapFs.${what}: range [${offset}, +${length}) exceeds the maximum file size 2^52`);
  }
}

/** An XFS-like DAX filesystem on one pmem device. F1-F3. */
export class IomapFs {
  readonly dev: PmemDevice;
  /** device alignment of new extents (F2) */
  readonly allocAlignBytes: number;
  /** allocation unit of writes into holes (F2) */
  readonly extentHintBytes: number;
  /** S4 `block-alloc` injection: return true to make this block allocation fail with ENOSPC */
  blockAllocHook?: () => boolean;
  /** test hook (M6, P3): return an Errno to make iomapBegin fail before it looks at anything */
  iomapBeginHook?: (inode: Inode, pos: number, len: number, write: boolean) => Errno | null;
  /** test hook (M9): return an Errno to make iomapEnd report failure (the iomap is released anyway) */
  iomapEndHook?: (inode: Inode, pos: number, len: number) => Errno | null;

  private readonly alloc: BlockAllocator;
  private readonly byPath = new Map<string, Inode>();
  private nextIno = 1;

  constructor(dev: PmemDevice, opts: FsOptions = {}) {
    const align = opts.allocAlignBytes ?? PMD_BYTES;
    const hint = opts.extentHintBytes ?? Math.max(PMD_BYTES, align);
    const pow2 = Number.isSafeInteger(align) && align > 0 && 2 ** Math.round(Math.log2(align)) === align;
    if (!pow2 || align < BLOCK_SIZE) {
      throw new RangeError(`IomapFs: allocAlignBytes ${align} must be a power of two >= 4096`);
    }
    if (!Number.isSafeInteger(hint) || hint < align || hint % BLOCK_SIZE !== 0) {
      throw new RangeError(
        `IomapFs: extentHintBytes ${hint} must be a multiple of 4096 and >= allocAlignBytes`,
      );
    }
    this.dev = dev;
    this.allocAlignBytes = align;
    this.extentHintBytes = hint;
    this.alloc = new BlockAllocator(dev.sizeBytes, opts.freeSpaceBytes ?? dev.sizeBytes);
  }

  /** Bytes the allocator may still hand out (free-space limit and device space). */
  get freeBytes(): number {
    return this.alloc.freeBytes;
  }

  /** Bytes of device blocks owned by files (mapped and unwritten). */
  get usedBytes(): number {
    return this.alloc.usedBytes;
  }

  /** All files, in creation order. */
  get files(): Inode[] {
    return [...this.byPath.values()];
  }

  /** Creates a file at setup with its initial layout; throws (RangeError/Error) on a bad spec or no space. */
  createFile(path: string, opts: CreateFileOptions): Inode {
    if (typeof path !== 'string' || path.length === 0)
      throw new RangeError('createFile: path must be non-empty');
    if (this.byPath.has(path)) throw new Error(`createFile ${path}: file exists`);
    const fill = opts.fill ?? 0;
    if (!Number.isInteger(fill) || fill < 0 || fill > 255) {
      throw new RangeError(`createFile ${path}: fill ${fill} must be a byte in [0, 255]`);
    }
    const plan = planLayout(path, opts);
    let need = 0;
    for (const p of plan) {
      need += p.length;
      if (p.phys !== undefined && !this.alloc.isFree(p.phys, p.length)) {
        throw new RangeError(
          `createFile ${path}: sectors of extent at ${p.offset} are not free (superblock, in use or past the device)`,
        );
      }
    }
    if (need > this.alloc.freeBytes) {
      throw new RangeError(`createFile ${path}: ENOSPC: needs ${need} bytes, ${this.alloc.freeBytes} free`);
    }
    const inode = new Inode(this.nextIno++, path, opts.size);
    // Fixed sectors first, so the allocator cannot hand them to an auto-placed extent.
    for (const p of plan) if (p.phys !== undefined) this.alloc.reserve(p.phys, p.length);
    for (const p of plan) {
      const pieces =
        p.phys !== undefined ? [{ phys: p.phys, length: p.length }] : this.allocPieces(p.offset, p.length);
      let offset = p.offset;
      for (const piece of pieces) {
        const ext: Extent = { offset, length: piece.length, type: p.type, phys: piece.phys };
        if (p.type === 'mapped') this.zeroAndFill(ext, opts.size, fill);
        inode.extents.insert(ext);
        offset += piece.length;
      }
    }
    this.byPath.set(path, inode);
    return inode;
  }

  /** The file at `path`, if any. */
  lookup(path: string): Inode | undefined {
    return this.byPath.get(path);
  }

  /**
   * ->iomap_begin (xfs_file_iomap_begin). F2. The whole extent covering `pos`. A write over a hole
   * or an unwritten extent allocates (or converts) zeroed blocks per the policy and reports exactly
   * those blocks with isNew, or returns 'ENOSPC'; a read at or past the EOF block sees a hole.
   * 'EFBIG' for a write ending past MAX_FILE_BYTES (s_maxbytes) or a read starting there.
   * Caller holds the inode's mmap lock shared (faults) or the inode lock (read/write), D6.
   */
  iomapBegin(inode: Inode, pos: number, len: number, flags: { write: boolean }): Iomap | Errno {
    if (!Number.isSafeInteger(pos) || pos < 0) {
      throw new RangeError(`IomapFs.iomapBegin: pos ${pos} must be a non-negative integer`);
    }
    if (!Number.isSafeInteger(len) || len <= 0) {
      throw new RangeError(`IomapFs.iomapBegin: len ${len} must be a positive integer`);
    }
    this.assertOwn('iomapBegin', inode);
    const injected = this.iomapBeginHook?.(inode, pos, len, flags.write) ?? null;
    if (injected !== null) return injected;
    if (pos + len > MAX_FILE_BYTES && (flags.write || pos >= MAX_FILE_BYTES)) return 'EFBIG';
    const result = flags.write ? this.beginWrite(inode, pos, len) : this.beginRead(inode, pos);
    if (typeof result !== 'string') inode.iomapsInFlight++;
    return result;
  }

  /** ->iomap_end. F2, P8, M9. Releases what iomapBegin took; an Errno only via iomapEndHook. */
  iomapEnd(
    inode: Inode,
    pos: number,
    len: number,
    written: number,
    _flags: { write: boolean },
    _iomap: Iomap,
  ): Errno | null {
    this.assertOwn('iomapEnd', inode);
    if (!Number.isSafeInteger(written) || written < 0) {
      throw new RangeError(`IomapFs.iomapEnd: written ${written} must be a non-negative integer`);
    }
    if (inode.iomapsInFlight <= 0) {
      throw new Error(`IomapFs.iomapEnd: ${inode.path} has no iomapBegin in flight (P8/M9 pairing broken)`);
    }
    inode.iomapsInFlight--;
    return this.iomapEndHook?.(inode, pos, len) ?? null;
  }

  /**
   * Block-level part of truncate: xfs_setattr_size (truncate_setsize + xfs_itruncate_extents). F3.
   * Shrinking zeroes (durably) the tail of a partial last block
   * and frees every block past it; growing zeroes the bytes past the old EOF in its last block, so
   * the new range reads as zeros (a hole). Caller holds the mmap lock exclusive and has already
   * unmapped and deleted the entries past the new size (F3). A size above MAX_FILE_BYTES throws:
   * the syscall layer answers it with 'EFBIG'. `zeroTail: false`: the caller zeroed it already
   * (iomap_truncate_page runs before the page cache is truncated).
   */
  truncate(inode: Inode, newSize: number, opts: { zeroTail?: boolean } = {}): void {
    assertRange('truncate', newSize, 0);
    this.assertOwn('truncate', inode);
    const oldSize = inode.size;
    if (newSize < oldSize) {
      const newEnd = alignUp(newSize, BLOCK_SIZE);
      if (opts.zeroTail !== false) this.zeroMapped(inode, newSize, newEnd);
      this.freeRange(inode, newEnd, MAX_FILE_BYTES);
    } else if (newSize > oldSize) {
      this.zeroMapped(inode, oldSize, Math.min(newSize, inode.blockEnd));
    }
    inode.size = newSize;
  }

  /**
   * Block-level part of punch hole: xfs_free_file_space (xfs_zero_range at the edges). F3. Frees the whole blocks inside the range and zeroes
   * (durably) the partial blocks at its edges; the size is unchanged. Caller holds the mmap lock
   * exclusive and has unmapped and deleted the entries of the range.
   */
  punchHole(inode: Inode, offset: number, length: number): void {
    assertRange('punchHole', offset, length);
    this.assertOwn('punchHole', inode);
    if (length === 0) return;
    const end = offset + length;
    const wholeStart = alignUp(offset, BLOCK_SIZE);
    const wholeEnd = alignDown(end, BLOCK_SIZE);
    if (wholeStart > wholeEnd) {
      this.zeroMapped(inode, offset, end);
      return;
    }
    if (offset < wholeStart) this.zeroMapped(inode, offset, wholeStart);
    if (wholeStart < wholeEnd) this.freeRange(inode, wholeStart, wholeEnd);
    if (wholeEnd < end) this.zeroMapped(inode, wholeEnd, end);
  }

  /**
   * fallocate(2) mode 0: xfs_alloc_file_space with XFS_BMAPI_PREALLOC. F2. Unwritten extents over the holes of the range (whole blocks), and
   * the size extended to offset + length if that is past EOF. 'ENOSPC' (nothing changed) when the
   * holes do not fit or the block-alloc injection fires; 'EINVAL' for length <= 0.
   */
  fallocate(inode: Inode, offset: number, length: number): Errno | null {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length)) {
      throw new RangeError(
        `IomapFs.fallocate: offset ${offset} and length ${length} must be integers, offset >= 0`,
      );
    }
    this.assertOwn('fallocate', inode);
    if (length <= 0) return 'EINVAL';
    if (offset + length > MAX_FILE_BYTES) return 'EFBIG';
    const start = alignDown(offset, BLOCK_SIZE);
    const end = alignUp(offset + length, BLOCK_SIZE);
    const holes = this.extents(inode, start, end - start).filter((m) => m.type === 'hole');
    const need = holes.reduce((sum, h) => sum + h.length, 0);
    if (need > 0) {
      if (this.blockAllocHook?.() === true || need > this.alloc.freeBytes) return 'ENOSPC';
      for (const h of holes) {
        let at = h.offset;
        for (const piece of this.allocPieces(h.offset, h.length)) {
          inode.extents.insert({ offset: at, length: piece.length, type: 'unwritten', phys: piece.phys });
          at += piece.length;
        }
      }
    }
    if (offset + length > inode.size) inode.size = offset + length;
    return null;
  }

  /**
   * The extents covering [offset, offset + length) rounded out to whole blocks, holes explicit,
   * clipped to that range, in file order (isNew always false). Default range: [offset, EOF block).
   */
  extents(inode: Inode, offset = 0, length?: number): Iomap[] {
    const len = length ?? Math.max(0, inode.blockEnd - offset);
    assertRange('extents', offset, len);
    if (len === 0) return [];
    const start = alignDown(offset, BLOCK_SIZE);
    const end = alignUp(offset + len, BLOCK_SIZE);
    const out: Iomap[] = [];
    let cursor = start;
    for (const e of inode.extents.overlapping(start, end)) {
      if (e.offset > cursor) out.push(hole(cursor, e.offset));
      const s = Math.max(e.offset, cursor);
      const t = Math.min(e.offset + e.length, end);
      out.push(toIomap({ ...e, offset: s, length: t - s, phys: e.phys + (s - e.offset) }, false));
      cursor = t;
    }
    if (cursor < end) out.push(hole(cursor, end));
    return out;
  }

  /** Throws an Error naming the first broken invariant: extent maps, double ownership, accounting. */
  check(): void {
    this.alloc.check();
    const owned: { phys: number; end: number; path: string }[] = [];
    for (const inode of this.byPath.values()) {
      inode.extents.check();
      for (const e of inode.extents.all())
        owned.push({ phys: e.phys, end: e.phys + e.length, path: inode.path });
    }
    owned.sort((a, b) => a.phys - b.phys);
    let total = 0;
    for (let i = 0; i < owned.length; i++) {
      const o = owned[i]!;
      total += o.end - o.phys;
      const prev = owned[i - 1];
      if (prev !== undefined && prev.end > o.phys) {
        throw new Error(`IomapFs: device block ${o.phys} owned by both ${prev.path} and ${o.path}`);
      }
      if (this.alloc.overlapsFree(o.phys, o.end - o.phys)) {
        throw new Error(`IomapFs: device block ${o.phys} of ${o.path} is on the free list`);
      }
    }
    if (total !== this.alloc.usedBytes) {
      throw new Error(
        `IomapFs: extents hold ${total} bytes but the allocator counts ${this.alloc.usedBytes}`,
      );
    }
  }

  private beginRead(inode: Inode, pos: number): Iomap {
    const eofBlock = inode.blockEnd;
    if (pos >= eofBlock) return hole(eofBlock, MAX_FILE_BYTES);
    const found = inode.extents.lookup(pos);
    return 'extent' in found ? toIomap(found.extent, false) : hole(found.gap.start, found.gap.end);
  }

  /** Write side of iomapBegin: allocation or unwritten conversion over [pos, pos + len). F2. */
  private beginWrite(inode: Inode, pos: number, len: number): Iomap | Errno {
    const found = inode.extents.lookup(pos);
    if ('extent' in found) {
      const e = found.extent;
      if (e.type === 'mapped') return toIomap(e, false);
      // Unwritten: convert the hint-aligned part (no new blocks, so no block-alloc injection).
      const [s, t] = hintedRange(pos, len, this.extentHintBytes, e.offset, e.offset + e.length);
      const converted: Extent = { offset: s, length: t - s, type: 'mapped', phys: e.phys + (s - e.offset) };
      this.dev.fill(converted.phys, converted.length, 0, true);
      inode.extents.convert(s, t, 'mapped');
      return toIomap(converted, true);
    }
    if (this.blockAllocHook?.() === true) return 'ENOSPC';
    const [s, t] = hintedRange(pos, len, this.extentHintBytes, found.gap.start, found.gap.end);
    const got = allocateForWrite(this.alloc, this.allocAlignBytes, s, t, pos, len);
    if (got === null) return 'ENOSPC';
    this.dev.fill(got.phys, got.length, 0, true);
    inode.extents.insert(got);
    return toIomap(got, true);
  }

  private allocPieces(fileOffset: number, length: number): { phys: number; length: number }[] {
    const pieces = this.alloc.allocPieces(length, this.allocAlignBytes, fileOffset);
    if (pieces === null)
      throw new Error(`IomapFs: allocation of ${length} bytes failed after the space check`);
    return pieces;
  }

  /** Zeroes durably the bytes of [start, end) that lie in mapped extents (unwritten reads as zeros). */
  /** iomap_zero_range over a DAX file: zeros straight to media where blocks are mapped. */
  zeroMapped(inode: Inode, start: number, end: number): void {
    if (start >= end) return;
    for (const e of inode.extents.overlapping(start, end)) {
      if (e.type !== 'mapped') continue;
      const s = Math.max(start, e.offset);
      const t = Math.min(end, e.offset + e.length);
      this.dev.fill(e.phys + (s - e.offset), t - s, 0, true);
    }
  }

  /** Unmaps the blocks of [start, end) from the file and returns them to the allocator. */
  private freeRange(inode: Inode, start: number, end: number): void {
    for (const piece of inode.extents.remove(start, end)) this.alloc.release(piece.phys, piece.length);
  }

  /** New mapped blocks at setup: zeroed, then `fill` written over the part inside the file size. */
  private zeroAndFill(ext: Extent, size: number, fill: number): void {
    this.dev.fill(ext.phys, ext.length, 0, true);
    const inside = Math.min(ext.length, size - ext.offset);
    if (fill !== 0 && inside > 0) this.dev.fill(ext.phys, inside, fill, true);
  }

  private assertOwn(what: string, inode: Inode): void {
    if (this.byPath.get(inode.path) !== inode) {
      throw new Error(
        `IomapFs.${what}: inode ${inode.ino} (${inode.path}) does not belong to this filesystem`,
      );
    }
  }
}
