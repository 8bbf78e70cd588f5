/**
 * What the DAX code needs of the machine around it: what mm needs (the runtime, physical
 * memory, the vm counters, the kernel version), plus the wait table, the filesystem, the
 * device and the enabled model flags. A `World` builds one; the DAX functions take it as their
 * first argument, so the model has no globals and every execution starts fresh.
 */
import type { PmemDevice } from '../block/pmem.js';
import type { IomapFs } from '../fs/iomap-fs.js';
import type { MmEnv } from '../mm/mm-env.js';
import type { WaitTable } from '../sim/wait-table.js';
import type { MutationFlags } from './mutation-flags.js';

/** The machine as the DAX functions see it (a World implements it). */
export interface DaxEnv extends MmEnv {
  /** The hashed entry wait queues (L2). */
  readonly waitTable: WaitTable;
  readonly fs: IomapFs;
  readonly dev: PmemDevice;
  /** Model flags a mutation switched on (synthetic operators; kernel bugs are switches). */
  readonly mut: MutationFlags;
}
