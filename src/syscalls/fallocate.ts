/**
 * fallocate(2): hole punching (xfs_free_file_space) and preallocation (xfs_alloc_file_space)
 * under the iolock and mmap lock held exclusive (F2, F3, D6).
 *
 * Invariant: punching keeps private copies (unlike truncate); preallocation creates unwritten
 * extents only over holes and never changes data.
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { DaxEnv } from '../dax/env.js';
import { daxWritebackMappingRange } from '../dax/writeback.js';
import type { Errno } from '../lib/errno.js';
import { pageAlignDown, pageAlignUp } from '../mm/units.js';
import type { K } from '../sim/types.js';
import { truncatePagecacheRange } from './truncate.js';
import { xfsIlockIoMmapExcl, xfsIunlockIoMmapExcl } from './xfs-ilock.js';

function badRange(offset: number, length: number): boolean {
  return !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length <= 0;
}

/**
 * fallocate(FALLOC_FL_PUNCH_HOLE): xfs_free_file_space. F3. The range is rounded out to whole
 * pages, written back (filemap_write_and_wait_range: a 2 MiB entry touching it is flushed
 * whole), its page cache truncated (private copies stay), then the blocks inside freed and the
 * partial blocks at its edges zeroed.
 */
export function* xfsFreeFileSpace(
  env: DaxEnv,
  mapping: AddressSpace,
  offset: number,
  length: number,
): K<Errno | null> {
  yield* env.rt.point('sys_punch_hole');
  if (badRange(offset, length)) return 'EINVAL';
  yield* xfsIlockIoMmapExcl(mapping);
  const inode = mapping.host;
  const end = Math.min(offset + length, inode.size);
  if (end > offset) {
    const ioffset = pageAlignDown(offset);
    const iend = pageAlignUp(end) - 1;
    yield* daxWritebackMappingRange(env, mapping, ioffset, iend);
    yield* truncatePagecacheRange(env, mapping, ioffset, iend, false);
    env.fs.punchHole(inode, offset, end - offset);
  }
  xfsIunlockIoMmapExcl(mapping);
  return null;
}

/** fallocate mode 0: xfs_alloc_file_space, unwritten extents over holes, size extended. F2. */
export function* xfsAllocFileSpace(
  env: DaxEnv,
  mapping: AddressSpace,
  offset: number,
  length: number,
): K<Errno | null> {
  yield* env.rt.point('sys_fallocate');
  if (badRange(offset, length)) return 'EINVAL';
  yield* xfsIlockIoMmapExcl(mapping);
  const err = env.fs.fallocate(mapping.host, offset, length);
  xfsIunlockIoMmapExcl(mapping);
  return err;
}
