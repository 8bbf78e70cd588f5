/**
 * The file system calls of a DAX file (xfs_file_read_iter, xfs_file_write_iter,
 * xfs_file_fsync, xfs_setattr_size, xfs_free_file_space, xfs_file_fallocate): the locks
 * the filesystem takes around the DAX helpers, and the order of the steps (F3, F4, R1, R2).
 *
 * Lock order: i_iolock -> i_mmaplock -> entry lock -> i_mmap_rwsem -> ptl -> tree_lock.
 * Invariants: truncate and punch hold the mmap lock exclusive, so no fault sees the size or
 * the blocks change under it (D6); entries are removed only after their mappings are gone
 * (a PTE never outlives the entry it maps, V4); data a truncate or punch keeps is written
 * back before entries over it are dropped, so an fsync'd store is never lost (V6).
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { DaxEnv } from '../dax/env.js';
import { daxIomapRead, daxIomapWrite, type ReadResult, type WriteResult } from '../dax/rw.js';
import { truncateInodePagesRange } from '../dax/truncate.js';
import { daxWritebackMappingRange } from '../dax/writeback.js';
import type { Errno } from '../lib/errno.js';
import { PAGE_SIZE, PMD_SIZE } from '../mm/units.js';
import { unmapMappingRange } from '../mm/unmap.js';
import type { K } from '../sim/index.js';
import { MAX_FILE_BYTES } from './iomap.js';

const LAST_BYTE = 2 ** 53 - 1;

function pageUp(x: number): number {
  return Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;
}

function pmdDown(x: number): number {
  return x - (x % PMD_SIZE);
}

/** read(2) / pread. R1. */
export function* filePread(
  env: DaxEnv,
  mapping: AddressSpace,
  pos: number,
  length: number,
  into?: Uint8Array,
): K<ReadResult> {
  if (env.rt.preemptible) yield 'sys_pread';
  yield* mapping.ioLock.downRead();
  const r = yield* daxIomapRead(env, mapping, pos, length, into);
  mapping.ioLock.upRead();
  return r;
}

/** write(2) / pwrite. R2. */
export function* filePwrite(
  env: DaxEnv,
  mapping: AddressSpace,
  pos: number,
  data: Uint8Array,
): K<WriteResult> {
  if (env.rt.preemptible) yield 'sys_pwrite';
  yield* mapping.ioLock.downWrite();
  const r = yield* daxIomapWrite(env, mapping, pos, data);
  mapping.ioLock.upWrite();
  return r;
}

/** fsync / msync over file bytes [start, end]. F4, W1-W3. */
export function* fileFsync(env: DaxEnv, mapping: AddressSpace, start = 0, end = LAST_BYTE): K<Errno | null> {
  if (env.rt.preemptible) yield 'sys_fsync';
  const err = yield* daxWritebackMappingRange(env, mapping, start, end);
  if (err === null && start === 0 && end === LAST_BYTE) mapping.inodeDirty = false;
  return err;
}

/**
 * Remove the page-cache side of file bytes [start, end): write back what survives around it,
 * unmap, delete entries. Called with iolock and mmap lock exclusive.
 */
function* dropRange(
  env: DaxEnv,
  mapping: AddressSpace,
  start: number,
  end: number,
  evenCows: boolean,
): K<void> {
  // A 2 MiB entry straddling `start` goes whole: flush its surviving part first (V6).
  const flushFrom = pmdDown(start);
  const flushTo = Math.min(end, pageUp(mapping.host.size) + PMD_SIZE) - 1;
  if (flushTo >= flushFrom) yield* daxWritebackMappingRange(env, mapping, flushFrom, flushTo);
  const first = pageUp(start) / PAGE_SIZE;
  const last = end === LAST_BYTE ? Number.MAX_SAFE_INTEGER : Math.floor(end / PAGE_SIZE) - 1;
  if (last < first) return;
  // Mappings of a straddling 2 MiB entry below `start` go too (never the private copies).
  if (first * PAGE_SIZE > flushFrom) {
    yield* unmapMappingRange(mapping, flushFrom, first * PAGE_SIZE - flushFrom, false);
  }
  const len = end === LAST_BYTE ? 0 : (last + 1) * PAGE_SIZE - first * PAGE_SIZE;
  yield* unmapMappingRange(mapping, first * PAGE_SIZE, len, evenCows);
  const tail =
    last === Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : Math.ceil((last + 1) / 512) * 512 - 1;
  // A 2 MiB entry straddling the end goes whole: its mappings past `last` go first (V4).
  if (tail > last)
    yield* unmapMappingRange(mapping, (last + 1) * PAGE_SIZE, (tail - last) * PAGE_SIZE, false);
  yield* truncateInodePagesRange(env, mapping, first, last);
}

/** truncate(2) / ftruncate: xfs_setattr_size. F3. */
export function* fileTruncate(env: DaxEnv, mapping: AddressSpace, newSize: number): K<Errno | null> {
  if (env.rt.preemptible) yield 'sys_truncate';
  if (!Number.isSafeInteger(newSize) || newSize < 0) return 'EINVAL';
  if (newSize > MAX_FILE_BYTES) return 'EFBIG';
  return yield* exclusive(mapping, function* () {
    const inode = mapping.host;
    if (newSize < inode.size) {
      // truncate_pagecache drops private copies beyond EOF as well (even_cows).
      yield* dropRange(env, mapping, newSize, LAST_BYTE, true);
    }
    env.fs.truncate(inode, newSize);
    return null;
  });
}

/** Run `body` with the inode's iolock and mmap lock held exclusive (D6), in that order. */
function* exclusive<T>(mapping: AddressSpace, body: () => K<T>): K<T> {
  yield* mapping.ioLock.downWrite();
  yield* mapping.mmapLock.downWrite();
  const r = yield* body();
  mapping.mmapLock.upWrite();
  mapping.ioLock.upWrite();
  return r;
}

/** fallocate(FALLOC_FL_PUNCH_HOLE): xfs_free_file_space. F3 (private copies stay). */
export function* filePunchHole(
  env: DaxEnv,
  mapping: AddressSpace,
  offset: number,
  length: number,
): K<Errno | null> {
  if (env.rt.preemptible) yield 'sys_punch_hole';
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length <= 0)
    return 'EINVAL';
  return yield* exclusive(mapping, function* () {
    const inode = mapping.host;
    const end = Math.min(offset + length, inode.size);
    if (end > offset) {
      yield* dropRange(env, mapping, offset, end, false);
      env.fs.punchHole(inode, offset, end - offset);
    }
    return null;
  });
}

/** fallocate mode 0: unwritten extents over holes, size extended. F2. */
export function* fileFallocate(
  env: DaxEnv,
  mapping: AddressSpace,
  offset: number,
  length: number,
): K<Errno | null> {
  if (env.rt.preemptible) yield 'sys_fallocate';
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length <= 0)
    return 'EINVAL';
  yield* mapping.ioLock.downWrite();
  yield* mapping.mmapLock.downWrite();
  const err = env.fs.fallocate(mapping.host, offset, length);
  mapping.mmapLock.upWrite();
  mapping.ioLock.upWrite();
  return err;
}
