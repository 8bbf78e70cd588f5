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
import { KernelOops } from '../sim/oops.js';
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
    env.rt.preemptDisable();
  } else if (isZeroEntry(entry) && kind !== 'zero') {
    // I3: replacing the huge zero page with blocks: nobody may keep reading zeros.
    yield* unmapMappingRange(mapping, pgoffPmdAlignDown(index) * PAGE_SIZE, PMD_SIZE, false);
  }
  yield* mapping.treeLock.lockIrq();
  return insertLocked(env, mapping, index, write, entry, makeLockedEntry(sector, size, kind));
}

/**
 * The insert itself, with `tree_lock` held (dropped before returning). I2, I4, I5. `index` is
 * vmf->pgoff: for a 2 MiB fault under pmd-insert-index=faulting it may lie in another 2 MiB
 * block than the entry the fault grabbed, and then this writes where the kernel wrote.
 */
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
    if (cur !== entry) warn(env, mapping, index, entry, cur); // WARN_ON_ONCE(ret != entry)
    replaceSlot(mapping, index, cur, fresh);
  } else {
    result = entry;
  }
  // I5: a write dirties the entry now covering the index (a 2 MiB one for a 4 KiB fault).
  if (write) {
    if (tree.lookup(index) === undefined)
      throw new KernelOops(
        'radix_tree_tag_set',
        `BUG_ON: no entry at index ${hex(index)} of ${mapping.name}`,
      );
    tree.tagSet(index, TAG_DIRTY);
  }
  mapping.treeLock.unlock();
  if (holeFill) {
    env.rt.preemptEnable(); // radix_tree_preload_end
    releaseHolePage(env, entry);
  }
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

/**
 * __radix_tree_replace through the slot __radix_tree_lookup(index) found: the entry covering
 * `index`, or, when there is none, the empty slot where the walk stopped, which covers as many
 * indices as its node's level (64 or 4096, not 512) and is not counted in nrexceptional. Past
 * the end of the tree the kernel's walk never set the slot: an oops. I4.
 */
function replaceSlot(
  mapping: AddressSpace,
  index: number,
  cur: MappingItem | undefined,
  fresh: DaxEntry,
): void {
  const tree = mapping.tree;
  if (cur !== undefined) {
    tree.replace(index, fresh);
    return;
  }
  const order = tree.slotOrder(index);
  if (order < 0) throw new KernelOops('dax_insert_mapping_entry', `slot of index ${hex(index)} never set`);
  const err = tree.insert(index - (index % 2 ** order), order, fresh);
  if (err !== null) throw new Error(`empty slot of ${hex(index)} at order ${order} is not empty: ${err}`);
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
