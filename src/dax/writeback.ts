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
  describeEntry,
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
  const advance = env.kernel.sw['writeback-index-advance'] === 'on';
  let err: 'EIO' | null = null;
  let done = false;
  while (!done) {
    const batch = mapping.tree.gangLookupTag(index, PAGEVEC_SIZE, TAG_TOWRITE);
    if (batch.length === 0) break;
    for (const e of batch) {
      done = e.index > endIndex;
      if (done) break;
      err = yield* daxWritebackOne(env, mapping, e.index, e.item);
      if (err !== null) break;
    }
    if (err !== null) break;
    // Before 1eb643d02b21 every batch was looked up again from the start of the range.
    if (advance) index = batch[batch.length - 1]!.index + 1;
  }
  // out: prints the start of the next batch (the requested start if none was found).
  if (tracing(env))
    traceModel(env, 'dax_writeback_range_done', 'W1', {
      ino: mapping.host.ino,
      start_index: index,
      end_index: Math.min(endIndex, MAX_INDEX),
    });
  return err;
}

/**
 * dax_writeback_one: flush one entry tagged TOWRITE. W2, W3. Called without `tree_lock`.
 * Switches: writeback-protocol, dirty-clear, and mkclean's two (in dax_mapping_entry_mkclean).
 */
export function* daxWritebackOne(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  seen: MappingItem,
): K<'EIO' | null> {
  if (!isDaxEntry(seen)) return 'EIO'; // a hole page tagged dirty: something is seriously wrong
  if (env.kernel.sw['writeback-protocol'] === 'unlocked')
    return yield* writebackUnlocked(env, mapping, index, seen);
  yield* mapping.treeLock.lockIrq();
  const now = yield* getUnlockedMappingEntry(env, mapping, index);
  const skip = (err: 'EIO' | null): 'EIO' | null => {
    putUnlockedMappingEntry(env, mapping, index, now, MUTATION_SITES.writebackPut);
    mapping.treeLock.unlock();
    return err;
  };
  // Punched out, reallocated elsewhere (TOWRITE stays set), or already written back.
  if (!isDaxEntry(now) || entrySector(now) !== entrySector(seen)) return skip(null);
  if (isEmptyEntry(seen) || isZeroEntry(seen)) return skip('EIO');
  if (!mapping.tree.tagGet(index, TAG_TOWRITE)) return skip(null);
  const locked: DaxEntry = lockSlot(mapping, index, now);
  mapping.tree.tagClear(index, TAG_TOWRITE);
  mapping.treeLock.unlock();

  const bytes = entryPages(locked) * PAGE_SIZE;
  yield* env.rt.point('dax_direct_access');
  const range = env.dev.directAccess(entrySector(locked), bytes);
  if (typeof range === 'string' || range.lengthBytes < bytes) {
    yield* putLockedMappingEntry(env, mapping, index, locked, MUTATION_SITES.writebackUnlock);
    return 'EIO';
  }
  const clean = env.kernel.sw['dirty-clear'] === 'clean';
  if (clean && !env.mut.has('dirty-clear-no-wrprotect')) {
    yield* daxMappingEntryMkclean(env, mapping, index, entryPages(locked), range.pfn);
  }
  const lines = env.dev.flush(env.dev.pfnToOffset(range.pfn), bytes);
  if (clean) {
    yield* mapping.treeLock.lockIrq();
    mapping.tree.tagClear(index, TAG_DIRTY);
    mapping.treeLock.unlock();
  }
  traceWritebackOne(env, mapping, index, bytes, lines);
  yield* putLockedMappingEntry(env, mapping, index, locked, MUTATION_SITES.writebackUnlock);
  return null;
}

/**
 * The seed's dax_writeback_one, before a6abc2c0e77b: no entry lock. An entry whose slot no
 * longer holds exactly the value found (a fault locked it, say) is skipped with TOWRITE left
 * set; TOWRITE is cleared after the flush; DIRTY is never cleared (W3 keep-dirty).
 */
function* writebackUnlocked(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  seen: DaxEntry,
): K<'EIO' | null> {
  yield* mapping.treeLock.lockIrq();
  const tree = mapping.tree;
  const now = tree.lookup(index);
  if (now !== seen || !tree.tagGet(index, TAG_TOWRITE)) {
    mapping.treeLock.unlock();
    // Shown because it is silent in the kernel: TOWRITE stays set, and only a later lookup
    // that starts at or before `index` flushes the entry (F-8).
    if (now !== seen && tracing(env)) {
      traceModel(env, 'dax_writeback_one_skip', 'W2', {
        ino: mapping.host.ino,
        pgoff: index,
        seen: describeEntry(seen),
        now: describeEntry(now),
      });
    }
    return null;
  }
  if (isEmptyEntry(seen)) {
    mapping.treeLock.unlock();
    return 'EIO';
  }
  const bytes = entryPages(seen) * PAGE_SIZE;
  mapping.treeLock.unlock();
  yield* env.rt.point('dax_direct_access');
  const range = env.dev.directAccess(entrySector(seen), bytes);
  if (typeof range === 'string' || range.lengthBytes < bytes) return 'EIO';
  const lines = env.dev.flush(env.dev.pfnToOffset(range.pfn), bytes);
  yield* mapping.treeLock.lockIrq();
  tree.tagClear(index, TAG_TOWRITE);
  mapping.treeLock.unlock();
  traceWritebackOne(env, mapping, index, bytes, lines);
  return null;
}

/**
 * dax_mapping_entry_mkclean (W3, H6): write-protect the mappings of an entry before its flush,
 * so the next store faults and re-dirties it. mkclean-range=first: only shared VMAs that map the
 * entry's first index, only the PTE or huge PMD at that index's address, and only if it maps
 * the entry's pfn; whole (06083a0921fd): every mapping of the range. A huge PMD is protected
 * only under pmd-wrprotect-in-mkclean (f729c8c9b24f).
 */
function* daxMappingEntryMkclean(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  pages: number,
  pfn: number,
): K<number> {
  const sw = env.kernel.sw;
  const whole = sw['mkclean-range'] === 'whole';
  return yield* wrprotectMappingRange(mapping, index, whole ? pages : 1, {
    pfn: whole ? null : pfn,
    hugePmds: sw['pmd-wrprotect-in-mkclean'] === 'on',
  });
}

function traceWritebackOne(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  bytes: number,
  lines: number,
): void {
  if (!tracing(env)) return;
  traceModel(env, 'dax_writeback_one', 'W2', {
    ino: mapping.host.ino,
    pgoff: index,
    pglen: bytes / PAGE_SIZE,
    lines,
  });
}
