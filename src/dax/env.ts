/**
 * What the DAX code needs of the machine around it: the runtime, the wait table, the
 * filesystem, the device, physical memory, counters, enabled mutations and the writeback
 * rule. A `World` builds one; the DAX functions take it as their first argument, so the
 * model has no globals and every execution starts fresh.
 */
import type { PmemDevice } from '../block/pmem.js';
import type { IomapFs } from '../fs/index.js';
import type { PhysMem } from '../mm/index.js';
import type { Runtime, WaitTable } from '../sim/index.js';
import type { VmCounters } from './counters.js';
import type { MutationFlags } from './mutation-flags.js';

/** W3: what writeback does with `DIRTY` after a flush. */
export type WritebackRule = 'keep-dirty' | 'clean-dirty';

/** The machine as the DAX functions see it (a World implements it). */
export interface DaxEnv {
  readonly rt: Runtime;
  /** The hashed entry wait queues (L2). */
  readonly waitTable: WaitTable;
  readonly fs: IomapFs;
  readonly dev: PmemDevice;
  readonly phys: PhysMem;
  readonly counters: VmCounters;
  readonly mut: MutationFlags;
  readonly writeback: WritebackRule;
}
