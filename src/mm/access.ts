/**
 * User accesses: loads and stores at virtual addresses, through the page tables exactly as
 * the hardware walks them. A present, permitted translation is used without a fault; a
 * missing or forbidden one faults (D1-D4) and the access retries.
 *
 * Invariants: the translation and the data copy of one page happen between two scheduling
 * points, so no other task can change the mapping in between (a TLB-coherent machine);
 * a fault that keeps returning without a usable translation is a livelock (V1) of the kernel
 * modelled (or of the model), reported after `MAX_RETRIES` attempts rather than looping forever.
 */

import { Livelock } from '../sim/oops.js';
import type { K } from '../sim/types.js';
import { type AccessFault, handleMmFault, toAccess } from './fault.js';
import type { MmEnv } from './mm-env.js';
import type { Process } from './process.js';
import { PAGE_SIZE, TASK_SIZE } from './units.js';

/** Faults one access may take before the model declares a livelock. */
export const MAX_RETRIES = 64;

/** The result of an access: ok, or the signal that ends the task. */
export type AccessResult = 'ok' | Exclude<AccessFault, 'NOPAGE'>;

/**
 * Copy `buf[0..len)` to (write) or from (read) user memory at `vaddr`, page by page.
 * Each page's translation is looked up, faulted in when needed, and used at once.
 */
export function* userAccess(
  env: MmEnv,
  proc: Process,
  vaddr: number,
  buf: Uint8Array,
  write: boolean,
): K<AccessResult> {
  const pt = proc.mm.pageTable;
  let done = 0;
  while (done < buf.length) {
    const va = vaddr + done;
    const inPage = va % PAGE_SIZE;
    const n = Math.min(buf.length - done, PAGE_SIZE - inPage);
    if (!(va < TASK_SIZE)) {
      // Past user space no VMA can exist (D1): the hardware's fault there is a SIGSEGV too.
      env.counters.sigsegv++;
      return 'SIGSEGV';
    }
    let pfn = pt.translate(va, write);
    let tries = 0;
    while (pfn < 0) {
      if (++tries > MAX_RETRIES) {
        throw new Livelock(
          `livelock: ${MAX_RETRIES} faults at 0x${va.toString(16)} (${write ? 'write' : 'read'}) without a usable translation`,
        );
      }
      // __do_page_fault: mmap_sem is held for read around handle_mm_fault (D6).
      yield* proc.mmapSem.downRead();
      const r = yield* handleMmFault(env, proc, va, write);
      proc.mmapSem.upRead();
      const end = toAccess(r);
      if (end !== 'NOPAGE') {
        if (end === 'SIGSEGV') env.counters.sigsegv++;
        if (end === 'OOM') env.counters.oom++;
        return end;
      }
      if (tries > 1) env.counters.retries++;
      pfn = pt.translate(va, write);
    }
    if (write) env.phys.store(pfn, inPage, buf, done, n);
    else env.phys.load(pfn, inPage, buf, done, n);
    done += n;
  }
  return 'ok';
}
