/**
 * The DAX filesystem's vm operations (xfs_filemap_fault, xfs_filemap_huge_fault,
 * xfs_filemap_page_mkwrite, xfs_filemap_pfn_mkwrite): each takes the inode's mmap lock
 * shared around the DAX handler, which is what keeps faults and truncate apart (D6).
 */

import { PAGE_SIZE } from '../mm/units.js';
import type { VmOperations } from '../mm/vm-ops.js';
import { linearPageIndex } from '../mm/vma.js';
import type { K } from '../sim/index.js';
import type { DaxEnv } from './env.js';
import type { FaultResult, VmFault } from './fault.js';
import { daxPfnMkwrite } from './mkwrite.js';
import { daxIomapPmdFault } from './pmd-fault.js';
import { daxIomapFault } from './pte-fault.js';

type Handler = (env: DaxEnv, vmf: VmFault) => K<FaultResult>;

function* underMmapLock(env: DaxEnv, vmf: VmFault, handler: Handler): K<FaultResult> {
  const lock = vmf.vma.file.mmapLock;
  yield* lock.downRead();
  const r = yield* handler(env, vmf);
  lock.upRead();
  return r;
}

/** xfs_filemap_pfn_mkwrite's body: SIGBUS past EOF, else dax_pfn_mkwrite. */
function* pfnMkwrite(env: DaxEnv, vmf: VmFault): K<FaultResult> {
  const size = Math.ceil(vmf.vma.file.host.size / PAGE_SIZE);
  if (linearPageIndex(vmf.vma, vmf.vaddr) >= size) {
    env.counters.sigbus++;
    return 'SIGBUS';
  }
  return yield* daxPfnMkwrite(env, vmf);
}

/** The vm_operations of a DAX file on the model's iomap filesystem. */
export function daxVmOps(env: DaxEnv): VmOperations {
  return {
    fault: (vmf) => underMmapLock(env, vmf, daxIomapFault),
    hugeFault: (vmf) => underMmapLock(env, vmf, daxIomapPmdFault),
    // For DAX, page_mkwrite on a hole page is a 4 KiB write fault (the fs allocates, I2).
    pageMkwrite: (vmf) => underMmapLock(env, vmf, daxIomapFault),
    pfnMkwrite: (vmf) => underMmapLock(env, vmf, pfnMkwrite),
  };
}
