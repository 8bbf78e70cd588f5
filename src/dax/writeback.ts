/**
 * dax_writeback_mapping_range and dax_writeback_one (W1-W3): fsync/msync for DAX.
 *
 * Stores through mappings land in the device's volatile cache view (B2); writeback flushes
 * whole entries (4 KiB or 2 MiB, even when the range starts mid-PMD) to media.
 *
 * Invariants: an entry is flushed while locked, after TOWRITE is cleared under `tree_lock`
 * (a concurrent fsync then waits on the lock rather than returning early); under
 * `clean-dirty`, DIRTY is cleared only after every mapping of the entry's range was
 * write-protected and the flush finished, so a later store faults and re-dirties (W3, H6).
 */
import { MAX_INDEX, TAG_DIRTY, TAG_TOWRITE } from '../lib/radix-tree.js';
import { PAGE_SIZE } from '../mm/units.js';
import { wrprotectMappingRange } from '../mm/unmap.js';
import type { K } from '../sim/types.js';
import type { AddressSpace } from './address-space.js';
import {
  type DaxEntry,
  entryPages,
  entrySector,
  isDaxEntry,
  isEmptyEntry,
  isZeroEntry,
  type MappingItem,
} from './entry.js';
import {
  getUnlockedMappingEntry,
  lockSlot,
  putLockedMappingEntry,
  putUnlockedMappingEntry,
} from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { traceModel, tracing } from './trace.js';

/** Entries looked up per batch, as PAGEVEC_SIZE. */
const PAGEVEC_SIZE = 14;
/** Entries tagged per tree_lock hold, as WRITEBACK_TAG_BATCH. */
const TAG_BATCH = 4096;

/**
 * dax_writeback_mapping_range over file bytes [start, end]. W1, W2. Returns null or the
 * first errno (EIO for an empty or zero entry tagged for writeback).
 */
export function* daxWritebackMappingRange(
  env: DaxEnv,
  mapping: AddressSpace,
  start: number,
  end: number,
): K<'EIO' | null> {
  if (mapping.nrexceptional === 0) return null;
  const startIndex = Math.floor(start / PAGE_SIZE);
  const endIndex = Math.floor(end / PAGE_SIZE);
  if (tracing(env)) {
    traceModel(env, 'dax_writeback_range', 'W1', {
      ino: mapping.host.ino,
      start_index: startIndex,
      end_index: Math.min(endIndex, MAX_INDEX),
    });
  }
  // tag_pages_for_writeback, in batches with tree_lock dropped in between.
  for (;;) {
    yield* mapping.treeLock.lockIrq();
    const tagged = mapping.tree.tagRange(startIndex, endIndex, TAG_DIRTY, TAG_TOWRITE, TAG_BATCH);
    mapping.treeLock.unlock();
    if (tagged < TAG_BATCH) break;
  }
  let index = startIndex;
  for (;;) {
    const batch = mapping.tree.gangLookupTag(index, PAGEVEC_SIZE, TAG_TOWRITE);
    if (batch.length === 0) break;
    for (const e of batch) {
      if (e.index > endIndex) return null;
      const err = yield* daxWritebackOne(env, mapping, e.index, e.item);
      if (err !== null) return err;
    }
    index = batch[batch.length - 1]!.index + 1;
  }
  return null;
}

/** dax_writeback_one: flush one entry tagged TOWRITE. W2, W3. Called without `tree_lock`. */
export function* daxWritebackOne(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  seen: MappingItem,
): K<'EIO' | null> {
  if (!isDaxEntry(seen)) return 'EIO'; // a hole page tagged dirty: something is seriously wrong
  yield* mapping.treeLock.lockIrq();
  const now = yield* getUnlockedMappingEntry(env, mapping, index);
  const skip = (err: 'EIO' | null): 'EIO' | null => {
    putUnlockedMappingEntry(env, mapping, index, now, MUTATION_SITES.writebackPut);
    mapping.treeLock.unlock();
    return err;
  };
  // Punched out, reallocated elsewhere, or already written back by another fsync.
  if (!isDaxEntry(now) || entrySector(now) !== entrySector(seen)) return skip(null);
  if (isEmptyEntry(now) || isZeroEntry(now)) return skip('EIO');
  if (!mapping.tree.tagGet(index, TAG_TOWRITE)) return skip(null);
  const locked: DaxEntry = lockSlot(mapping, index, now);
  mapping.tree.tagClear(index, TAG_TOWRITE);
  mapping.treeLock.unlock();

  const bytes = entryPages(locked) * PAGE_SIZE;
  const sector = entrySector(locked);
  yield* env.rt.point('dax_direct_access');
  const range = env.dev.directAccess(sector, bytes);
  if (typeof range === 'string' || range.lengthBytes < bytes) {
    yield* putLockedMappingEntry(env, mapping, index, locked, MUTATION_SITES.writebackUnlock);
    return 'EIO';
  }
  const clean = env.writeback === 'clean-dirty';
  if (clean && !env.mut.has('dirty-clear-no-wrprotect')) {
    // dax_mapping_entry_mkclean over every mapping of the entry's range (H6).
    yield* wrprotectMappingRange(mapping, index * PAGE_SIZE, bytes, env.mut.has('wrprotect-first-page-only'));
  }
  const lines = env.dev.flush(env.dev.pfnToOffset(range.pfn), bytes);
  if (clean) {
    yield* mapping.treeLock.lockIrq();
    mapping.tree.tagClear(index, TAG_DIRTY);
    mapping.treeLock.unlock();
  }
  if (tracing(env)) {
    traceModel(env, 'dax_writeback_one', 'W2', {
      ino: mapping.host.ino,
      pgoff: index,
      pglen: bytes / PAGE_SIZE,
      lines,
    });
  }
  yield* putLockedMappingEntry(env, mapping, index, locked, MUTATION_SITES.writebackUnlock);
  return null;
}
