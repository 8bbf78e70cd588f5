/**
 * Installing translations under the page table lock: insert_pfn (behind vm_insert_mixed),
 * insert_pfn_pmd (behind vmf_insert_pfn_pmd), split_huge_pmd for a DAX VMA, and the "bad pmd"
 * handling of a huge PMD found where a PTE table was expected.
 *
 * Invariants: every change happens with the process's `ptl` held; nothing here re-checks the
 * slot on behalf of DAX: the kernel's insert_pfn and insert_pfn_pmd (4.10-4.13) did not, the
 * fault handlers do (switch pmd-pte-collision-recheck). What the kernel did when the other kind
 * was there anyway is modelled, and reported where it corrupts memory or leaks a table (V4).
 */
import type { K } from '../sim/types.js';
import type { MmEnv } from './mm-env.js';
import type { Process } from './process.js';
import type { PmdMapKind, PteKind } from './pt-entry.js';
import { PAGE_SIZE, PMD_SIZE, PTRS_PER_PTE, pmdAlignDown } from './units.js';

/** Outcome of installing a 4 KiB translation. */
export type PteInsert = 'installed' | 'busy';

/**
 * insert_pfn (vm_insert_mixed): get_locked_pte allocates a table into an empty slot (the late
 * allocation of 7267ec008b5c), then maps `pfn` if the PTE is empty; 'busy' is its -EBUSY (a
 * PTE is already there: fine, the access retries). A huge PMD in the slot is taken for a table
 * pointer, as the kernel's pte_offset_map_lock does: the "PTE" read and written is 8 bytes of
 * the huge page's first 4 KiB (file data, or the shared huge zero page). Takes and drops `ptl`.
 * P5, D2.
 */
export function* insertPfn(
  env: MmEnv,
  proc: Process,
  vaddr: number,
  pfn: number,
  writable: boolean,
  kind: PteKind,
): K<PteInsert> {
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  const slot = pt.pmdKind(vaddr);
  if (slot === 'huge') {
    const r = pteIntoHugePage(env, proc, vaddr, pfn);
    proc.ptl.unlock();
    return r;
  }
  if (slot === 'none') pt.allocPteTable(vaddr);
  const installed = pt.insertPte(vaddr, pfn, writable, kind);
  proc.ptl.unlock();
  return installed ? 'installed' : 'busy';
}

/** The PTE write of insert_pfn landing in a huge page (D2/H8 without e2093926a098). */
function pteIntoHugePage(env: MmEnv, proc: Process, vaddr: number, pfn: number): PteInsert {
  const pt = proc.mm.pageTable;
  const hugePfn = pt.pmdPfn(vaddr);
  const at = (Math.floor(vaddr / PAGE_SIZE) % PTRS_PER_PTE) * 8;
  const old = new Uint8Array(8);
  env.phys.load(hugePfn, at, old, 0, 8);
  if (old.some((b) => b !== 0)) return 'busy'; // pte_none fails: -EBUSY, taken as success
  const where = `0x${vaddr.toString(16)} in ${proc.name}`;
  env.rt.reportBug(
    'page-table-corruption',
    'V4',
    env.rt.current,
    null,
    `insert_pfn at ${where} took the huge PMD (pfn 0x${hugePfn.toString(16)}) for a PTE table and wrote a PTE into byte 0x${at.toString(16)} of its data`,
  );
  if (!env.phys.isZeroPfn(hugePfn)) {
    const pte = new Uint8Array(8);
    new DataView(pte.buffer).setBigUint64(0, BigInt(pfn) * 4096n + 0x25n, true);
    env.phys.store(hugePfn, at, pte, 0, 8);
  }
  return 'installed';
}

/** Outcome of installing a 2 MiB translation. */
export type PmdInsert = 'installed' | 'raced';

/**
 * insert_pfn_pmd: map a 2 MiB `pfn` at the PMD containing `vaddr`, whatever is there: an
 * existing huge PMD is refreshed (a write fault upgrading a read-only one, D3), and a PTE table
 * is overwritten and leaked with the private copies it held (reported, V4). With `requireNone`
 * (dax_pmd_load_hole's own pmd_none check, M8) any existing slot is a race instead. Takes and
 * drops `ptl`.
 */
export function* insertPfnPmd(
  env: MmEnv,
  proc: Process,
  vaddr: number,
  pfn: number,
  writable: boolean,
  kind: PmdMapKind,
  requireNone: boolean,
): K<PmdInsert> {
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  const slot = pt.pmdKind(vaddr);
  if (slot !== 'none' && requireNone) {
    proc.ptl.unlock();
    return 'raced';
  }
  if (slot === 'table') {
    const base = pmdAlignDown(vaddr);
    let leaked = 0;
    pt.forEachMapping(base, base + PMD_SIZE, () => void leaked++);
    env.rt.reportBug(
      'page-table-corruption',
      'V4',
      env.rt.current,
      null,
      `insert_pfn_pmd at 0x${vaddr.toString(16)} in ${proc.name} overwrote a PTE table (leaked with its ${leaked} PTEs)`,
    );
  }
  pt.setHugePmd(vaddr, pfn, writable, kind);
  proc.ptl.unlock();
  return 'installed';
}

/**
 * split_huge_pmd on a DAX VMA: the huge PMD is simply cleared (file pages are re-faulted at
 * 4 KiB on the next access; there is no deposited PTE table to fill). No-op unless huge. M1.
 */
export function* splitHugePmd(proc: Process, vaddr: number): K<boolean> {
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  const huge = pt.pmdKind(vaddr) === 'huge';
  if (huge) pt.clearPmd(vaddr);
  proc.ptl.unlock();
  return huge;
}

/**
 * pmd_devmap_trans_unstable, as handle_pte_fault and pte_alloc_one_map use it: true when a huge
 * PMD sits where a PTE table was expected (the fault retries). Before e2093926a098's parent
 * ("mm: avoid spurious 'bad pmd' warning messages") pmd_trans_unstable ran first and took a
 * devmap PMD for a bad one: it was cleared, with no TLB flush. D2, H8.
 */
export function hugePmdInTheWay(env: MmEnv, proc: Process, vaddr: number): boolean {
  const pt = proc.mm.pageTable;
  if (pt.pmdKind(vaddr) !== 'huge') return false;
  if (env.kernel.sw['pmd-pte-collision-recheck'] === 'off' && pt.hugePmd(vaddr)?.kind === 'dax')
    pt.clearPmd(vaddr);
  return true;
}
