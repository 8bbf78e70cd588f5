/**
 * Entry locking (L1-L5): the wait-queue key, waiting for an unlocked entry, and the
 * lock/unlock/put pairs of fs/dax.c.
 *
 * Invariants: the lock bit of an entry is only set or cleared with `tree_lock` held; every
 * path that got an entry through `getUnlockedMappingEntry` either locks it or puts it (L5);
 * an unlock is followed by a wake-one with the entry's key (L4); all waits are exclusive.
 */
import type { K, WaitKey } from '../sim/types.js';
import type { AddressSpace } from './address-space.js';
import {
  type DaxEntry,
  describeEntry,
  entryBaseIndex,
  isDaxEntry,
  isEntryLocked,
  lockedEntry,
  type MappingItem,
  unlockedEntry,
} from './entry.js';
import type { DaxEnv } from './env.js';
import { MUTATION_SITES, type MutationSite } from './mutation-flags.js';
import { hex, traceModel, tracing } from './trace.js';

/** dax_entry_waitqueue's key: (mapping, index), index aligned down for a 2 MiB entry. L2. */
export function entryWaitKey(mapping: AddressSpace, index: number, entry: DaxEntry): WaitKey {
  return { mapping, index: entryBaseIndex(index, entry) };
}

/**
 * dax_wake_mapping_entry_waiter: wake one (or all) waiters keyed on the entry. L2, L4.
 * `site` names the call site for the synthetic `wake-one@` / `drop-wake@` mutations.
 */
export function wakeMappingEntryWaiter(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  entry: DaxEntry,
  wakeAll: boolean,
  site: MutationSite,
): void {
  if (env.mut.op('drop-wake', site)) return;
  const all = wakeAll && !env.mut.op('wake-one', site);
  const key = entryWaitKey(mapping, index, entry);
  // As the kernel: no wake-up call at all when nobody waits on the queue (waitqueue_active).
  if (!env.waitTable.active(key)) return;
  const woken = env.waitTable.wakeUp(key, all);
  if (tracing(env)) {
    traceModel(env, 'dax_wake_mapping_entry_waiter', all ? 'L2' : 'L4', {
      mapping: mapping.name,
      index: hex(key.index),
      all,
      woken,
    });
  }
}

/**
 * get_unlocked_mapping_entry: the item at `index` once it is not locked. L3.
 * Called with `tree_lock` held; returns with it held (it may have been dropped and retaken
 * while sleeping). Returns undefined when the slot is empty.
 */
export function* getUnlockedMappingEntry(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
): K<MappingItem | undefined> {
  for (;;) {
    const item = mapping.tree.lookup(index);
    if (!isDaxEntry(item) || !isEntryLocked(item)) return item;
    const key = entryWaitKey(mapping, index, item);
    if (tracing(env)) {
      traceModel(env, 'get_unlocked_mapping_entry:sleep', 'L3', {
        mapping: mapping.name,
        index: hex(index),
        key: hex(key.index),
        entry: describeEntry(item),
      });
    }
    const wait = env.waitTable.prepareToWaitExclusive(key);
    mapping.treeLock.unlock();
    yield* env.rt.schedule();
    env.waitTable.finishWait(wait);
    yield* mapping.treeLock.lockIrq();
  }
}

/**
 * lock_slot: set the lock bit of the entry covering `index`. Called with `tree_lock` held
 * on an unlocked entry just returned by getUnlockedMappingEntry. E3, L1.
 */
export function lockSlot(mapping: AddressSpace, index: number, entry: DaxEntry): DaxEntry {
  const locked = lockedEntry(entry);
  mapping.tree.replace(index, locked);
  return locked;
}

/**
 * put_unlocked_mapping_entry: pass on the exclusive wake-up we may have consumed. L5.
 * Called with or without `tree_lock`. Nothing to do for an empty slot or a hole page.
 */
export function putUnlockedMappingEntry(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  item: MappingItem | undefined,
  site: MutationSite,
): void {
  if (!isDaxEntry(item)) return;
  wakeMappingEntryWaiter(env, mapping, index, item, false, site);
}

/**
 * dax_unlock_mapping_entry: clear the lock bit under `tree_lock`, then wake one. L4.
 * Called without `tree_lock`.
 */
export function* daxUnlockMappingEntry(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  site: MutationSite = MUTATION_SITES.unlockWake,
): K<void> {
  yield* mapping.treeLock.lockIrq();
  const item = mapping.tree.lookup(index);
  if (!isDaxEntry(item) || !isEntryLocked(item)) {
    // WARN_ON_ONCE in the kernel: nothing locked here (a mutation broke the pairing).
    mapping.treeLock.unlock();
    if (tracing(env)) {
      traceModel(env, 'WARN:dax_unlock_mapping_entry', 'L4', {
        mapping: mapping.name,
        index: hex(index),
        entry: describeEntry(item),
      });
    }
    return;
  }
  const unlocked = unlockedEntry(item);
  mapping.tree.replace(index, unlocked);
  mapping.treeLock.unlock();
  wakeMappingEntryWaiter(env, mapping, index, unlocked, false, site);
}

/**
 * put_locked_mapping_entry: release what grabMappingEntry returned. L4.
 * A hole page is unlocked and its reference dropped; a DAX entry is unlocked.
 */
export function* putLockedMappingEntry(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  item: MappingItem,
  site: MutationSite = MUTATION_SITES.unlockWake,
): K<void> {
  if (isDaxEntry(item)) {
    if (!env.mut.op('drop-unlock', site)) yield* daxUnlockMappingEntry(env, mapping, index, site);
    return;
  }
  item.lock.unlock();
  item.refcount--;
}
