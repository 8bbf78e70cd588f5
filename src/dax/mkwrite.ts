/**
 * dax_pfn_mkwrite (D4): a store to a read-only 4 KiB PTE of device memory in a shared
 * mapping. The entry is dirtied before the PTE becomes writable, so fsync cannot miss the
 * store (V4).
 *
 * Invariant: the PTE is made writable only while the entry is locked and tagged DIRTY.
 */
import { TAG_DIRTY } from '../lib/radix-tree.js';
import type { FaultResult, VmFault } from '../mm/vm-fault.js';
import { linearPageIndex } from '../mm/vma.js';
import { countFault } from '../mm/vmstat.js';
import type { K } from '../sim/types.js';
import { isDaxEntry } from './entry.js';
import {
  getUnlockedMappingEntry,
  lockSlot,
  putLockedMappingEntry,
  putUnlockedMappingEntry,
} from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { traceFault } from './pte-fault.js';
import { tracing } from './trace.js';

/** dax_pfn_mkwrite. D4. Called with mmap_sem read and the inode mmap lock shared. */
export function* daxPfnMkwrite(env: DaxEnv, vmf: VmFault): K<FaultResult> {
  const mapping = vmf.vma.file;
  const index = linearPageIndex(vmf.vma, vmf.vaddr);
  countFault(env.counters, vmf.vma, 'mkwrite');
  yield* mapping.treeLock.lockIrq();
  const item = yield* getUnlockedMappingEntry(env, mapping, index);
  if (!isDaxEntry(item)) {
    // Missing (truncated, invalidated) or a hole page: let the access retry and fault again.
    putUnlockedMappingEntry(env, mapping, index, item, MUTATION_SITES.mkwritePut);
    mapping.treeLock.unlock();
    if (tracing(env)) traceFault(env, 'dax_pfn_mkwrite_no_entry', vmf, index, mapping, 'NOPAGE');
    return 'NOPAGE';
  }
  mapping.tree.tagSet(index, TAG_DIRTY);
  const locked = lockSlot(mapping, index, item);
  mapping.treeLock.unlock();
  // finish_mkwrite_fault: only if the PTE is still the one we faulted on.
  const proc = vmf.proc;
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  if (pt.pteKind(vmf.vaddr) === 'dax') pt.mkwritePte(vmf.vaddr);
  proc.ptl.unlock();
  if (tracing(env)) traceFault(env, 'dax_pfn_mkwrite', vmf, index, mapping, 'NOPAGE');
  yield* putLockedMappingEntry(env, mapping, index, locked);
  return 'NOPAGE';
}
