/**
 * The fault descriptor (struct vm_fault) and fault results (VM_FAULT_*) shared by the DAX
 * fault handlers and the mm dispatch.
 */
import type { Process } from '../mm/process.js';
import type { Vma } from '../mm/vma.js';
import type { AddressSpace } from './address-space.js';

/**
 * VM_FAULT_* outcomes. NOPAGE: done (the access retries and finds the translation, or
 * faults again); FALLBACK: retry at 4 KiB; DONE_COW: a private copy was mapped.
 */
export type FaultResult = 'NOPAGE' | 'FALLBACK' | 'DONE_COW' | 'SIGBUS' | 'OOM';

/** struct vm_fault as the DAX handlers use it. */
export interface VmFault {
  readonly proc: Process;
  readonly vma: Vma<AddressSpace>;
  /** The faulting virtual address. */
  readonly vaddr: number;
  /** FAULT_FLAG_WRITE. */
  readonly write: boolean;
  /** vmf->cow_page: the anonymous page a private write copies into (P4), as a pfn. */
  readonly cowPfn?: number;
}

/** dax_fault_return: an errno from the fault path as a fault result. */
export function faultReturn(err: string | null): FaultResult {
  if (err === null) return 'NOPAGE';
  return err === 'ENOMEM' ? 'OOM' : 'SIGBUS';
}
