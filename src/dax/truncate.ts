/**
 * Removing entries: truncate and punch (dax_delete_mapping_entry, F3) and write(2)'s
 * invalidation (invalidate_inode_pages2_range with dax_invalidate_mapping_entry_sync, R2).
 *
 * Switches: delete-wakes (all before c6dcf52c23d2 and after 237388320def; one in between, which
 * can strand a third waiter, H5) and write-path-invalidate (what write(2)'s invalidation deletes
 * and unmaps). Invariants: a hole page leaves the tree only while its page lock is held; locked
 * entries are waited for (L3); the walks visit a 2 MiB entry once, at its aligned index, even
 * when the range starts inside it.
 */
import { TAG_DIRTY, TAG_TOWRITE } from '../lib/radix-tree.js';
import { PAGE_SIZE } from '../mm/units.js';
import { unmapMappingRange } from '../mm/unmap.js';
import type { K } from '../sim/types.js';
import type { AddressSpace } from './address-space.js';
import { type DaxEntry, entryPages, isDaxEntry, type MappingItem } from './entry.js';
import { getUnlockedMappingEntry, putUnlockedMappingEntry, wakeMappingEntryWaiter } from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { dropHolePageRef } from './hole.js';
import type { HolePage } from './hole-page.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { hex, traceModel, tracing } from './trace.js';

/**
 * dax_delete_mapping_entry: truncate/punch removal of the DAX entry at `index` (from 4.10 the
 * trunc=true call of __dax_invalidate_mapping_entry). F3, H5.
 */
export function* daxDeleteMappingEntry(env: DaxEnv, mapping: AddressSpace, index: number): K<boolean> {
  const r = yield* daxInvalidateEntry(env, mapping, index, true);
  if (r && tracing(env))
    traceModel(env, 'dax_delete_mapping_entry', 'F3', { mapping: mapping.name, index: hex(index) });
  return r;
}

/**
 * dax_invalidate_mapping_entry_sync: drop a clean DAX entry (its DIRTY and TOWRITE tags clear)
 * for write(2)'s invalidation; a dirty one stays. Nothing is unmapped here. R2, H5.
 */
export function* daxInvalidateMappingEntrySync(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
): K<boolean> {
  const r = yield* daxInvalidateEntry(env, mapping, index, false);
  if (r && tracing(env))
    traceModel(env, 'dax_invalidate_mapping_entry_sync', 'R2', { mapping: mapping.name, index: hex(index) });
  return r;
}

/**
 * __dax_invalidate_mapping_entry(mapping, index, trunc): wait for the entry, delete it (unless
 * !trunc and it is dirty), then pass the wake-up on. delete-wakes=one: the shared end is
 * put_unlocked_mapping_entry, which wakes one waiter and nobody for an empty slot or a page;
 * all: every waiter on a deleted entry is woken (the seed's delete, and 237388320def). F3, L3,
 * L5, H5.
 */
function* daxInvalidateEntry(env: DaxEnv, mapping: AddressSpace, index: number, trunc: boolean): K<boolean> {
  yield* mapping.treeLock.lockIrq();
  const item = yield* getUnlockedMappingEntry(env, mapping, index);
  const tree = mapping.tree;
  const keep =
    !isDaxEntry(item) || (!trunc && (tree.tagGet(index, TAG_DIRTY) || tree.tagGet(index, TAG_TOWRITE)));
  const site = trunc ? MUTATION_SITES.deleteWake : MUTATION_SITES.invalidateWake;
  if (!keep) {
    tree.delete(index);
    mapping.nrexceptional--;
  }
  if (keep || env.kernel.sw['delete-wakes'] === 'one') {
    putUnlockedMappingEntry(env, mapping, index, item, site);
    mapping.treeLock.unlock();
  } else {
    mapping.treeLock.unlock();
    wakeMappingEntryWaiter(env, mapping, index, item as DaxEntry, true, site);
  }
  return !keep;
}

/**
 * Take a hole page out of the page cache: lock it, run `whileLocked` (an unmap, if any), and
 * delete it from the tree unless it was truncated meanwhile (truncate_inode_page /
 * invalidate_complete_page2). Drops the reference entriesIn took (pagevec_release).
 */
function* deleteHolePage(
  env: DaxEnv,
  mapping: AddressSpace,
  page: HolePage,
  whileLocked: () => K<void> = noUnmap,
): K<void> {
  yield* page.lock.lock();
  if (page.mapping === mapping) {
    yield* whileLocked();
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

function* noUnmap(): K<void> {}

/**
 * The entries overlapping pages [first, last], in index order (a snapshot, as the pagevecs of
 * pagevec_lookup_entries): a 2 MiB entry covering `first` comes at its aligned index. Each
 * hole page gets a reference, as find_get_entries takes one, so a page removed by a racing
 * fault stays allocated until the caller is done with it (deleteHolePage drops it).
 */
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
      if (e.index + (isDaxEntry(e.item) ? entryPages(e.item) : 1) > first) {
        if (!isDaxEntry(e.item)) e.item.refcount++;
        out.push({ index: e.index, item: e.item });
      }
    }
    if (batch.length < 64) return out;
    next = batch[batch.length - 1]!.index + 1;
  }
}

/**
 * truncate_inode_pages_range for a DAX mapping: delete every entry overlapping pages
 * [first, last], a 2 MiB entry partly inside whole, DIRTY with it (its surviving part
 * re-faults, and what was stored there is no longer tracked for fsync). Called with the
 * inode mmap lock exclusive, after the caller unmapped the range. F3.
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
 * invalidate_inode_pages2_range as write(2) uses it (R2, H4). DAX entries: before e3fce68cdbed
 * (write-path-invalidate=upfront) every one is deleted, dirty or not, and none is unmapped;
 * after it, clean ones only. Hole pages: the first one still mapped unmaps everything from its
 * index to `last` (DAX PTEs and PMDs included), later ones only themselves. From cd656375f946
 * (extent) the whole range is unmapped at the end, whatever was found.
 */
export function* invalidateInodePages2Range(
  env: DaxEnv,
  mapping: AddressSpace,
  first: number,
  last: number,
): K<void> {
  const mode = env.kernel.sw['write-path-invalidate'];
  let didRangeUnmap = false;
  for (const e of entriesIn(mapping, first, last)) {
    if (isDaxEntry(e.item)) {
      if (mode === 'upfront') yield* daxDeleteMappingEntry(env, mapping, e.index);
      else yield* daxInvalidateMappingEntrySync(env, mapping, e.index);
      continue;
    }
    const page = e.item;
    yield* deleteHolePage(env, mapping, page, function* () {
      if (!isPageMapped(mapping, page)) return;
      const pages = didRangeUnmap ? 1 : last - page.index + 1;
      didRangeUnmap = true;
      yield* unmapMappingRange(mapping, page.index * PAGE_SIZE, pages * PAGE_SIZE, false);
    });
  }
  if (mode === 'extent')
    yield* unmapMappingRange(mapping, first * PAGE_SIZE, (last - first + 1) * PAGE_SIZE, false);
}

/** page_mapped: whether any process maps the hole page (through its file's VMAs). F3, R2. */
function isPageMapped(mapping: AddressSpace, page: HolePage): boolean {
  for (const vma of mapping.rmap.vmasOverlapping(page.index, page.index)) {
    const vaddr = vma.start + (page.index - vma.pgoff) * PAGE_SIZE;
    if (vma.mm.pageTable.ptePfn(vaddr) === page.pfn) return true;
  }
  return false;
}
