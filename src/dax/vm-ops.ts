/**
 * The DAX filesystem's vm operations (xfs_filemap_fault, xfs_filemap_huge_fault,
 * xfs_filemap_page_mkwrite, xfs_filemap_pfn_mkwrite): each takes the inode's mmap lock
 * shared around the DAX handler, which is what keeps faults and truncate apart (D6).
 *
 * They live beside the DAX handlers rather than in src/fs because they call them (the fs
 * floor sits below dax); the mm dispatch reaches them only through `VmOperations`.
 */
import { PAGE_SIZE } from '../mm/units.js';
import type { FaultResult, VmFault } from '../mm/vm-fault.js';
import type { VmOperations } from '../mm/vm-ops.js';
import { linearPageIndex } from '../mm/vma.js';
import { countFault } from '../mm/vmstat.js';
import type { K } from '../sim/types.js';
import type { DaxEnv } from './env.js';
import { daxPfnMkwrite } from './mkwrite.js';
import { daxIomapPmdFault } from './pmd-fault.js';
import { daxIomapPteFault } from './pte-fault.js';

/** xfs_filemap_fault: a 4 KiB DAX fault under the mmap lock (D6). */
export function* xfsFilemapFault(env: DaxEnv, vmf: VmFault): K<FaultResult> {
  const lock = vmf.vma.file.mmapLock;
  yield* lock.downRead();
  const r = yield* daxIomapPteFault(env, vmf);
  lock.upRead();
  return r;
}

/** xfs_filemap_huge_fault (xfs_filemap_pmd_fault in 4.10): a 2 MiB DAX fault under the mmap lock. */
export function* xfsFilemapHugeFault(env: DaxEnv, vmf: VmFault): K<FaultResult> {
  const lock = vmf.vma.file.mmapLock;
  yield* lock.downRead();
  const r = yield* daxIomapPmdFault(env, vmf);
  lock.upRead();
  return r;
}

/**
 * xfs_filemap_pfn_mkwrite: SIGBUS past EOF, else dax_pfn_mkwrite, under the mmap lock (D4).
 */
export function* xfsFilemapPfnMkwrite(env: DaxEnv, vmf: VmFault): K<FaultResult> {
  const lock = vmf.vma.file.mmapLock;
  yield* lock.downRead();
  let r: FaultResult;
  const size = Math.ceil(vmf.vma.file.host.size / PAGE_SIZE);
  if (linearPageIndex(vmf.vma, vmf.vaddr) >= size) {
    countFault(env.counters, vmf.vma, 'sigbus');
    r = 'SIGBUS';
  } else {
    r = yield* daxPfnMkwrite(env, vmf);
  }
  lock.upRead();
  return r;
}

/** The vm_operations of a DAX file on the model's iomap filesystem (xfs_file_vm_ops). */
export function daxVmOps(env: DaxEnv): VmOperations {
  return {
    fault: (vmf) => xfsFilemapFault(env, vmf),
    hugeFault: (vmf) => xfsFilemapHugeFault(env, vmf),
    // xfs_filemap_page_mkwrite: for DAX, a write to a hole page is a 4 KiB write fault (I2).
    pageMkwrite: (vmf) => xfsFilemapFault(env, vmf),
    pfnMkwrite: (vmf) => xfsFilemapPfnMkwrite(env, vmf),
  };
}
