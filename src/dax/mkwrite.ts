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

/**
 * dax_pfn_mkwrite. D4. Called with mmap_sem read and the inode mmap lock shared.
 * mkwrite-pte-under-lock=on (2f89dc12a25d): lock the entry, set DIRTY, make the PTE writable,
 * unlock. off (seed): set DIRTY without taking the entry lock and return; mm's wp_pfn_shared then
 * makes the PTE writable on its own, after the entry may have been cleaned (V4).
 */
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
    if (tracing(env)) traceFault(env, 'dax_pfn_mkwrite_no_entry', vmf, index, mapping, 'NOPAGE', MKWRITE);
    return 'NOPAGE';
  }
  mapping.tree.tagSet(index, TAG_DIRTY);
  if (env.kernel.sw['mkwrite-pte-under-lock'] === 'off') {
    putUnlockedMappingEntry(env, mapping, index, item, MUTATION_SITES.mkwritePut);
    mapping.treeLock.unlock();
    yield* wpPageReuse(vmf); // wp_pfn_shared after ->pfn_mkwrite returned
    if (tracing(env)) traceFault(env, 'dax_pfn_mkwrite', vmf, index, mapping, 'NOPAGE', MKWRITE);
    return 'NOPAGE';
  }
  const locked = lockSlot(mapping, index, item);
  mapping.treeLock.unlock();
  yield* wpPageReuse(vmf); // finish_mkwrite_fault
  yield* putLockedMappingEntry(env, mapping, index, locked);
  if (tracing(env)) traceFault(env, 'dax_pfn_mkwrite', vmf, index, mapping, 'NOPAGE', MKWRITE);
  return 'NOPAGE';
}

/** FAULT_FLAG_MKWRITE, which wp_pfn_shared sets before calling ->pfn_mkwrite. */
const MKWRITE = { mkwrite: true };

/** finish_mkwrite_fault / wp_page_reuse: make the PTE writable if it is still the one that faulted. D4. */
function* wpPageReuse(vmf: VmFault): K<void> {
  const proc = vmf.proc;
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  if (pt.pteKind(vmf.vaddr) === 'dax') pt.mkwritePte(vmf.vaddr);
  proc.ptl.unlock();
}
