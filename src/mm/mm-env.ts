/**
 * What the mm fault dispatch and user accesses need of the machine around them: the runtime
 * (allocation points), the kernel version's switches, physical memory (private copies) and the
 * vm event counters. A World
 * implements it; the file-specific work goes through the VMA's vm operations, never through
 * a filesystem or DAX environment.
 */
import type { Runtime } from '../sim/runtime.js';
import type { Kernel } from '../version/kernel.js';
import type { PhysMem } from './phys.js';
import type { VmCounters } from './vmstat.js';

/** The machine as mm sees it. */
export interface MmEnv {
  readonly rt: Runtime;
  /** Which kernel this is: the profile's switches, read at each site that differs by version. */
  readonly kernel: Kernel;
  readonly phys: PhysMem;
  readonly counters: VmCounters;
}
