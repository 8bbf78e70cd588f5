/**
 * dax_iomap_rw (R1, R2): read(2) and write(2) on a DAX file, one extent at a time.
 *
 * Invariants: data written by write(2) is durable when the call returns (B2); what write(2)'s
 * invalidation removes and unmaps is the profile's (write-path-invalidate, R2, H4): before
 * cd656375f946 a huge zero PMD or a hole page mapping can survive the write and keep showing
 * zeros over written data (V5), as it did in those kernels.
 */
import { SECTOR_SIZE } from '../fs/iomap.js';
import type { Errno } from '../lib/errno.js';
import { PAGE_SIZE } from '../mm/units.js';
import type { K } from '../sim/types.js';
import type { AddressSpace } from './address-space.js';
import type { DaxEnv } from './env.js';
import { daxIomapSector } from './iomap-sector.js';
import { hex, traceModel, tracing } from './trace.js';
import { invalidateInodePages2Range } from './truncate.js';

/** Outcome of read(2): the bytes read (short at EOF) or an errno. */
export type ReadResult = Uint8Array | Errno;
/** Outcome of write(2): bytes written, or an errno when nothing was. */
export type WriteResult = number | Errno;

/**
 * dax_iomap_rw for READ. R1. Called with the inode iolock shared. The bytes land in `into`
 * (the caller's user buffer, at least `length` long) when given, else in a new array; the
 * result is the filled prefix.
 */
export function* daxIomapRead(
  env: DaxEnv,
  mapping: AddressSpace,
  pos: number,
  length: number,
  into?: Uint8Array,
): K<ReadResult> {
  const inode = mapping.host;
  const end = Math.min(pos + length, inode.size);
  const n = Math.max(0, end - pos);
  if (into !== undefined && into.length < length) {
    throw new RangeError(`daxIomapRead: user buffer of ${into.length} bytes for a ${length}-byte read`);
  }
  const out = into === undefined ? new Uint8Array(n) : into.subarray(0, n);
  let at = pos;
  while (at < end) {
    yield* env.rt.point('iomap_begin');
    const iomap = env.fs.iomapBegin(inode, at, end - at, { write: false });
    if (typeof iomap === 'string') return at === pos ? iomap : out.subarray(0, at - pos);
    const chunkEnd = Math.min(end, iomap.offset + iomap.length);
    if (chunkEnd <= at) return 'EIO';
    if (iomap.type === 'mapped') {
      const devOffset = daxIomapSector(iomap, at) * SECTOR_SIZE;
      env.dev.readInto(devOffset, out, at - pos, chunkEnd - at);
    } else if (into !== undefined) {
      out.fill(0, at - pos, chunkEnd - pos); // holes and unwritten extents read as zeros
    } // (a new `out` starts zeroed)
    yield* env.rt.point('iomap_end');
    env.fs.iomapEnd(inode, at, end - at, chunkEnd - at, { write: false }, iomap);
    at = chunkEnd;
  }
  return out;
}

/**
 * dax_iomap_rw for WRITE. R2, H4. May extend the file. Called with the inode iolock exclusive.
 * write-path-invalidate: upfront (seed): once, before allocating, if the file has hole pages;
 * extent-if-pages (e3fce68cdbed): per newly allocated extent, if the file has hole pages;
 * extent (cd656375f946): per newly allocated extent.
 */
export function* daxIomapWrite(
  env: DaxEnv,
  mapping: AddressSpace,
  pos: number,
  data: Uint8Array,
): K<WriteResult> {
  const inode = mapping.host;
  const end = pos + data.length;
  const mode = env.kernel.sw['write-path-invalidate'];
  if (mode === 'upfront' && mapping.nrpages > 0 && data.length > 0) {
    yield* invalidateInodePages2Range(
      env,
      mapping,
      Math.floor(pos / PAGE_SIZE),
      Math.floor((end - 1) / PAGE_SIZE),
    );
  }
  let at = pos;
  while (at < end) {
    yield* env.rt.point('iomap_begin');
    const iomap = env.fs.iomapBegin(inode, at, end - at, { write: true });
    if (typeof iomap === 'string') return at === pos ? iomap : finish(inode, pos, at);
    const chunkEnd = Math.min(end, iomap.offset + iomap.length);
    if (iomap.type !== 'mapped' || chunkEnd <= at) return at === pos ? 'EIO' : finish(inode, pos, at);
    const perExtent = mode === 'extent' || (mode === 'extent-if-pages' && mapping.nrpages > 0);
    if (iomap.isNew && perExtent) {
      yield* invalidateInodePages2Range(
        env,
        mapping,
        Math.floor(at / PAGE_SIZE),
        Math.floor((chunkEnd - 1) / PAGE_SIZE),
      );
    }
    const devOffset = daxIomapSector(iomap, at) * SECTOR_SIZE;
    env.dev.writeDurable(devOffset, data.subarray(at - pos, chunkEnd - pos));
    yield* env.rt.point('iomap_end');
    env.fs.iomapEnd(inode, at, end - at, chunkEnd - at, { write: true }, iomap);
    at = chunkEnd;
    if (at > inode.size) inode.size = at; // i_size_write as each extent completes
  }
  if (tracing(env))
    traceModel(env, 'dax_iomap_write', 'R2', { ino: hex(inode.ino), pos: hex(pos), len: data.length });
  return finish(inode, pos, at);
}

function finish(inode: { size: number }, pos: number, at: number): number {
  if (at > inode.size) inode.size = at;
  return at - pos;
}
