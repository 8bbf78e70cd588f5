/**
 * 4 KiB hole pages in the page cache (P6, H2): creating one over a locked empty entry, and
 * releasing one the fault path holds.
 *
 * Invariants: a hole page replaces only a locked empty 4 KiB entry; waiters keyed on that
 * entry are all woken, since none of them can be handed an entry that no longer exists
 * (H2); a hole page off the tree with no reference left goes back to the page allocator.
 */
import type { Errno } from '../lib/errno.js';
import { PageLock } from '../sim/page-lock.js';
import type { K } from '../sim/types.js';
import type { AddressSpace } from './address-space.js';
import { type DaxEntry, describeEntry, isDaxEntry, isEmptyEntry, isPteEntry } from './entry.js';
import { wakeMappingEntryWaiter } from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { HolePage } from './hole-page.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { hex, traceModel, tracing } from './trace.js';

/**
 * find_or_create_page over a locked empty DAX entry (dax_load_hole's allocation). P6, H2.
 * Returns the new hole page, locked, holding the page-cache reference and the caller's.
 * Called without `tree_lock`, with `entry` (a locked empty 4 KiB entry) at `index`.
 */
export function* createHolePage(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  entry: DaxEntry,
): K<HolePage | Extract<Errno, 'ENOMEM'>> {
  if (!isEmptyEntry(entry) || !isPteEntry(entry)) {
    throw new Error(`hole page over ${describeEntry(entry)} at ${hex(index)}`);
  }
  if (!(yield* env.rt.alloc('page-alloc'))) return 'ENOMEM';
  const pfn = env.phys.allocPage();
  const page = new HolePage(pfn, mapping, index, new PageLock(env.rt, `page:${hex(pfn)}`));
  page.refcount = 2;
  yield* page.lock.lock();
  yield* mapping.treeLock.lockIrq();
  const cur = mapping.tree.lookupEntry(index);
  if (cur === undefined || !isDaxEntry(cur.item) || cur.item !== entry) {
    throw new Error(`hole page insert at ${hex(index)} found ${describeEntry(cur?.item)}`);
  }
  mapping.tree.replace(index, page);
  mapping.nrexceptional--;
  mapping.nrpages++;
  mapping.treeLock.unlock();
  // page_cache_tree_insert: 965d004af540 (hole-insert-wakes=all) woke every waiter, not one.
  const wakeAll = env.kernel.sw['hole-insert-wakes'] === 'all';
  wakeMappingEntryWaiter(env, mapping, index, entry, wakeAll, MUTATION_SITES.holeInsertWake);
  if (tracing(env)) {
    traceModel(env, 'dax_load_hole:insert', 'P6', {
      mapping: mapping.name,
      index: hex(index),
      pfn: hex(pfn),
    });
  }
  return page;
}

/** unlock_page + put_page of a hole page the fault path held. */
export function releaseHolePage(env: DaxEnv, page: HolePage): void {
  page.lock.unlock();
  dropHolePageRef(env, page);
}

/** put_page: the last reference of a page off the tree frees it. */
export function dropHolePageRef(env: DaxEnv, page: HolePage): void {
  page.refcount--;
  if (page.refcount === 0 && page.mapping === null) env.phys.freePage(page.pfn);
}
