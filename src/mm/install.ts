/**
 * Installing translations under the page table lock: insert_pfn (behind vm_insert_mixed),
 * insert_pfn_pmd (behind vmf_insert_pfn_pmd), the PMD re-check of D2/H8, and
 * split_huge_pmd for a DAX VMA.
 *
 * Invariants: the slot is re-checked with `ptl` held before anything is written (H8): a
 * 4 KiB insert never lands on a huge PMD and a 2 MiB insert never on a PTE table, unless the
 * caller passes `recheck = false` (the `skip-recheck@pmd-slot-recheck` mutation), which
 * reproduces the pre-fix kernel that overwrote the other kind.
 */
import type { K } from '../sim/types.js';
import type { Process } from './process.js';
import type { PmdMapKind, PteKind } from './pt-entry.js';

/** Outcome of installing a 4 KiB translation. */
export type PteInsert = 'installed' | 'busy' | 'raced';

/**
 * insert_pfn: map `pfn` at `vaddr` if the PTE is empty. 'busy' when a PTE is already there
 * (someone else faulted it in: fine, the access retries), 'raced' when the PMD slot holds a
 * huge PMD (D2/H8: back off and retry). Takes and drops `ptl`.
 */
export function* insertPfn(
  proc: Process,
  vaddr: number,
  pfn: number,
  writable: boolean,
  kind: PteKind,
  recheck = true,
): K<PteInsert> {
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  let slot = pt.pmdKind(vaddr);
  if (slot === 'huge') {
    if (recheck) {
      proc.ptl.unlock();
      return 'raced';
    }
    pt.clearPmd(vaddr);
    slot = 'none';
  }
  if (slot === 'none') pt.allocPteTable(vaddr);
  const installed = pt.insertPte(vaddr, pfn, writable, kind);
  proc.ptl.unlock();
  return installed ? 'installed' : 'busy';
}

/** Outcome of installing a 2 MiB translation. */
export type PmdInsert = 'installed' | 'raced';

/**
 * insert_pfn_pmd: map a 2 MiB `pfn` at the PMD containing `vaddr`. An existing huge PMD is
 * refreshed (a write fault upgrading a read-only one, D3); a PTE table there means a 4 KiB
 * user won the race (D2/H8): 'raced'. With `requireNone` (the huge zero page, M8) any
 * existing slot is a race. Takes and drops `ptl`.
 */
export function* insertPfnPmd(
  proc: Process,
  vaddr: number,
  pfn: number,
  writable: boolean,
  kind: PmdMapKind,
  opts: { recheck: boolean; requireNone: boolean },
): K<PmdInsert> {
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  const slot = pt.pmdKind(vaddr);
  if (slot !== 'none' && opts.requireNone) {
    proc.ptl.unlock();
    return 'raced';
  }
  if (slot === 'table') {
    if (opts.recheck) {
      proc.ptl.unlock();
      return 'raced';
    }
    pt.clearPmd(vaddr);
  }
  pt.setHugePmd(vaddr, pfn, writable, kind);
  proc.ptl.unlock();
  return 'installed';
}

/**
 * split_huge_pmd on a DAX VMA: the huge PMD is simply cleared (file pages are re-faulted at
 * 4 KiB on the next access; there is no deposited PTE table to fill). No-op unless huge.
 */
export function* splitHugePmd(proc: Process, vaddr: number): K<boolean> {
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  const huge = pt.pmdKind(vaddr) === 'huge';
  if (huge) pt.clearPmd(vaddr);
  proc.ptl.unlock();
  return huge;
}
