/**
 * dax_insert_mapping_entry (I1-I5): put the entry a fault has decided on into the tree.
 *
 * By the time this runs grabMappingEntry has given us a locked entry of the right size, so
 * no downgrade happens here. A 4 KiB fault that met a mapped 2 MiB entry leaves it in the
 * tree and only dirties it (I4): locking, dirtying and flushing then happen per 2 MiB for
 * every user of the range.
 *
 * Invariants: the returned entry is locked; the tree keeps one entry per range (E2); the
 * entry count moves only when a hole page is replaced (I2).
 */
import { TAG_DIRTY } from '../lib/radix-tree.js';
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
  isZeroEntry,
  type MappingItem,
  makeLockedEntry,
  type NewEntryKind,
} from './entry.js';
import type { DaxEnv } from './env.js';
import { releaseHolePage } from './hole.js';
import { hex, traceModel, tracing } from './trace.js';

/**
 * dax_insert_mapping_entry. I1-I5. Called with the entry locked and without `tree_lock`;
 * `index` is where the entry goes (vmf->pgoff, or the PMD handler's aligned index).
 * Returns the new locked entry, or ENOMEM when replacing a hole page could not preload.
 */
export function* daxInsertMappingEntry(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  write: boolean,
  entry: MappingItem,
  sector: number,
  size: EntrySize,
  kind: NewEntryKind,
): K<DaxEntry | 'ENOMEM'> {
  if (write) mapping.inodeDirty = true; // I1: __mark_inode_dirty(I_DIRTY_PAGES)
  if (!isDaxEntry(entry)) {
    // I2: the hole page is locked, so it cannot be faulted in again once unmapped.
    yield* unmapMappingRange(mapping, index * PAGE_SIZE, PAGE_SIZE, false);
    if (!(yield* env.rt.alloc('radix-preload'))) return 'ENOMEM';
  } else if (isZeroEntry(entry) && kind !== 'zero') {
    // I3: replacing the huge zero page with blocks: nobody may keep reading zeros.
    yield* unmapMappingRange(mapping, pgoffPmdAlignDown(index) * PAGE_SIZE, PMD_SIZE, false);
  }
  yield* mapping.treeLock.lockIrq();
  return insertLocked(env, mapping, index, write, entry, makeLockedEntry(sector, size, kind));
}

/** The insert itself, with `tree_lock` held (dropped before returning). I2, I4, I5. */
function insertLocked(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  write: boolean,
  entry: MappingItem,
  fresh: DaxEntry,
): DaxEntry {
  const tree = mapping.tree;
  const holeFill = !isDaxEntry(entry);
  let result: DaxEntry = fresh;
  if (holeFill) {
    tree.delete(index);
    mapping.nrpages--;
    entry.mapping = null;
    entry.refcount--; // the page cache's reference
    const err = tree.insert(index, entryOrder(fresh), fresh);
    if (err !== null) throw new Error(`hole page slot ${hex(index)} refilled under tree_lock: ${err}`);
    mapping.nrexceptional++;
  } else if (isZeroEntry(entry) || isEmptyEntry(entry)) {
    // I4: swap in place only over a zero or empty entry; a mapped entry stays as it is.
    const cur = tree.lookup(index);
    if (cur !== entry) {
      // WARN_ON_ONCE(ret != entry): only reachable when a mutation split lock and install.
      warn(env, mapping, index, entry, cur);
      result = entry;
    } else {
      tree.replace(index, fresh);
    }
  } else {
    result = entry;
  }
  // I5: a write dirties the entry now covering the index (a 2 MiB one for a 4 KiB fault).
  if (write && tree.lookup(index) !== undefined) tree.tagSet(index, TAG_DIRTY);
  mapping.treeLock.unlock();
  if (holeFill) releaseHolePage(env, entry);
  if (tracing(env)) {
    traceModel(env, 'dax_insert_mapping_entry', holeFill ? 'I2' : 'I4', {
      mapping: mapping.name,
      index: hex(index),
      old: describeEntry(entry),
      new: describeEntry(result),
      write,
    });
  }
  return result;
}

function warn(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  expected: MappingItem,
  found: MappingItem | undefined,
): void {
  if (!tracing(env)) return;
  traceModel(env, 'WARN:dax_insert_mapping_entry', 'I4', {
    mapping: mapping.name,
    index: hex(index),
    expected: describeEntry(expected),
    found: describeEntry(found),
  });
}
