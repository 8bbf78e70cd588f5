/**
 * Removing entries: truncate and punch (dax_delete_mapping_entry, F3) and write(2)'s
 * invalidation of hole pages and zero entries (dax_invalidate_mapping_entry_sync, R2).
 *
 * Invariants: a deleted or invalidated DAX entry wakes **all** its waiters (H5): a waiter
 * woken into an empty slot wakes nobody, so a wake-one could strand a third task; a hole page
 * leaves the tree only while its page lock is held; locked entries are waited for (L3).
 */
import { TAG_DIRTY, TAG_TOWRITE } from '../lib/radix-tree.js';
import { PAGE_SIZE } from '../mm/units.js';
import { unmapMappingRange } from '../mm/unmap.js';
import type { K } from '../sim/types.js';
import type { AddressSpace } from './address-space.js';
import { type DaxEntry, entryBaseIndex, entryPages, isDaxEntry, type MappingItem } from './entry.js';
import {
  getUnlockedMappingEntry,
  lockSlot,
  putUnlockedMappingEntry,
  wakeMappingEntryWaiter,
} from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { dropHolePageRef } from './hole.js';
import type { HolePage } from './hole-page.js';
import { MUTATION_SITES, type MutationSite } from './mutation-flags.js';
import { hex, traceModel, tracing } from './trace.js';

/** dax_delete_mapping_entry: truncate/punch removal of the entry at `index`. F3, H5. */
export function* daxDeleteMappingEntry(env: DaxEnv, mapping: AddressSpace, index: number): K<boolean> {
  yield* mapping.treeLock.lockIrq();
  const item = yield* getUnlockedMappingEntry(env, mapping, index);
  if (!isDaxEntry(item)) {
    // The caller saw a DAX entry here and holds the mmap lock exclusive: WARN in the kernel.
    mapping.treeLock.unlock();
    return false;
  }
  removeEntry(env, mapping, index, item, MUTATION_SITES.deleteWake);
  if (tracing(env))
    traceModel(env, 'dax_delete_mapping_entry', 'F3', { mapping: mapping.name, index: hex(index) });
  return true;
}

/**
 * The common end of deletion and invalidation: with `tree_lock` held on entry, delete the
 * entry, uncount it, drop the lock and wake **all** its waiters (H5: a waiter woken into an
 * empty slot wakes nobody, so a wake-one could strand the next one).
 */
function removeEntry(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  item: DaxEntry,
  site: MutationSite,
): void {
  mapping.tree.delete(index);
  mapping.nrexceptional--;
  mapping.treeLock.unlock();
  wakeMappingEntryWaiter(env, mapping, index, item, true, site);
}

/**
 * dax_invalidate_mapping_entry_sync: drop a clean entry (a zero or empty one after write(2)
 * allocated under it). Dirty entries stay. R2, H5 (wake all; 4.10-5.12 woke one).
 * The entry is locked while its mappings are torn down and only then deleted, so no page
 * table keeps mapping an entry the tree no longer has (V4) and no fault maps it anew
 * meanwhile. (The kernel deletes first and unmaps the whole range afterwards, leaving
 * that window open.)
 */
export function* daxInvalidateMappingEntrySync(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
): K<boolean> {
  yield* mapping.treeLock.lockIrq();
  const item = yield* getUnlockedMappingEntry(env, mapping, index);
  const tree = mapping.tree;
  if (!isDaxEntry(item) || tree.tagGet(index, TAG_DIRTY) || tree.tagGet(index, TAG_TOWRITE)) {
    putUnlockedMappingEntry(env, mapping, index, item, MUTATION_SITES.invalidateWake);
    mapping.treeLock.unlock();
    return false;
  }
  lockSlot(mapping, index, item);
  mapping.treeLock.unlock();
  yield* unmapMappingRange(
    mapping,
    entryBaseIndex(index, item) * PAGE_SIZE,
    entryPages(item) * PAGE_SIZE,
    false,
  );
  yield* mapping.treeLock.lockIrq();
  removeEntry(env, mapping, index, item, MUTATION_SITES.invalidateWake);
  if (tracing(env))
    traceModel(env, 'dax_invalidate_mapping_entry_sync', 'R2', { mapping: mapping.name, index: hex(index) });
  return true;
}

/**
 * Remove a hole page from the page cache under its page lock, unmapping it first
 * (truncate_cleanup_page / invalidate_complete_page2).
 */
function* deleteHolePage(env: DaxEnv, mapping: AddressSpace, page: HolePage): K<void> {
  page.refcount++;
  yield* page.lock.lock();
  if (page.mapping === mapping) {
    yield* unmapMappingRange(mapping, page.index * PAGE_SIZE, PAGE_SIZE, false);
    yield* mapping.treeLock.lockIrq();
    mapping.tree.delete(page.index);
    mapping.nrpages--;
    page.mapping = null;
    page.refcount--; // the page cache's reference
    mapping.treeLock.unlock();
  }
  page.lock.unlock();
  dropHolePageRef(env, page);
}

/** The entries overlapping pages [first, last], in index order (a snapshot). */
function entriesIn(
  mapping: AddressSpace,
  first: number,
  last: number,
): { index: number; item: MappingItem }[] {
  const out: { index: number; item: MappingItem }[] = [];
  let next = first;
  for (;;) {
    const batch = mapping.tree.gangLookup(next, 64);
    for (const e of batch) {
      if (e.index > last) return out;
      if (e.index + (isDaxEntry(e.item) ? entryPages(e.item) : 1) > first)
        out.push({ index: e.index, item: e.item });
    }
    if (batch.length < 64) return out;
    next = batch[batch.length - 1]!.index + 1;
  }
}

/**
 * truncate_inode_pages_range for a DAX mapping: delete every entry overlapping pages
 * [first, last] (a 2 MiB entry partly inside goes whole; its surviving part re-faults).
 * Called with the inode mmap lock held exclusive.
 */
export function* truncateInodePagesRange(
  env: DaxEnv,
  mapping: AddressSpace,
  first: number,
  last: number,
): K<void> {
  for (const e of entriesIn(mapping, first, last)) {
    if (isDaxEntry(e.item)) yield* daxDeleteMappingEntry(env, mapping, e.index);
    else yield* deleteHolePage(env, mapping, e.item);
  }
}

/**
 * invalidate_inode_pages2_range as write(2) uses it after allocating (R2, H4): hole pages and
 * clean DAX entries over pages [first, last] go, then their mappings are torn down.
 */
export function* invalidateInodePages2Range(
  env: DaxEnv,
  mapping: AddressSpace,
  first: number,
  last: number,
): K<void> {
  for (const e of entriesIn(mapping, first, last)) {
    if (!isDaxEntry(e.item)) {
      yield* deleteHolePage(env, mapping, e.item);
    } else if (!(yield* daxInvalidateMappingEntrySync(env, mapping, e.index))) {
      // A read fault that looked the extent up before the allocation may have turned the
      // empty entry we waited for into a hole page; it maps that page only after this range
      // is unmapped, so remove the page itself (its lock waits for the mapping to be done).
      const now = mapping.tree.lookup(e.index);
      if (now !== undefined && !isDaxEntry(now)) yield* deleteHolePage(env, mapping, now);
    }
  }
  yield* unmapMappingRange(mapping, first * PAGE_SIZE, (last - first + 1) * PAGE_SIZE, false);
}
