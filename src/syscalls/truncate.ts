/**
 * truncate(2)/ftruncate: xfs_setattr_size, and the page-cache side of dropping a file range
 * that truncate and hole punching share (truncate_pagecache / truncate_pagecache_range) (F3).
 *
 * Invariants: runs with the iolock and mmap lock held exclusive, so no fault sees the size or
 * the blocks change under it (D6); entries are removed only after their mappings are gone (a
 * PTE never outlives the entry it maps, V4). As in 4.10-4.13 (and later), a truncate writes
 * nothing back: a dirty 2 MiB entry straddling the new EOF is dropped with the stores to its
 * surviving part (V6, docs/findings.md); hole punching writes its range back first (fallocate.ts).
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { DaxEnv } from '../dax/env.js';
import { truncateInodePagesRange } from '../dax/truncate.js';
import { MAX_FILE_BYTES } from '../fs/iomap.js';
import type { Errno } from '../lib/errno.js';
import { MAX_INDEX } from '../lib/radix-tree.js';
import { PAGE_SIZE, pageAlignUp } from '../mm/units.js';
import { unmapMappingRange } from '../mm/unmap.js';
import type { K } from '../sim/types.js';
import { LAST_BYTE } from './fsync.js';
import { xfsIlockIoMmapExcl, xfsIunlockIoMmapExcl } from './xfs-ilock.js';

/**
 * truncate_pagecache_range / truncate_pagecache (F3, D5): unmap the whole pages of file bytes
 * [start, end] in every process (a huge PMD partly inside goes whole; private copies only when
 * `evenCows`), delete every entry overlapping them (a 2 MiB entry partly inside goes whole,
 * DIRTY with it), and, for truncate, unmap once more. Nothing is written back here. `end` is
 * LAST_BYTE for "to the end of the file". Called with iolock and mmap lock exclusive.
 */
export function* truncatePagecacheRange(
  env: DaxEnv,
  mapping: AddressSpace,
  start: number,
  end: number,
  evenCows: boolean,
): K<void> {
  const first = pageAlignUp(start) / PAGE_SIZE;
  const toEof = end === LAST_BYTE;
  const last = toEof ? MAX_INDEX : Math.floor((end + 1) / PAGE_SIZE) - 1;
  if (last < first) return;
  const len = toEof ? 0 : (last + 1 - first) * PAGE_SIZE;
  yield* unmapMappingRange(mapping, first * PAGE_SIZE, len, evenCows);
  yield* truncateInodePagesRange(env, mapping, first, last);
  // truncate_pagecache unmaps again, for private copies made meanwhile (even_cows).
  if (toEof) yield* unmapMappingRange(mapping, first * PAGE_SIZE, len, evenCows);
}

/**
 * truncate(2) / ftruncate: xfs_setattr_size. F3. A shrink zeroes the rest of the block that
 * holds the new EOF on media (iomap_truncate_page, before any unmap), sets the size, truncates
 * the page cache from the new EOF (truncate_pagecache, private copies included), then frees
 * the blocks. No dirty DAX data is written back first (see docs/findings.md).
 */
export function* xfsSetattrSize(env: DaxEnv, mapping: AddressSpace, newSize: number): K<Errno | null> {
  yield* env.rt.point('sys_truncate');
  if (!Number.isSafeInteger(newSize) || newSize < 0) return 'EINVAL';
  if (newSize > MAX_FILE_BYTES) return 'EFBIG';
  yield* xfsIlockIoMmapExcl(mapping);
  const inode = mapping.host;
  if (newSize < inode.size) {
    env.fs.zeroMapped(inode, newSize, pageAlignUp(newSize));
    // truncate_setsize writes i_size before truncate_pagecache; faults are shut out by the
    // mmap lock either way, so the model sets it with the blocks below.
    yield* truncatePagecacheRange(env, mapping, newSize, LAST_BYTE, true);
    env.fs.truncate(inode, newSize, { zeroTail: false });
  } else {
    env.fs.truncate(inode, newSize);
  }
  xfsIunlockIoMmapExcl(mapping);
  return null;
}
