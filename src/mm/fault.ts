/**
 * handle_mm_fault for DAX VMAs (D1-D4): which handler a missing or forbidden translation
 * goes to, the 2 MiB-first policy with its 4 KiB fallback, and private copies (P4).
 *
 * Invariants: a fault runs with the process's mmap_sem held for read (D6); PTE tables are
 * allocated under the page table lock and only into an empty PMD slot; a private copy page
 * is either mapped or freed before the fault returns.
 */
import type { DaxEnv } from '../dax/env.js';
import type { FaultResult, VmFault } from '../dax/fault.js';
import { done, type K } from '../sim/index.js';
import type { Process } from './process.js';
import type { VmOperations } from './vm-ops.js';

/** What the access sees of a fault: retry, or the signal that ends the task. */
export type AccessFault = 'NOPAGE' | 'SIGBUS' | 'SIGSEGV' | 'OOM';

/** What handle_mm_fault returns: a handler's result, or SIGSEGV for a bad access (D1). */
export type MmFaultResult = FaultResult | 'SIGSEGV';

/** The access's view of a fault result: SIGBUS, OOM and SIGSEGV end it, anything else retries. */
export function toAccess(r: MmFaultResult): AccessFault {
  return r === 'SIGBUS' || r === 'OOM' || r === 'SIGSEGV' ? r : 'NOPAGE';
}

const DONE_NOPAGE: K<MmFaultResult> = done('NOPAGE');
const DONE_SIGSEGV: K<MmFaultResult> = done('SIGSEGV');

// The dispatch below hands back the handler's own K (or a finished one) wherever nothing
// happens after the handler returns, so a 4 KiB fault runs through no mm-layer generator.

/**
 * handle_mm_fault (with do_page_fault's VMA check). D1-D4. Called with mmap_sem held for
 * read (D6): the arch fault handler, userAccess, takes it around this call as the kernel's
 * __do_page_fault does.
 */
export function handleMmFault(env: DaxEnv, proc: Process, vaddr: number, write: boolean): K<MmFaultResult> {
  const vma = proc.mm.findVma(vaddr);
  if (vma === undefined || (write && !vma.writable)) return DONE_SIGSEGV; // D1
  const ops = vma.file.vmOps;
  if (ops === null) throw new Error(`file ${vma.file.name} has no vm operations`);
  const vmf: VmFault = { proc, vma, vaddr, write };
  const pt = proc.mm.pageTable;
  const slot = pt.pmdKind(vaddr);
  // D2: an empty slot tries 2 MiB first; D3: a write to a read-only huge PMD.
  if (slot === 'none' || (slot === 'huge' && write && !pt.pmdWritable(vaddr)))
    return hugeFirst(env, ops, vmf);
  if (slot === 'huge') return DONE_NOPAGE; // spurious: the translation is there and permits the access
  return pteAllocThenFault(env, ops, vmf);
}

/** create_huge_pmd / wp_huge_pmd, then the 4 KiB path on FALLBACK (D2, D3). */
function* hugeFirst(env: DaxEnv, ops: VmOperations, vmf: VmFault): K<MmFaultResult> {
  const r = yield* ops.hugeFault(vmf);
  if (r !== 'FALLBACK') return r;
  return yield* pteAllocThenFault(env, ops, vmf);
}

/** __pte_alloc then handle_pte_fault: an empty slot gets a PTE table; a huge PMD that raced in wins (D2). */
function pteAllocThenFault(env: DaxEnv, ops: VmOperations, vmf: VmFault): K<MmFaultResult> {
  if (!vmf.proc.ptl.lockNow()) return pteAllocAfterLock(env, ops, vmf);
  return pteAllocLocked(vmf) ? pteFault(env, ops, vmf) : DONE_NOPAGE;
}

function* pteAllocAfterLock(env: DaxEnv, ops: VmOperations, vmf: VmFault): K<MmFaultResult> {
  yield* vmf.proc.ptl.lock();
  if (!pteAllocLocked(vmf)) return 'NOPAGE';
  return yield* pteFault(env, ops, vmf);
}

/** __pte_alloc's body under `ptl` (dropped here): false when a huge PMD is there (retry). */
function pteAllocLocked(vmf: VmFault): boolean {
  const pt = vmf.proc.mm.pageTable;
  const now = pt.pmdKind(vmf.vaddr);
  if (now === 'none') pt.allocPteTable(vmf.vaddr);
  vmf.proc.ptl.unlock();
  return now !== 'huge';
}

/** handle_pte_fault: do_fault for a missing PTE, do_wp_page for a read-only one. */
function pteFault(env: DaxEnv, ops: VmOperations, vmf: VmFault): K<MmFaultResult> {
  const pt = vmf.proc.mm.pageTable;
  const { vaddr, write, vma } = vmf;
  const kind = pt.pteKind(vaddr);
  if (kind === undefined) {
    if (!write || vma.shared) return ops.fault(vmf); // do_read_fault / do_shared_fault
    return cowFault(env, ops, vmf); // do_cow_fault
  }
  if (!write || pt.pteWritable(vaddr)) return DONE_NOPAGE;
  if (kind === 'anon') throw new Error(`read-only anonymous PTE at 0x${vaddr.toString(16)}`);
  // D4: device memory goes to pfn_mkwrite, a hole page to page_mkwrite.
  if (vma.shared) return kind === 'dax' ? ops.pfnMkwrite(vmf) : ops.pageMkwrite(vmf);
  return wpPageCopy(env, vmf); // private: copy what is mapped (P4)
}

/** do_cow_fault: allocate the copy, let the DAX fault fill and map it (P4). */
function* cowFault(env: DaxEnv, ops: VmOperations, vmf: VmFault): K<MmFaultResult> {
  if (!(yield* env.rt.alloc('page-alloc'))) return 'OOM';
  const cowPfn = env.phys.allocPage();
  const r = yield* ops.fault({ ...vmf, cowPfn });
  // The DAX fault never frees the copy: whatever it did not map goes back here.
  if (vmf.proc.mm.pageTable.ptePfn(vmf.vaddr) !== cowPfn) env.phys.freePage(cowPfn);
  return r;
}

/** wp_page_copy: a private write to a read-only file PTE copies the mapped page (P4). */
function* wpPageCopy(env: DaxEnv, vmf: VmFault): K<MmFaultResult> {
  const { proc, vaddr } = vmf;
  if (!(yield* env.rt.alloc('page-alloc'))) return 'OOM';
  const copy = env.phys.allocPage();
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  const src = pt.ptePfn(vaddr);
  if (src < 0 || pt.pteWritable(vaddr)) {
    proc.ptl.unlock();
    env.phys.freePage(copy);
    return 'NOPAGE'; // the PTE changed under us: retry
  }
  env.phys.copyPage(src, copy);
  pt.setPte(vaddr, copy, true, 'anon');
  proc.ptl.unlock();
  env.counters.cow++;
  return 'NOPAGE';
}
