/**
 * handle_mm_fault for file VMAs (D1-D4): which handler a missing or forbidden translation
 * goes to, the 2 MiB-first policy with its 4 KiB fallback, and private copies (P4).
 *
 * Invariants: a fault runs with the process's mmap_sem held for read (D6); PTE tables are
 * allocated under the page table lock and only into an empty PMD slot, here before the handler
 * (pte-table-alloc=early, before 4.8) or by the handler's install (late); a private copy page
 * is either mapped or freed before the fault returns.
 */
import type { K } from '../sim/types.js';
import { hugePmdInTheWay } from './install.js';
import type { MmEnv } from './mm-env.js';
import type { Process } from './process.js';
import type { FaultResult, VmFault } from './vm-fault.js';
import type { VmOperations } from './vm-ops.js';
import { countFault } from './vmstat.js';

/** What the access sees of a fault: retry, or the signal that ends the task. */
export type AccessFault = 'NOPAGE' | 'SIGBUS' | 'SIGSEGV' | 'OOM';

/** What handle_mm_fault returns: a handler's result, or SIGSEGV for a bad access (D1). */
export type MmFaultResult = FaultResult | 'SIGSEGV';

/** The access's view of a fault result: SIGBUS, OOM and SIGSEGV end it, anything else retries. */
export function toAccess(r: MmFaultResult): AccessFault {
  return r === 'SIGBUS' || r === 'OOM' || r === 'SIGSEGV' ? r : 'NOPAGE';
}

/**
 * handle_mm_fault, __handle_mm_fault and handle_pte_fault (with do_page_fault's VMA check).
 * D1-D4. Called with mmap_sem held for read (D6): the arch fault handler, userAccess, takes it
 * around this call as the kernel's __do_page_fault does.
 */
export function* handleMmFault(env: MmEnv, proc: Process, vaddr: number, write: boolean): K<MmFaultResult> {
  const vma = proc.mm.findVma(vaddr);
  if (vma === undefined || (write && !vma.writable)) return 'SIGSEGV'; // D1
  const ops = vma.file.vmOps;
  if (ops === null) throw new Error(`file ${vma.file.name} has no vm operations`);
  const vmf: VmFault = { proc, vma, vaddr, write };
  const pt = proc.mm.pageTable;
  const slot = pt.pmdKind(vaddr);
  if (slot === 'none' || (slot === 'huge' && write && !pt.pmdWritable(vaddr))) {
    // create_huge_pmd (D2) / wp_huge_pmd (D3); FALLBACK goes on at 4 KiB.
    const r = yield* ops.hugeFault(vmf);
    if (r !== 'FALLBACK') return r;
  } else if (slot === 'huge') {
    return 'NOPAGE'; // spurious: the translation is there and permits the access
  }
  if (env.kernel.sw['pte-table-alloc'] === 'early') {
    // Before 7267ec008b5c: __pte_alloc here, under the page table lock (D2).
    yield* proc.ptl.lock();
    const now = pt.pmdKind(vaddr);
    if (now === 'none') pt.allocPteTable(vaddr);
    proc.ptl.unlock();
    if (now === 'huge') return 'NOPAGE';
  } else if (hugePmdInTheWay(env, proc, vaddr)) {
    // handle_pte_fault: a huge PMD got in after the check above; retry (D2, "bad pmd" before 4.12).
    return 'NOPAGE';
  }
  // handle_pte_fault: do_fault for a missing PTE (the table, if none, comes with the PTE),
  // do_wp_page for a read-only one.
  const kind = pt.pteKind(vaddr);
  if (kind === undefined) {
    if (!write || vma.shared) return yield* ops.fault(vmf); // do_read_fault / do_shared_fault
    return yield* doCowFault(env, ops, vmf);
  }
  if (!write || pt.pteWritable(vaddr)) return 'NOPAGE';
  if (kind === 'anon') throw new Error(`read-only anonymous PTE at 0x${vaddr.toString(16)}`);
  // D4: device memory goes to pfn_mkwrite, a hole page to page_mkwrite.
  if (vma.shared) return yield* kind === 'dax' ? ops.pfnMkwrite(vmf) : ops.pageMkwrite(vmf);
  return yield* wpPageCopy(env, vmf); // private: copy what is mapped (P4)
}

/** do_cow_fault: allocate the copy, let the DAX fault fill and map it (P4). */
function* doCowFault(env: MmEnv, ops: VmOperations, vmf: VmFault): K<MmFaultResult> {
  if (!(yield* env.rt.alloc('page-alloc'))) return 'OOM';
  const cowPfn = env.phys.allocPage();
  const r = yield* ops.fault({ ...vmf, cowPfn });
  // The DAX fault never frees the copy: whatever it did not map goes back here.
  if (vmf.proc.mm.pageTable.ptePfn(vmf.vaddr) !== cowPfn) env.phys.freePage(cowPfn);
  return r;
}

/** wp_page_copy: a private write to a read-only file PTE copies the mapped page (P4). */
function* wpPageCopy(env: MmEnv, vmf: VmFault): K<MmFaultResult> {
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
  countFault(env.counters, vmf.vma, 'cow');
  return 'NOPAGE';
}
