/**
 * xfs_ilock / xfs_iunlock with XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL: how truncate, punch and
 * fallocate shut out read(2)/write(2) and page faults (D6).
 *
 * Invariant: the iolock is taken before the mmap lock and released after it (lock order
 * i_iolock -> i_mmaplock, V7).
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { K } from '../sim/types.js';

/** xfs_ilock(ip, XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL). D6, F3, V7. */
export function* xfsIlockIoMmapExcl(mapping: AddressSpace): K<void> {
  yield* mapping.ioLock.downWrite();
  yield* mapping.mmapLock.downWrite();
}

/** xfs_iunlock(ip, XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL). D6, F3. */
export function xfsIunlockIoMmapExcl(mapping: AddressSpace): void {
  mapping.mmapLock.upWrite();
  mapping.ioLock.upWrite();
}
