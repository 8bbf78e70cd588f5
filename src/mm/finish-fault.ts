/**
 * finish_fault (alloc_set_pte through pte_alloc_one_map): how a fault that has a page maps it,
 * the private copy of a COW fault (P4) or a DAX hole page (P6, from 4.10 on called by
 * dax_load_hole itself).
 *
 * Invariant: the page is mapped only into an empty PTE; a huge PMD or another thread's PTE
 * that got there first wins and the fault returns NOPAGE (the caller frees an unused copy,
 * do_cow_fault).
 */
import type { K } from '../sim/types.js';
import { hugePmdInTheWay } from './install.js';
import type { MmEnv } from './mm-env.js';
import type { PteKind } from './pt-entry.js';
import type { FaultResult, VmFault } from './vm-fault.js';
import { countFault } from './vmstat.js';

/**
 * finish_fault: map `pfn` at the faulting address (writable for a private copy, read-only for
 * a hole page). DONE_COW for a mapped copy, NOPAGE otherwise (mapped, or raced). Takes and
 * drops `ptl`. P4, P6.
 */
export function* finishFault(env: MmEnv, vmf: VmFault, pfn: number, kind: PteKind): K<FaultResult> {
  const { proc, vaddr } = vmf;
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  if (pt.pmdKind(vaddr) === 'none') pt.allocPteTable(vaddr);
  if (hugePmdInTheWay(env, proc, vaddr) || pt.ptePfn(vaddr) >= 0) {
    proc.ptl.unlock();
    return 'NOPAGE';
  }
  const cow = kind === 'anon';
  pt.setPte(vaddr, pfn, cow, kind);
  proc.ptl.unlock();
  if (!cow) return 'NOPAGE';
  countFault(env.counters, vmf.vma, 'cow');
  return 'DONE_COW';
}
