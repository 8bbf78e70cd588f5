/**
 * Reading model state in tests: the entries of a mapping's tree with their tags, page-table
 * slots, counters and the model trace events.
 *
 * Invariants: read-only; every function goes through the model's public accessors
 * (lookupEntry, entryKind, describeEntry, pmdKind, pte, hugePmd), never the bit layout.
 */
import type { AddressSpace } from '../../src/dax/address-space.js';
import {
  describeEntry,
  type EntryKind,
  entryKind,
  entrySector,
  isDaxEntry,
  isEntryLocked,
  isMappedEntry,
  type MappingItem,
} from '../../src/dax/entry.js';
import { MAX_INDEX, TAG_DIRTY, TAG_TOWRITE } from '../../src/lib/radix-tree.js';
import type { Process } from '../../src/mm/process.js';
import type { PmdKind, PtEntry } from '../../src/mm/pt-entry.js';
import type { Task } from '../../src/sim/task.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import type { World } from '../../src/workload/world.js';

/** One tree entry as a test sees it. */
export interface EntryView {
  readonly index: number;
  readonly kind: EntryKind;
  readonly locked: boolean;
  readonly sector: number | null;
  readonly dirty: boolean;
  readonly towrite: boolean;
}

function view(mapping: AddressSpace, index: number, item: MappingItem): EntryView {
  const dax = isDaxEntry(item);
  return {
    index,
    kind: entryKind(item),
    locked: dax ? isEntryLocked(item) : item.lock.holder !== null,
    sector: dax && isMappedEntry(item) ? entrySector(item) : null,
    dirty: mapping.tree.tagGet(index, TAG_DIRTY),
    towrite: mapping.tree.tagGet(index, TAG_TOWRITE),
  };
}

/** Every entry of the tree, in index order. */
export function entries(mapping: AddressSpace): EntryView[] {
  const out: EntryView[] = [];
  mapping.tree.forEach(0, MAX_INDEX, (index, _order, item) => {
    out.push(view(mapping, index, item));
  });
  return out;
}

/** The entry covering `index` (its view has the entry's base index), or undefined. */
export function entryAt(mapping: AddressSpace, index: number): EntryView | undefined {
  const found = mapping.tree.lookupEntry(index);
  return found === undefined ? undefined : view(mapping, found.index, found.item);
}

/** The kind of the entry covering `index`, or 'none'. */
export function kindAt(mapping: AddressSpace, index: number): EntryKind | 'none' {
  return entryAt(mapping, index)?.kind ?? 'none';
}

/** describeEntry of the item covering `index`. */
export function describeAt(mapping: AddressSpace, index: number): string {
  return describeEntry(mapping.tree.lookupEntry(index)?.item);
}

/** `0xINDEX:kind` per entry, compact for toEqual. */
export function treeSummary(mapping: AddressSpace): string[] {
  return entries(mapping).map((e) => `0x${e.index.toString(16)}:${e.kind}${e.locked ? ':locked' : ''}`);
}

/** What the page table of `proc` has at `vaddr`: the slot kind, the PTE and the huge PMD. */
export function ptAt(proc: Process, vaddr: number): { pmd: PmdKind; pte?: PtEntry; huge?: PtEntry } {
  const pt = proc.mm.pageTable;
  const pte = pt.pte(vaddr);
  const huge = pt.hugePmd(vaddr);
  return {
    pmd: pt.pmdKind(vaddr),
    ...(pte === undefined ? {} : { pte }),
    ...(huge === undefined ? {} : { huge }),
  };
}

/** Model trace events (`type: 'model'`), optionally only those named `name`. */
export function modelEvents(world: World, name?: string): Extract<TraceEvent, { type: 'model' }>[] {
  const out: Extract<TraceEvent, { type: 'model' }>[] = [];
  for (const e of world.rt.trace.events) {
    if (e.type === 'model' && (name === undefined || e.name === name)) out.push(e);
  }
  return out;
}

/** The lock a task sleeps on, as `name mode` (`i_mmaplock:data write`), or 'nothing'. */
export function lockWait(task: Task): string {
  const w = task.waitingOn;
  return w?.kind === 'lock' ? `${w.lock.name} ${w.mode}` : 'nothing';
}
