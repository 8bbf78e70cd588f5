/**
 * A simulated process: its mm (VMAs + page table) with the locks the kernel puts around
 * them: `mmap_sem` (D6) and the page table lock (D5).
 *
 * Invariant: page-table entries of `mm` change only with `ptl` held by the current task;
 * VMAs change only with `mmapSem` held for write.
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { Runtime } from '../sim/runtime.js';
import { RwSemaphore } from '../sim/rwsem.js';
import { SpinLock } from '../sim/spinlock.js';
import { Mm } from './mm.js';

/** A process: mm_struct plus its locks. */
export class Process {
  readonly mm: Mm<AddressSpace>;
  /** mm->mmap_sem. */
  readonly mmapSem: RwSemaphore;
  /** The page table lock (one per process: a coarser lock than split PTE locks, never finer). */
  readonly ptl: SpinLock;

  constructor(
    rt: Runtime,
    readonly id: number,
    readonly name: string,
  ) {
    this.mm = new Mm<AddressSpace>(id, name);
    this.mmapSem = new RwSemaphore(rt, `mmap_sem:${name}`, 'mmap_sem');
    this.ptl = new SpinLock(rt, `ptl:${name}`, 'ptl');
    this.mm.owner = this;
  }

  /** The process owning an mm (vma->vm_mm back to its locks). */
  static of(mm: Mm<AddressSpace>): Process {
    const p = mm.owner;
    if (!(p instanceof Process)) throw new Error(`mm ${mm.name} has no process`);
    return p;
  }
}
