/**
 * struct vm_fault and the VM_FAULT_* results: what the mm dispatch hands a file's vm
 * operations (vm-ops.ts) and what they answer.
 *
 * Invariant: a VmFault describes one fault attempt and is never changed once built; a retry
 * after FALLBACK builds the same fields again (the 4 KiB handler sees the same address).
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { Process } from './process.js';
import type { Vma } from './vma.js';

/**
 * VM_FAULT_* outcomes. NOPAGE: done (the access retries and finds the translation, or
 * faults again); FALLBACK: retry at 4 KiB; DONE_COW: a private copy was mapped.
 */
export type FaultResult = 'NOPAGE' | 'FALLBACK' | 'DONE_COW' | 'SIGBUS' | 'OOM';

/** struct vm_fault. */
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
