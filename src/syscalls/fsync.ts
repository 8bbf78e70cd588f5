/**
 * fsync(2) and msync(2): vfs_fsync_range into xfs_file_fsync, which for DAX writes back the
 * file's dirty entries (F4, W1-W3).
 *
 * Invariant: a whole-file fsync that returned success clears the inode's dirty mark (I1).
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { DaxEnv } from '../dax/env.js';
import { daxWritebackMappingRange } from '../dax/writeback.js';
import type { Errno } from '../lib/errno.js';
import { PAGE_SIZE } from '../mm/units.js';
import type { Vma } from '../mm/vma.js';
import type { K } from '../sim/types.js';

/** The last byte a whole-file range ends at (LLONG_MAX's role). */
export const LAST_BYTE = 2 ** 53 - 1;

/** xfs_file_fsync over file bytes [start, end] (msync passes its range). F4, W1-W3. */
export function* xfsFileFsync(
  env: DaxEnv,
  mapping: AddressSpace,
  start = 0,
  end = LAST_BYTE,
): K<Errno | null> {
  yield* env.rt.point('sys_fsync');
  const err = yield* daxWritebackMappingRange(env, mapping, start, end);
  if (err === null && start === 0 && end === LAST_BYTE) mapping.inodeDirty = false;
  return err;
}

/** daxsim-only: the file bytes [start, end] msync(2) of [offset, offset + length) of a mapping syncs. F4. */
export function msyncRange(
  vma: Vma<AddressSpace>,
  offset = 0,
  length = vma.end - vma.start - offset,
): { start: number; end: number } {
  const start = vma.pgoff * PAGE_SIZE + offset;
  return { start, end: start + length - 1 };
}

/** sys_msync with MS_SYNC: vfs_fsync_range over the file range the mapping window covers. F4, W1. */
export function* sysMsync(
  env: DaxEnv,
  vma: Vma<AddressSpace>,
  offset?: number,
  length?: number,
): K<Errno | null> {
  const { start, end } = msyncRange(vma, offset, length);
  return yield* xfsFileFsync(env, vma.file, start, end);
}
