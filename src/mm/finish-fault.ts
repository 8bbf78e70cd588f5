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
import type { Process } from './process.js';
import type { PteKind } from './pt-entry.js';
import type { FaultResult } from './vm-fault.js';

/**
 * finish_fault: map `pfn` at `vaddr` (writable for a private copy, read-only for a hole page).
 * DONE_COW for a mapped copy, NOPAGE otherwise (mapped, or raced). Takes and drops `ptl`.
 */
export function* finishFault(
  env: MmEnv,
  proc: Process,
  vaddr: number,
  pfn: number,
  kind: PteKind,
): K<FaultResult> {
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
  env.counters.cow++;
  return 'DONE_COW';
}
