/**
 * 4 KiB hole pages in the page cache (P6, H2): creating one over a locked empty entry, and
 * releasing one the fault path holds.
 *
 * Invariants: a hole page replaces the locked DAX entry the fault holds, in its slot: a 4 KiB
 * empty entry as designed, or, where a 4.10/4.11 fault sampled a hole before another fault
 * installed a 2 MiB entry (iomap-before-grab), that 2 MiB entry whole, as page_cache_tree_insert
 * did after its WARN (the tree then holds a page at order 9, which V3 reports; later operations
 * treat it as one entry, an approximation of the sibling slots the kernel left, findings F-6).
 * Waiters keyed on the replaced entry are woken (all, or one before 965d004af540, H2); a hole
 * page off the tree with no reference left goes back to the page allocator.
 */
import type { Errno } from '../lib/errno.js';
import { PageLock } from '../sim/page-lock.js';
import type { K } from '../sim/types.js';
import type { AddressSpace } from './address-space.js';
import { type DaxEntry, describeEntry, isEmptyEntry, isPteEntry } from './entry.js';
import { wakeMappingEntryWaiter } from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { HolePage } from './hole-page.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { hex, traceModel, tracing } from './trace.js';

/**
 * find_or_create_page over the locked DAX entry the fault holds (dax_load_hole's allocation,
 * page_cache_tree_insert). P6, H2. Returns the new hole page, locked, holding the page-cache
 * reference and the caller's. Called without `tree_lock`, with `entry` locked at `index`.
 */
export function* createHolePage(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  entry: DaxEntry,
): K<HolePage | Extract<Errno, 'ENOMEM'>> {
  if (!(yield* env.rt.alloc('page-alloc'))) return 'ENOMEM';
  const pfn = env.phys.allocPage();
  const page = new HolePage(pfn, mapping, index, new PageLock(env.rt, `page:${hex(pfn)}`));
  page.refcount = 2;
  yield* page.lock.lock();
  yield* mapping.treeLock.lockIrq();
  // The slot __radix_tree_create stops at: the entry the fault holds locked, which nobody else
  // can remove or replace, so neither an empty slot nor a page (-EEXIST) can be found here.
  const cur = mapping.tree.lookupEntry(index);
  if (cur === undefined || cur.item !== entry) {
    throw new Error(
      `hole page insert at ${hex(index)} found ${describeEntry(cur?.item)}, not the locked entry`,
    );
  }
  // WARN_ON_ONCE(p != dax_radix_locked_entry(0, RADIX_DAX_EMPTY)), then the replace regardless.
  if (!isEmptyEntry(entry) || !isPteEntry(entry)) warnHoleOver(env, mapping, index, entry);
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

function warnHoleOver(env: DaxEnv, mapping: AddressSpace, index: number, entry: DaxEntry): void {
  if (!tracing(env)) return;
  traceModel(env, 'WARN:page_cache_tree_insert', 'P6', {
    mapping: mapping.name,
    index: hex(index),
    found: describeEntry(entry),
  });
}

/** unlock_page + put_page of a hole page the fault path held. P6, P8. */
export function releaseHolePage(env: DaxEnv, page: HolePage): void {
  page.lock.unlock();
  dropHolePageRef(env, page);
}

/** put_page: the last reference of a page off the tree frees it. P6, F3. */
export function dropHolePageRef(env: DaxEnv, page: HolePage): void {
  page.refcount--;
  if (page.refcount === 0 && page.mapping === null) env.phys.freePage(page.pfn);
}
