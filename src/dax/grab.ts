/**
 * grab_mapping_entry (G1-G5): get a locked entry of a usable size for a fault.
 *
 * Policy, as the seed puts it: we always favour 4 KiB entries over 2 MiB ones. A 2 MiB
 * grab fails with EEXIST when any 4 KiB entry is in its range (the caller falls back); a
 * 4 KiB grab downgrades a 2 MiB zero or empty entry (unmapping the huge zero page). The
 * exception is a mapped 2 MiB entry: 4 KiB faults use (and dirty) it as it is.
 *
 * Invariants: on success the returned entry is locked (or the hole page's page lock is
 * held) and `tree_lock` is not held; on error nothing is locked and nobody who could have
 * been handed the entry is left asleep (L5, G2's wake-all).
 */
import type { Errno } from '../lib/errno.js';
import { PAGE_SIZE, PMD_SIZE, pgoffPmdAlignDown } from '../mm/units.js';
import { unmapMappingRange } from '../mm/unmap.js';
import type { K } from '../sim/types.js';
import type { AddressSpace } from './address-space.js';
import {
  type DaxEntry,
  describeEntry,
  type EntrySize,
  entryOrder,
  isDaxEntry,
  isEmptyEntry,
  isPmdEntry,
  isZeroEntry,
  type MappingItem,
  makeLockedEntry,
} from './entry.js';
import {
  getUnlockedMappingEntry,
  lockSlot,
  putLockedMappingEntry,
  putUnlockedMappingEntry,
  wakeMappingEntryWaiter,
} from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { hex, traceModel, tracing } from './trace.js';

/** What a grab returns: the locked item, or why it failed. */
export type GrabResult = MappingItem | Extract<Errno, 'EEXIST' | 'ENOMEM'>;

/** A grab failed (EEXIST or ENOMEM). */
export function isGrabError(r: GrabResult): r is 'EEXIST' | 'ENOMEM' {
  return typeof r === 'string';
}

/**
 * grab_mapping_entry. G1-G5, H1, H7. Called without `tree_lock`; `index` is the PMD-aligned
 * index for a 2 MiB grab.
 */
export function* grabMappingEntry(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  size: EntrySize,
): K<GrabResult> {
  for (;;) {
    yield* mapping.treeLock.lockIrq();
    let entry = yield* getUnlockedMappingEntry(env, mapping, index);
    let downgrade = false;
    if (entry !== undefined) {
      if (size === 'pmd') {
        if (!isDaxEntry(entry) || !isPmdEntry(entry)) return eexistG1(env, mapping, index, entry);
      } else if (isDaxEntry(entry) && needsDowngrade(entry)) {
        downgrade = true; // G2
      }
    }

    if (entry === undefined || downgrade) {
      let locked: DaxEntry | undefined;
      if (downgrade && isDaxEntry(entry)) {
        // Keep the 2 MiB entry valid while tree_lock is dropped.
        locked = lockSlot(mapping, index, entry);
        entry = locked;
      }
      mapping.treeLock.unlock();
      if (locked !== undefined && isZeroEntry(locked)) {
        // G2: nobody may keep mapping the huge zero page over a range that goes 4 KiB.
        yield* unmapMappingRange(mapping, pgoffPmdAlignDown(index) * PAGE_SIZE, PMD_SIZE, false);
      }
      // radix_tree_preload: the allocation happens before tree_lock is retaken (S4).
      const preloaded = yield* env.rt.alloc('radix-preload');
      if (!preloaded) {
        if (locked !== undefined && !env.mut.has('review-preload-no-unlock')) {
          yield* putLockedMappingEntry(env, mapping, index, locked, MUTATION_SITES.grabDowngradeUnlock);
        }
        return preloadFailed(env, mapping, index, locked);
      }
      yield* mapping.treeLock.lockIrq();
      const r = insertFresh(env, mapping, index, size, locked);
      if (r === 'RETRY') continue;
      return r;
    }

    if (!isDaxEntry(entry)) {
      // G4: a hole page; its page lock may sleep, so take a reference and drop tree_lock.
      const page = entry;
      page.refcount++;
      mapping.treeLock.unlock();
      yield* page.lock.lock();
      if (page.mapping !== mapping && !env.mut.op('skip-recheck', MUTATION_SITES.holePageRecheck)) {
        page.lock.unlock();
        page.refcount--;
        continue; // truncated meanwhile
      }
      trace(env, mapping, index, 'G4', 'locked', page);
      return page;
    }
    return lockExisting(env, mapping, index, entry);
  }
}

/** G2's case: a 2 MiB zero or empty entry that a 4 KiB grab must replace. */
function needsDowngrade(entry: DaxEntry): boolean {
  return isPmdEntry(entry) && (isZeroEntry(entry) || isEmptyEntry(entry));
}

/** G1: a 4 KiB user is in the way of a 2 MiB grab; pass on any wake-up we took (L5). Drops tree_lock. */
function eexistG1(env: DaxEnv, mapping: AddressSpace, index: number, entry: MappingItem): 'EEXIST' {
  if (!env.mut.has('review-eexist-no-wake')) {
    putUnlockedMappingEntry(env, mapping, index, entry, MUTATION_SITES.grabEexistPut);
  }
  mapping.treeLock.unlock();
  trace(env, mapping, index, 'G1', 'EEXIST', entry);
  return 'EEXIST';
}

/** G5: lock any other DAX entry as it is (a mapped 2 MiB one serves a 4 KiB fault too). Drops tree_lock. */
function lockExisting(env: DaxEnv, mapping: AddressSpace, index: number, entry: DaxEntry): DaxEntry {
  const locked = lockSlot(mapping, index, entry);
  mapping.treeLock.unlock();
  trace(env, mapping, index, 'G5', 'locked', locked);
  return locked;
}

function preloadFailed(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  locked: DaxEntry | undefined,
): 'ENOMEM' {
  trace(env, mapping, index, locked !== undefined ? 'G2' : 'G3', 'ENOMEM', locked);
  return 'ENOMEM';
}

/**
 * With `tree_lock` retaken after the preload: re-check (H7), finish a downgrade (G2), insert
 * a fresh locked empty entry (G3). Drops tree_lock. RETRY means start the grab over.
 */
function insertFresh(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  size: EntrySize,
  locked: DaxEntry | undefined,
): GrabResult | 'RETRY' {
  const tree = mapping.tree;
  if (locked === undefined && !env.mut.op('skip-recheck', MUTATION_SITES.grabRecheck)) {
    // H7: someone may have inserted an entry while tree_lock was dropped.
    if (tree.lookup(index) !== undefined) {
      mapping.treeLock.unlock();
      return 'RETRY';
    }
  }
  if (locked !== undefined) {
    tree.delete(index);
    mapping.nrexceptional--;
    const wakeAll = !env.mut.has('review-downgrade-wake-one');
    // G2: waiters on the 2 MiB key wait for an entry that no longer exists.
    wakeMappingEntryWaiter(env, mapping, index, locked, wakeAll, MUTATION_SITES.grabDowngradeWake);
  }
  const fresh = makeLockedEntry(0, size, 'empty');
  const slot = size === 'pmd' ? pgoffPmdAlignDown(index) : index;
  const err = tree.insert(slot, entryOrder(fresh), fresh);
  if (err !== null) {
    mapping.treeLock.unlock();
    // Nothing was inserted at `index` (it was empty), so nobody waits on it.
    if (size === 'pte') return 'RETRY'; // G3: raced with another 4 KiB insert.
    trace(env, mapping, index, 'G3', 'EEXIST', undefined);
    return 'EEXIST';
  }
  mapping.nrexceptional++;
  mapping.treeLock.unlock();
  trace(env, mapping, index, locked !== undefined ? 'G2' : 'G3', 'locked', fresh);
  return fresh;
}

function trace(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  rule: string,
  result: string,
  entry: MappingItem | undefined,
): void {
  if (!tracing(env)) return;
  traceModel(env, 'grab_mapping_entry', rule, {
    mapping: mapping.name,
    index: hex(index),
    result,
    entry: describeEntry(entry),
  });
}
