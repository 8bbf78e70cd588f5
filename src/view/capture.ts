/**
 * What the viewer shows of a World at one step, as the rows of view-data.ts: each file's
 * tree entries, each process's PMD slots and PTEs, who waits on what, who holds which lock,
 * each task's state and each process's mappings.
 *
 * Invariant: reading only; nothing here changes the World or its runtime (a recorded run
 * takes the same steps as an unrecorded one, S6).
 */
import type { AddressSpace } from '../dax/address-space.js';
import { entryKind, entrySector, isEntryLocked, isHolePage, type MappingItem } from '../dax/entry.js';
import { MAX_INDEX, TAG_DIRTY, TAG_TOWRITE } from '../lib/radix-tree.js';
import type { PageTable } from '../mm/page-table.js';
import { flagsKind, PT_WRITABLE } from '../mm/pt-entry.js';
import { HugePmd } from '../mm/pt-slot.js';
import { PTRS_PER_PTE } from '../mm/units.js';
import type { Task } from '../sim/task.js';
import { formatWaitKey } from '../sim/wait-table.js';
import type { World } from '../workload/world.js';
import {
  type BlockRow,
  type EntryRow,
  type HolderRow,
  type LockWaitRow,
  type PteRow,
  TAG_BITS,
  type VmaRow,
  type WaitRow,
} from './view-data.js';

function entryRow(index: number, order: number, item: MappingItem, tags: number): EntryRow {
  if (isHolePage(item)) return [index, order, 'hole-page', 0, item.pfn, tags];
  return [index, order, entryKind(item), isEntryLocked(item) ? 1 : 0, entrySector(item), tags];
}

/** The entries of a mapping's tree by first index, with their tag bits. */
export function treeRows(mapping: AddressSpace): Map<number, EntryRow> {
  const tree = mapping.tree;
  const tags = new Map<number, number>();
  tree.forEachTagged(0, MAX_INDEX, TAG_DIRTY, (i) => {
    tags.set(i, TAG_BITS.dirty);
  });
  tree.forEachTagged(0, MAX_INDEX, TAG_TOWRITE, (i) => {
    tags.set(i, (tags.get(i) ?? 0) | TAG_BITS.towrite);
  });
  const rows = new Map<number, EntryRow>();
  tree.forEach(0, MAX_INDEX, (index, order, item) => {
    rows.set(index, entryRow(index, order, item, tags.get(index) ?? 0));
  });
  return rows;
}

/** A page table's occupied PMD slots by block, and its present PTEs by page. */
export function pageTableRows(pt: PageTable): { blocks: Map<number, BlockRow>; ptes: Map<number, PteRow> } {
  const blocks = new Map<number, BlockRow>();
  const ptes = new Map<number, PteRow>();
  pt.forEachSlot((block, slot) => {
    if (slot instanceof HugePmd) {
      const w = (slot.flags & PT_WRITABLE) !== 0 ? 1 : 0;
      blocks.set(block, [block, 'huge', slot.pfn, w, flagsKind(slot.flags)]);
      return;
    }
    blocks.set(block, [block, 'table', slot.count]);
    if (slot.count === 0) return;
    const base = block * PTRS_PER_PTE;
    for (let i = 0; i < PTRS_PER_PTE; i++) {
      const f = slot.flags[i]!;
      if (f !== 0)
        ptes.set(base + i, [base + i, slot.pfns[i]!, (f & PT_WRITABLE) !== 0 ? 1 : 0, flagsKind(f)]);
    }
  });
  return { blocks, ptes };
}

/** A task's state as the viewer names it ('pending': waiting for its `after` tasks). */
export function taskState(t: Task): string {
  if (t.state === 'done') return 'done';
  if (t.blockedOn === 'sleep') return 'sleeping';
  if (t.blockedOn === 'spin') return 'spinning';
  return t.after.some((a) => a.state !== 'done') ? 'pending' : 'runnable';
}

/** Who is queued on the DAX wait table, in bucket then FIFO order. */
export function waitRows(world: World): WaitRow[] {
  return world.waitTable
    .allWaiters()
    .map((w) => [w.task.id, formatWaitKey(w.key), w.bucket, w.task.blockedOn === 'sleep' ? 1 : 0]);
}

/** Tasks blocked on a lock (or in a bare schedule()), by task id. */
export function lockWaitRows(tasks: readonly Task[]): LockWaitRow[] {
  const out: LockWaitRow[] = [];
  for (const t of tasks) {
    const w = t.waitingOn;
    const how = t.blockedOn === 'spin' ? 'spinning' : 'sleeping';
    if (w?.kind === 'lock') out.push([t.id, w.lock.name, w.mode, how]);
    else if (w?.kind === 'schedule' && t.blockedOn !== null) out.push([t.id, 'schedule()', '', how]);
  }
  return out;
}

/** Every lock held, by name, with its holders in task id order. */
export function holderRows(tasks: readonly Task[]): HolderRow[] {
  const byName = new Map<string, HolderRow>();
  for (const t of tasks) {
    for (const l of t.held) {
      const row = byName.get(l.name);
      if (row === undefined) byName.set(l.name, [l.name, l.kind, [t.id]]);
      else if (!row[2].includes(t.id)) row[2].push(t.id);
    }
  }
  return [...byName.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Each process's mappings, in address order. */
export function vmaRows(world: World): VmaRow[][] {
  return [...world.processes.values()].map((p) =>
    p.mm.vmas.map((v) => [v.name, v.file.name, v.start, v.end, v.pgoff, v.shared ? 1 : 0]),
  );
}
