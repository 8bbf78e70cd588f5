/**
 * Shared fixtures of the fs tests: unit constants, a filesystem on a fresh device, and a read(2)
 * view of file bytes (R1: holes and unwritten extents read as zeros).
 */
import { PmemDevice } from '../../src/block/pmem.js';
import type { Inode } from '../../src/fs/inode.js';
import type { FsOptions, Iomap } from '../../src/fs/iomap.js';
import { IomapFs } from '../../src/fs/iomap-fs.js';
import type { Errno } from '../../src/lib/errno.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;
/** one filesystem block */
export const B = 4 * KiB;
export const W = { write: true };
export const R = { write: false };

/** An IomapFs on a fresh device (64 MiB, 2 MiB base alignment unless told otherwise). */
export function mkfs(opts: FsOptions = {}, devSize = 64 * MiB, baseAlignBytes = 2 * MiB): IomapFs {
  return new IomapFs(new PmemDevice({ sizeBytes: devSize, baseAlignBytes }), opts);
}

/** The Iomap, or a thrown Error naming the unexpected errno. */
export function ok(r: Iomap | Errno): Iomap {
  if (typeof r === 'string') throw new Error(`unexpected ${r}`);
  return r;
}

/** File bytes [off, off + len) as read(2) sees them (cache view), holes and unwritten as zeros. R1. */
export function fileBytes(fs: IomapFs, inode: Inode, off: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (const m of fs.extents(inode, off, len)) {
    if (m.type !== 'mapped') continue;
    const s = Math.max(off, m.offset);
    const t = Math.min(off + len, m.offset + m.length);
    out.set(fs.dev.read(m.sector * 512 + (s - m.offset), t - s), s - off);
  }
  return out;
}
