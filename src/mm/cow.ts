/**
 * Private copies (P4): finish_fault for the copy a private write fault filled.
 *
 * Invariant: the copy is mapped writable only into a PTE that is empty or maps the file
 * read-only; a huge PMD or another copy that got there first wins, and the caller frees the
 * unused copy (do_cow_fault).
 */
import type { K } from '../sim/types.js';
import type { MmEnv } from './mm-env.js';
import type { Process } from './process.js';
import type { FaultResult } from './vm-fault.js';
import { countFault, type FaultCounts } from './vmstat.js';

/**
 * finish_fault (alloc_set_pte) for a private copy: map `cowPfn` writable at `vaddr` in place
 * of whatever read-only file PTE was there. DONE_COW when mapped; NOPAGE when a huge PMD
 * (D2) or another thread's copy raced in (the access retries). Takes and drops `ptl`.
 */
export function* finishFault(
  env: MmEnv,
  proc: Process,
  vaddr: number,
  cowPfn: number,
  vma: { readonly stats: FaultCounts },
): K<FaultResult> {
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  if (pt.pmdKind(vaddr) === 'huge') {
    proc.ptl.unlock();
    return 'NOPAGE';
  }
  if (pt.pmdKind(vaddr) === 'none') pt.allocPteTable(vaddr);
  if (pt.pteKind(vaddr) === 'anon') {
    proc.ptl.unlock();
    return 'NOPAGE';
  }
  pt.setPte(vaddr, cowPfn, true, 'anon');
  proc.ptl.unlock();
  countFault(env.counters, vma, 'cow');
  return 'DONE_COW';
}
