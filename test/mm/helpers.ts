/**
 * Test doubles for the mm tests: a byte-array device, a file identity and an mmap that must
 * succeed.
 *
 * Invariant: the fake device owns exactly pfns [basePfn, basePfn + pages) and keeps one
 * cache-view byte array, so a test can see where PhysMem dispatched a load or store.
 */
import type { Mm, MmapOptions } from '../../src/mm/mm.js';
import type { DeviceMemory } from '../../src/mm/phys.js';
import type { MappedFile, Vma } from '../../src/mm/vma.js';

/** A device of `pages` 4 KiB pages at `basePfn` (default 2^28, i.e. 1 TiB). */
export class FakeDevice implements DeviceMemory {
  readonly bytes: Uint8Array;
  stores = 0;
  loads = 0;
  constructor(
    readonly basePfn = 2 ** 28,
    readonly pages = 1024,
  ) {
    this.bytes = new Uint8Array(pages * 4096);
  }
  ownsPfn(pfn: number): boolean {
    return pfn >= this.basePfn && pfn < this.basePfn + this.pages;
  }
  pfnToOffset(pfn: number): number {
    return (pfn - this.basePfn) * 4096;
  }
  readInto(offset: number, dst: Uint8Array, dstOffset = 0, length = dst.length - dstOffset): void {
    this.loads++;
    dst.set(this.bytes.subarray(offset, offset + length), dstOffset);
  }
  store(offset: number, data: Uint8Array): void {
    this.stores++;
    this.bytes.set(data, offset);
  }
}

/** A file identity for VMAs. */
export interface TestFile extends MappedFile {
  readonly path: string;
}

/** A fresh test file. */
export function file(id: number, path = `f${id}`): TestFile {
  return { id, path };
}

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** mmap options: 4 MiB of `file` from offset 0, shared, writable, named m, address chosen; `over` wins. */
export function mmapOptions(
  file: TestFile,
  over: Partial<MmapOptions<TestFile>> = {},
): MmapOptions<TestFile> {
  return {
    file,
    pgoff: 0,
    length: 4 * MiB,
    shared: true,
    writable: true,
    name: 'm',
    address: 'auto',
    ...over,
  };
}

/** mm.mmap(mmapOptions(file, over)), which must succeed (an errno fails the test). */
export function mmapOk(
  mm: Mm<TestFile>,
  file: TestFile,
  over: Partial<MmapOptions<TestFile>> = {},
): Vma<TestFile> {
  const v = mm.mmap(mmapOptions(file, over));
  if (typeof v === 'string') throw new Error(`mmap failed: ${v}`);
  return v;
}
