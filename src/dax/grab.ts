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
 * grab_mapping_entry. G1-G5, H1, H7. Called without `tree_lock`; for a 2 MiB grab `index` is
 * the page index of the PMD-aligned address (512-aligned unless the colours differ, M3).
 * Switches: review-fixes (its three parts), insert-race-recheck, downgrade-unmap-before-preload.
 */
export function* grabMappingEntry(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  size: EntrySize,
): K<GrabResult> {
  const sw = env.kernel.sw;
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
      const unmapFirst = sw['downgrade-unmap-before-preload'] === 'on';
      // G2: nobody may keep mapping the huge zero page over a range that goes 4 KiB.
      const unmap = locked !== undefined && isZeroEntry(locked);
      if (unmapFirst && unmap) yield* downgradeUnmap(mapping, index);
      // radix_tree_preload: the allocation happens before tree_lock is retaken (S4); on
      // success it returns with preemption disabled until radix_tree_preload_end.
      const preloaded = yield* env.rt.alloc('radix-preload');
      if (!preloaded) {
        if (locked !== undefined && sw['review-fixes/preload-fail-unlock'] === 'on') {
          yield* putLockedMappingEntry(env, mapping, index, locked, MUTATION_SITES.grabDowngradeUnlock);
        }
        return preloadFailed(env, mapping, index, locked);
      }
      env.rt.preemptDisable();
      // The seed unmapped here, inside the preload's atomic section (fixed by 0cb80b484755).
      if (!unmapFirst && unmap) yield* downgradeUnmap(mapping, index);
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

/** The downgrade's unmap of the 2 MiB range (G2). */
function downgradeUnmap(mapping: AddressSpace, index: number): K<number> {
  return unmapMappingRange(mapping, pgoffPmdAlignDown(index) * PAGE_SIZE, PMD_SIZE, false);
}

/** G2's case: a 2 MiB zero or empty entry that a 4 KiB grab must replace. */
function needsDowngrade(entry: DaxEntry): boolean {
  return isPmdEntry(entry) && (isZeroEntry(entry) || isEmptyEntry(entry));
}

/** G1: a 4 KiB user is in the way of a 2 MiB grab; pass on any wake-up we took (L5). Drops tree_lock. */
function eexistG1(env: DaxEnv, mapping: AddressSpace, index: number, entry: MappingItem): 'EEXIST' {
  if (env.kernel.sw['review-fixes/eexist-wake'] === 'on') {
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
 * With `tree_lock` retaken after the preload (preemption disabled): re-check (H7), finish a
 * downgrade (G2), insert a fresh locked empty entry (G3). Drops tree_lock and ends the preload.
 * RETRY means start the grab over.
 */
function insertFresh(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  size: EntrySize,
  locked: DaxEntry | undefined,
): GrabResult | 'RETRY' {
  const tree = mapping.tree;
  const sw = env.kernel.sw;
  const recheck = sw['insert-race-recheck'] === 'on';
  if (recheck && locked === undefined && !env.mut.op('skip-recheck', MUTATION_SITES.grabRecheck)) {
    // H7: someone may have inserted an entry while tree_lock was dropped.
    if (tree.lookup(index) !== undefined) {
      endPreload(env, mapping);
      return 'RETRY';
    }
  }
  if (locked !== undefined) {
    tree.delete(index);
    mapping.nrexceptional--;
    const wakeAll = sw['review-fixes/downgrade-wake-all'] === 'on';
    // G2: waiters on the 2 MiB key wait for an entry that no longer exists.
    wakeMappingEntryWaiter(env, mapping, index, locked, wakeAll, MUTATION_SITES.grabDowngradeWake);
  }
  const fresh = makeLockedEntry(0, size, 'empty');
  const slot = size === 'pmd' ? pgoffPmdAlignDown(index) : index;
  const err = tree.insert(slot, entryOrder(fresh), fresh);
  if (err !== null) {
    endPreload(env, mapping);
    // Nothing was inserted at `index` (it was empty), so nobody waits on it. Before the
    // re-check (e3ad61c64abc) a 4 KiB insert that lost a race started over; with it, an insert
    // error is returned for either size (a 2 MiB one: a 4 KiB entry sits in its range).
    if (size === 'pte' && !recheck) return 'RETRY';
    trace(env, mapping, index, 'G3', err, undefined);
    return err === 'EEXIST' ? 'EEXIST' : 'ENOMEM';
  }
  mapping.nrexceptional++;
  endPreload(env, mapping);
  trace(env, mapping, index, locked !== undefined ? 'G2' : 'G3', 'locked', fresh);
  return fresh;
}

/** spin_unlock_irq(tree_lock) then radix_tree_preload_end(). */
function endPreload(env: DaxEnv, mapping: AddressSpace): void {
  mapping.treeLock.unlock();
  env.rt.preemptEnable();
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
