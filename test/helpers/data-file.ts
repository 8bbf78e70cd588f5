/**
 * The file-level fixtures the F, R and D tests share: one 4 MiB file `data`, a World with
 * three processes over it (a 2 MiB user, a 4 KiB user, a private mapping), and read(2) /
 * write(2) / media read-back shorthands.
 */
import { xfsFileReadIter, xfsFileWriteIter } from '../../src/syscalls/read-write.js';
import type { World, WorldOptions } from '../../src/workload/world.js';
import { MiB } from './fixtures.js';
import { bytes, makeWorld, runTask, text } from './world.js';

/** `data`: 4 MiB, allocated, filled with 0x11. */
export const ALLOCATED = [{ path: 'data', sizeBytes: 4 * MiB, layout: 'allocated' as const, fill: 0x11 }];

/** p maps the whole file (2 MiB faults), q its first MiB (4 KiB faults), r privately. */
export function world3(opts: Partial<WorldOptions> = {}): World {
  return makeWorld({
    processes: [
      { name: 'p', mappings: [{ name: 'm', file: 'data', offset: 0, length: 4 * MiB }] },
      { name: 'q', mappings: [{ name: 's', file: 'data', offset: 0, length: 1 * MiB }] },
      { name: 'r', mappings: [{ name: 'v', file: 'data', offset: 0, length: 1 * MiB, shared: false }] },
    ],
    ...opts,
  });
}

/** read(2) of `data` as text, in its own task. */
export const pread = (w: World, off: number, len: number): string =>
  text(runTask(w, `pread-${off}`, () => xfsFileReadIter(w, w.file('data'), off, len)) as Uint8Array);

/** write(2) of a string into `data`, in its own task. */
export const pwrite = (w: World, off: number, s: string): unknown =>
  runTask(w, `pwrite-${off}`, () => xfsFileWriteIter(w, w.file('data'), off, bytes(s)));

/** What the media (not the cache view) holds at file bytes [fileOff, fileOff+len). */
export const media = (w: World, fileOff: number, len: number): string => {
  const e = w.fs.extents(w.file('data').host, fileOff, len)[0]!;
  return text(w.dev.readMedia(e.sector * 512 + (fileOff - e.offset), len));
};
