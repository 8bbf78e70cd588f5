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
import { PAGE_SIZE, PMD_SIZE } from '../mm/units.js';
import { unmapMappingRange } from '../mm/unmap.js';
import type { K } from '../sim/index.js';
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

/** The fault being served, as far as installing an entry cares. */
export interface InsertFault {
  /** vmf->pgoff: the faulting index (the PMD-aligned one for a 2 MiB fault). */
  readonly pgoff: number;
  readonly write: boolean;
}

/**
 * dax_insert_mapping_entry. I1-I5. Called with the entry locked and without `tree_lock`.
 * Returns the new locked entry, or ENOMEM when replacing a hole page could not preload.
 */
export function daxInsertMappingEntry(
  env: DaxEnv,
  mapping: AddressSpace,
  fault: InsertFault,
  entry: MappingItem,
  sector: number,
  size: EntrySize,
  kind: NewEntryKind,
): K<DaxEntry | 'ENOMEM'> {
  if (fault.write) mapping.inodeDirty = true; // I1: __mark_inode_dirty(I_DIRTY_PAGES)
  const unmapFirst = !isDaxEntry(entry) || (isZeroEntry(entry) && kind !== 'zero');
  if (unmapFirst) return insertAfterUnmap(env, mapping, fault, entry, sector, size, kind);
  return mapping.treeLock.lockedIrq(() =>
    insertLocked(env, mapping, fault, entry, makeLockedEntry(sector, size, kind)),
  );
}

/** I2/I3: unmap what the old entry mapped (and preload for a hole page), then insert. */
function* insertAfterUnmap(
  env: DaxEnv,
  mapping: AddressSpace,
  fault: InsertFault,
  entry: MappingItem,
  sector: number,
  size: EntrySize,
  kind: NewEntryKind,
): K<DaxEntry | 'ENOMEM'> {
  const index = fault.pgoff;
  if (!isDaxEntry(entry)) {
    // I2: the hole page is locked, so it cannot be faulted in again once unmapped.
    yield* unmapMappingRange(mapping, index * PAGE_SIZE, PAGE_SIZE, false);
    if (!(yield* env.rt.alloc('radix-preload'))) return 'ENOMEM';
  } else {
    // I3: replacing the huge zero page with blocks: nobody may keep reading zeros.
    const start = (index - (index % 512)) * PAGE_SIZE;
    yield* unmapMappingRange(mapping, start, PMD_SIZE, false);
  }
  yield* mapping.treeLock.lockIrq();
  return insertLocked(env, mapping, fault, entry, makeLockedEntry(sector, size, kind));
}

/** The insert itself, with `tree_lock` held (dropped before returning). I2, I4, I5. */
function insertLocked(
  env: DaxEnv,
  mapping: AddressSpace,
  fault: InsertFault,
  entry: MappingItem,
  fresh: DaxEntry,
): DaxEntry {
  const index = fault.pgoff;
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
  if (fault.write && tree.lookup(index) !== undefined) tree.tagSet(index, TAG_DIRTY);
  mapping.treeLock.unlock();
  if (holeFill) releaseHolePage(env, entry);
  if (tracing(env)) {
    traceModel(env, 'dax_insert_mapping_entry', holeFill ? 'I2' : 'I4', {
      mapping: mapping.name,
      index: hex(index),
      old: describeEntry(entry),
      new: describeEntry(result),
      write: fault.write,
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
