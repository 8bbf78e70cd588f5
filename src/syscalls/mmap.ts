/**
 * mmap(2) and munmap(2) of a DAX file: vm_mmap_pgoff / do_munmap with the locks the kernel
 * takes (mmap_sem for write, then the file's i_mmap_rwsem to link or unlink the VMA) (D1, D6).
 *
 * Invariant: a VMA is in its file's reverse map (i_mmap) exactly while it is in its process's
 * VMA list, so unmap_mapping_range (D5) reaches every translation of the file.
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { Errno } from '../lib/errno.js';
import type { MmEnv } from '../mm/mm-env.js';
import type { Process } from '../mm/process.js';
import { PAGE_SIZE } from '../mm/units.js';
import type { Vma } from '../mm/vma.js';
import type { K } from '../sim/types.js';

/** What an mmap asks for. */
export interface MmapArgs {
  /** The mapping's name (scenario `mappings[].name`). */
  name: string;
  /** File offset in bytes (page aligned). */
  offset: number;
  length: number;
  /** MAP_SHARED (default) or MAP_PRIVATE. */
  shared?: boolean;
  /** `auto`: get_unmapped_area's choice (colour-matched, thp_get_unmapped_area). */
  address?: 'auto' | number;
}

/**
 * mmap_region's work without taking locks: link a new VMA into the process and the file's
 * i_mmap. For setup before any task runs, and the body of `vmMmap`. D1.
 */
export function mmapRegion(proc: Process, file: AddressSpace, m: MmapArgs): Vma<AddressSpace> | Errno {
  if (m.offset % PAGE_SIZE !== 0) return 'EINVAL';
  const vma = proc.mm.mmap({
    file,
    pgoff: m.offset / PAGE_SIZE,
    length: m.length,
    shared: m.shared ?? true,
    writable: true,
    name: m.name,
    address: m.address ?? 'auto',
  });
  if (typeof vma !== 'string') file.rmap.add(vma);
  return vma;
}

/** vm_mmap_pgoff: mmap_sem for write, then i_mmap_rwsem to link the VMA. D1, D6. */
export function* vmMmap(
  env: MmEnv,
  proc: Process,
  file: AddressSpace,
  m: MmapArgs,
): K<Vma<AddressSpace> | Errno> {
  yield* env.rt.point('sys_mmap');
  yield* proc.mmapSem.downWrite();
  yield* file.immapLock.downWrite();
  const vma = mmapRegion(proc, file, m);
  file.immapLock.upWrite();
  proc.mmapSem.upWrite();
  return vma;
}

/** vm_munmap of a whole VMA: its translations go (private copies too), then the VMA. D1, D5. */
export function* vmMunmap(env: MmEnv, proc: Process, vma: Vma<AddressSpace>): K<void> {
  yield* env.rt.point('sys_munmap');
  yield* proc.mmapSem.downWrite();
  yield* vma.file.immapLock.downWrite();
  yield* proc.ptl.lock();
  proc.mm.munmap(vma);
  proc.ptl.unlock();
  vma.file.rmap.remove(vma);
  vma.file.immapLock.upWrite();
  proc.mmapSem.upWrite();
}
