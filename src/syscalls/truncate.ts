/**
 * truncate(2)/ftruncate: xfs_setattr_size, and the page-cache side of dropping a file range
 * that truncate and hole punching share (truncate_pagecache / truncate_pagecache_range) (F3).
 *
 * Invariants: runs with the iolock and mmap lock held exclusive, so no fault sees the size or
 * the blocks change under it (D6); entries are removed only after their mappings are gone (a
 * PTE never outlives the entry it maps, V4); data a truncate or punch keeps is written back
 * before entries over it are dropped, so an fsync'd store is never lost (V6).
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { DaxEnv } from '../dax/env.js';
import { truncateInodePagesRange } from '../dax/truncate.js';
import { daxWritebackMappingRange } from '../dax/writeback.js';
import { MAX_FILE_BYTES } from '../fs/iomap.js';
import type { Errno } from '../lib/errno.js';
import { PAGE_SIZE, PG_PMD_NR, PMD_SIZE, pageAlignUp, pmdAlignDown } from '../mm/units.js';
import { unmapMappingRange } from '../mm/unmap.js';
import type { K } from '../sim/types.js';
import { LAST_BYTE } from './fsync.js';
import { xfsIlockIoMmapExcl, xfsIunlockIoMmapExcl } from './xfs-ilock.js';

/**
 * Remove the page-cache side of file bytes [start, end): write back what survives around it,
 * unmap, delete entries. Called with iolock and mmap lock exclusive. `evenCows` drops private
 * copies too (truncate does, punch does not).
 */
export function* truncatePagecacheRange(
  env: DaxEnv,
  mapping: AddressSpace,
  start: number,
  end: number,
  evenCows: boolean,
): K<void> {
  // A 2 MiB entry straddling `start` goes whole: flush its surviving part first (V6).
  const flushFrom = pmdAlignDown(start);
  const flushTo = Math.min(end, pageAlignUp(mapping.host.size) + PMD_SIZE) - 1;
  if (flushTo >= flushFrom) yield* daxWritebackMappingRange(env, mapping, flushFrom, flushTo);
  const first = pageAlignUp(start) / PAGE_SIZE;
  const last = end === LAST_BYTE ? Number.MAX_SAFE_INTEGER : Math.floor(end / PAGE_SIZE) - 1;
  if (last < first) return;
  // Mappings of a straddling 2 MiB entry below `start` go too (never the private copies).
  if (first * PAGE_SIZE > flushFrom) {
    yield* unmapMappingRange(mapping, flushFrom, first * PAGE_SIZE - flushFrom, false);
  }
  const len = end === LAST_BYTE ? 0 : (last + 1) * PAGE_SIZE - first * PAGE_SIZE;
  yield* unmapMappingRange(mapping, first * PAGE_SIZE, len, evenCows);
  const tail =
    last === Number.MAX_SAFE_INTEGER
      ? Number.MAX_SAFE_INTEGER
      : Math.ceil((last + 1) / PG_PMD_NR) * PG_PMD_NR - 1;
  // A 2 MiB entry straddling the end goes whole: its mappings past `last` go first (V4).
  if (tail > last)
    yield* unmapMappingRange(mapping, (last + 1) * PAGE_SIZE, (tail - last) * PAGE_SIZE, false);
  yield* truncateInodePagesRange(env, mapping, first, last);
}

/** truncate(2) / ftruncate: xfs_setattr_size. F3. */
export function* xfsSetattrSize(env: DaxEnv, mapping: AddressSpace, newSize: number): K<Errno | null> {
  yield* env.rt.point('sys_truncate');
  if (!Number.isSafeInteger(newSize) || newSize < 0) return 'EINVAL';
  if (newSize > MAX_FILE_BYTES) return 'EFBIG';
  yield* xfsIlockIoMmapExcl(mapping);
  const inode = mapping.host;
  if (newSize < inode.size) {
    // truncate_pagecache drops private copies beyond EOF as well (even_cows).
    yield* truncatePagecacheRange(env, mapping, newSize, LAST_BYTE, true);
  }
  env.fs.truncate(inode, newSize);
  xfsIunlockIoMmapExcl(mapping);
  return null;
}
