/**
 * vm_operations_struct: what the mm layer calls on a file VMA's faults. A DAX filesystem
 * provides them (src/dax/vm-ops.ts); the mm dispatch (fault.ts) only knows this interface.
 */

import type { K } from '../sim/types.js';
import type { FaultResult, VmFault } from './vm-fault.js';

export interface VmOperations {
  /** ->fault: a 4 KiB fault (read, shared write, or private write with `cowPfn`). */
  fault(vmf: VmFault): K<FaultResult>;
  /** ->huge_fault / ->pmd_fault: a 2 MiB fault; FALLBACK sends the mm layer to 4 KiB. */
  hugeFault(vmf: VmFault): K<FaultResult>;
  /** ->page_mkwrite: a write to a read-only page-cache page (a hole page, D4). */
  pageMkwrite(vmf: VmFault): K<FaultResult>;
  /** ->pfn_mkwrite: a write to a read-only PTE of device memory (D4). */
  pfnMkwrite(vmf: VmFault): K<FaultResult>;
}
