/**
 * Test doubles around the filesystem and device of a World, for branches the real IomapFs and
 * PmemDevice never take (a too-short extent, a hole handed back for a write, a device range
 * shorter than asked): the double wraps the real call and alters only its answer.
 *
 * Invariants: the real call still happens (so iomapBegin/iomapEnd pairing and allocation
 * stay accounted); `calls` counts what the model asked, per method.
 */
import type { DaxRange } from '../../src/block/pmem.js';
import type { Inode } from '../../src/fs/inode.js';
import type { Iomap } from '../../src/fs/iomap.js';
import type { Errno } from '../../src/lib/errno.js';
import type { World } from '../../src/workload/world.js';

/** Counts of the wrapped calls. */
export interface FsCalls {
  begins: number;
  /** iomapBegin calls that returned an extent (P8/M9 pair these with ends). */
  beginsOk: number;
  ends: number;
}

/** What the iomapBegin double may change. */
export type BeginEdit = (
  r: Iomap | Errno,
  inode: Inode,
  pos: number,
  len: number,
  write: boolean,
) => Iomap | Errno;

/** Wrap world.fs.iomapBegin / iomapEnd: count calls, and let `edit` alter iomapBegin's answer. */
export function wrapIomap(world: World, edit: BeginEdit = (r) => r): FsCalls {
  const fs = world.fs;
  const begin = fs.iomapBegin.bind(fs);
  const end = fs.iomapEnd.bind(fs);
  const calls: FsCalls = { begins: 0, beginsOk: 0, ends: 0 };
  fs.iomapBegin = (inode, pos, len, flags) => {
    calls.begins++;
    const r = edit(begin(inode, pos, len, flags), inode, pos, len, flags.write);
    if (typeof r !== 'string') calls.beginsOk++;
    return r;
  };
  fs.iomapEnd = (...args) => {
    calls.ends++;
    return end(...args);
  };
  return calls;
}

/** Wrap world.dev.directAccess so `edit` may alter its answer (e.g. a shorter range). */
export function wrapDirectAccess(
  world: World,
  edit: (r: DaxRange | Errno, sector: number, len: number) => DaxRange | Errno,
): void {
  const dev = world.dev;
  const real = dev.directAccess.bind(dev);
  dev.directAccess = (sector, len) => edit(real(sector, len), sector, len);
}
