/**
 * read(2)/pread and write(2)/pwrite on a DAX file: xfs_file_read_iter and
 * xfs_file_write_iter around dax_iomap_rw (R1, R2).
 *
 * Invariant: reads hold the iolock shared and writes exclusive, so a write's extents and
 * size change appear to readers whole.
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { DaxEnv } from '../dax/env.js';
import { daxIomapRead, daxIomapWrite, type ReadResult, type WriteResult } from '../dax/rw.js';
import type { K } from '../sim/types.js';

/** xfs_file_read_iter (xfs_file_dax_read). R1. The bytes land in `into` when given. */
export function* xfsFileReadIter(
  env: DaxEnv,
  mapping: AddressSpace,
  pos: number,
  length: number,
  into?: Uint8Array,
): K<ReadResult> {
  yield* env.rt.point('sys_pread');
  yield* mapping.ioLock.downRead();
  const r = yield* daxIomapRead(env, mapping, pos, length, into);
  mapping.ioLock.upRead();
  return r;
}

/** xfs_file_write_iter (xfs_file_dax_write). R2. */
export function* xfsFileWriteIter(
  env: DaxEnv,
  mapping: AddressSpace,
  pos: number,
  data: Uint8Array,
): K<WriteResult> {
  yield* env.rt.point('sys_pwrite');
  yield* mapping.ioLock.downWrite();
  const r = yield* daxIomapWrite(env, mapping, pos, data);
  mapping.ioLock.upWrite();
  return r;
}
