/**
 * The multi-order radix tree that holds a mapping's page-cache / DAX entries (Linux
 * lib/radix-tree.c of the 4.10 era, rewritten). Spec: E1, E2 (a 2 MiB entry is one order-9
 * entry that every index in its range finds), E4 (DIRTY / TOWRITE tags), W1 (tag_range).
 *
 * Invariants (all verified by `check()`, see radix-tree-check.ts):
 * - Empty tree: no root, height 0. Otherwise the root is a node at index 0, `height` is
 *   root.shift / 6 + 1, and the root cannot be shrunk (it is not a lone child in slot 0).
 * - An entry of order o lives at the node level with shift o - o % 6, in 2^(o % 6) slots: its
 *   canonical slot plus siblings in the same node. Entries never overlap.
 * - Every node has count = non-empty slots > 0: empty nodes are freed at once.
 * - Tag bits sit on canonical item slots only, and a parent's bit is the OR of its child's.
 * Deviation from the kernel: a lone entry at index 0 still gets a node (the kernel keeps it in
 * the root pointer), so height is 1 there, not 0. Callers hold the mapping's tree_lock (L1)
 * for every operation (the preload before taking it is the runtime's allocation point, S4).
 */
import type { Errno } from './errno.js';
import { checkIndex, checkInsert, checkItem, checkLast, checkMax, checkTag } from './radix-tree-args.js';
import { checkTree } from './radix-tree-check.js';
import { extendRoot, shrinkRoot } from './radix-tree-height.js';
import {
  childAt,
  entryOrder,
  entrySlots,
  INDEX_LIMIT,
  MAP_SHIFT,
  MAP_SIZE,
  NONE,
  NodeStore,
  nodeLast,
  offsetAt,
  refOf,
  SCALE,
  SIBLINGS,
  Sibling,
  shiftCovering,
  TAG_COUNT,
} from './radix-tree-node.js';
import { ANY, scanEntries } from './radix-tree-scan.js';
import { anyTag, anyTagAtAll, tagBit, tagUp, untagUp } from './radix-tree-tags.js';
import type { EntryVisitor, RadixEntry, Tag } from './radix-tree-types.js';
import { slotOfLow, slotOfSmall, slotOfWide } from './radix-tree-walk.js';

/** The shared store of every tree that has never held an entry; never allocated from. */
const EMPTY_STORE = new NodeStore(0);

export {
  type EntryVisitor,
  MAX_INDEX,
  type RadixEntry,
  TAG_DIRTY,
  TAG_SPARE,
  TAG_TOWRITE,
  type Tag,
} from './radix-tree-types.js';

/** A multi-order radix tree with three tags (struct radix_tree_root). E2, E4. */
export class RadixTree<T> {
  /** EMPTY_STORE until the first insert: most trees of a model world stay empty, for free. */
  private store = EMPTY_STORE;
  private root = NONE;
  /** One past the last index the root covers (0 when empty): the cheap bound of every walk. */
  private limit = 0;
  /** The root's shift (0 when empty) and walk reference (refOf), cached for the lookup walk. */
  private rootShift = 0;
  private rootRef = NONE;
  private entries = 0;
  /** Bumped by every structural change, so an iterator can detect insert/delete in a callback. */
  private version = 0;
  /** Bumped by every change (items, tags, structure): lets checkers skip an unchanged tree. */
  private changes = 0;
  /** Bumped by every change but `replace`, which leaves a well-formed tree well formed. */
  private structureChanges = 0;

  /** Number of entries (a multi-order entry counts once). E4's nrexceptional is derived from it. */
  get size(): number {
    return this.entries;
  }

  /** Number of nodes (struct radix_tree_node) currently allocated, leaves included. */
  get nodes(): number {
    return this.store.live;
  }

  /** Levels of nodes: 0 when empty, else root shift / 6 + 1. */
  get height(): number {
    return this.root === NONE ? 0 : this.store.shift[this.root]! / MAP_SHIFT + 1;
  }

  /**
   * __radix_tree_insert: store `item` over [index, index + 2^order), `index` aligned to 2^order.
   * Returns EEXIST, changing nothing, when any index of the range is already covered. E2.
   * Caller holds tree_lock.
   */
  insert(index: number, order: number, item: T): Errno | null {
    checkInsert(index, order, item);
    this.reshaped(); // even an EEXIST may have grown the tree
    const shift = order - (order % MAP_SHIFT);
    const last = index + SCALE[order]! - 1;
    if (this.store === EMPTY_STORE) this.store = new NodeStore();
    const s = this.store;
    if (this.root === NONE) {
      this.setRoot(s.alloc(NONE, 0, Math.max(shift, shiftCovering(last)), 0));
    } else if (last >= this.limit || shift > s.shift[this.root]!) {
      // Growing is needed: the range either lies wholly beyond the tree or contains all of it.
      if (index < this.limit) return 'EEXIST';
      this.setRoot(extendRoot(s, this.root, Math.max(shift, shiftCovering(last))));
    }
    let id = this.root;
    let sh = s.shift[id]!;
    while (sh > shift) {
      const off = offsetAt(index, sh);
      const child = childAt(s, id, off);
      if (child !== NONE) {
        id = child;
      } else {
        if (s.items[id * MAP_SIZE + off] !== undefined) return 'EEXIST';
        // Nothing below an empty slot: from here on every node is new, so no EEXIST can follow.
        const fresh = s.alloc(id, off, sh - MAP_SHIFT, s.base[id]! + off * SCALE[sh]!);
        s.attach(id, off, fresh);
        s.count[id]!++;
        id = fresh;
      }
      sh -= MAP_SHIFT;
    }
    // Attaching may have given the root its first child, and so a links row.
    this.rootRef = refOf(s, this.root);
    const off = offsetAt(index, sh);
    const p = id * MAP_SIZE + off;
    const n = 1 << (order - shift);
    const items = s.items;
    for (let k = 0; k < n; k++) {
      if (items[p + k] !== undefined || (sh > 0 && childAt(s, id, off + k) !== NONE)) return 'EEXIST';
    }
    items[p] = item;
    const sib = SIBLINGS[off];
    for (let i = p + 1; i < p + n; i++) items[i] = sib;
    s.count[id]! += n;
    this.entries++;
    this.version++;
    return null;
  }

  /** radix_tree_lookup: the item of the entry covering `index`, if any. E2. Caller holds tree_lock. */
  lookup(index: number): T | undefined {
    // An integer in [0, 2^32) passes the first comparison; anything else gets the full check.
    // A root shift above 30 (indices beyond 2^36 present) needs the guarded walk.
    if (index >>> 0 !== index || this.rootShift > 30) return this.lookupSlow(index);
    if (index >= this.limit) return undefined;
    const s = this.store;
    const p = slotOfLow(s, this.rootRef, this.rootShift, index);
    const items = s.items;
    const item = items[p];
    return (item instanceof Sibling ? items[(p & ~(MAP_SIZE - 1)) | item.offset] : item) as T | undefined;
  }

  /** __radix_tree_lookup: the entry covering `index` with its aligned index and order. E2. */
  lookupEntry(index: number): RadixEntry<T> | undefined {
    checkIndex(index, 'index');
    const at = this.locate(index);
    if (at < 0) return undefined;
    const s = this.store;
    const id = at >>> MAP_SHIFT;
    const off = at & (MAP_SIZE - 1);
    return {
      index: s.base[id]! + off * SCALE[s.shift[id]!]!,
      order: entryOrder(s, id, off),
      item: s.items[id * MAP_SIZE + off] as T,
    };
  }

  /** The order (node shift) of the slot where the walk for `index` stops; -1 beyond the tree. */
  slotOrder(index: number): number {
    checkIndex(index, 'index');
    const at = this.locate(index, true);
    return at < 0 ? -1 : this.store.shift[at >>> MAP_SHIFT]!;
  }

  /**
   * radix_tree_replace_slot: swap the item of the entry covering `index`, keeping its order
   * and tags. Throws if no entry covers `index`. Caller holds tree_lock.
   */
  replace(index: number, item: T): void {
    checkIndex(index, 'index');
    checkItem(item);
    const at = this.locate(index);
    if (at < 0) throw new Error(`radix tree: replace at index ${index}: no entry covers it`);
    this.store.items[at] = item;
    this.changes++;
  }

  /**
   * radix_tree_delete: remove the whole entry covering `index` (all its slots and tags), free
   * nodes left empty and shrink the height. Returns the removed item. Caller holds tree_lock.
   */
  delete(index: number): T | undefined {
    if (index >>> 0 !== index) checkIndex(index, 'index');
    const p = this.locate(index);
    if (p < 0) return undefined;
    const s = this.store;
    let id = p >>> MAP_SHIFT;
    const off = p & (MAP_SIZE - 1);
    const item = s.items[p] as T;
    const n = entrySlots(s, id, off);
    for (let i = p; i < p + n; i++) s.items[i] = undefined;
    s.count[id]! -= n;
    if (anyTagAtAll(s, id)) for (let tag = 0; tag < TAG_COUNT; tag++) untagUp(s, id, off, tag);
    this.entries--;
    this.version++;
    this.reshaped();
    // delete_node: free every node the removal emptied, bottom-up (their tags are clear by now).
    while (s.count[id] === 0) {
      const parent = s.parent[id]!;
      const slot = s.offset[id]!;
      s.release(id);
      if (parent === NONE) {
        this.setRoot(NONE);
        return item;
      }
      s.detach(parent, slot);
      s.count[parent]!--;
      id = parent;
    }
    if (s.count[this.root] === 1) this.setRoot(shrinkRoot(s, this.root));
    this.rootRef = refOf(s, this.root);
    return item;
  }

  /** A counter bumped by every change to items, tags or structure (equal counts: unchanged tree). */
  get generation(): number {
    return this.changes;
  }

  /** Like generation, but `replace` (one item for another) leaves it: a tree that passed check() still does. */
  get structureGeneration(): number {
    return this.structureChanges;
  }

  private reshaped(): void {
    this.changes++;
    this.structureChanges++;
  }

  /** Remove every entry and node. */
  clear(): void {
    this.store = EMPTY_STORE;
    this.setRoot(NONE);
    this.entries = 0;
    this.version++;
    this.reshaped();
  }

  /** radix_tree_tag_set on the entry covering `index`. Throws if none covers it. E4. */
  tagSet(index: number, tag: Tag): void {
    checkIndex(index, 'index');
    checkTag(tag);
    const at = this.locate(index);
    if (at < 0) throw new Error(`radix tree: tagSet(${index}, ${tag}): no entry covers the index`);
    tagUp(this.store, at >>> MAP_SHIFT, at & (MAP_SIZE - 1), tag);
    this.reshaped();
  }

  /** radix_tree_tag_clear on the entry covering `index`; no entry: nothing happens. E4. */
  tagClear(index: number, tag: Tag): void {
    checkIndex(index, 'index');
    checkTag(tag);
    const at = this.locate(index);
    if (at >= 0) untagUp(this.store, at >>> MAP_SHIFT, at & (MAP_SIZE - 1), tag);
    this.reshaped();
  }

  /** radix_tree_tag_get on the entry covering `index`; false when none covers it. E4. */
  tagGet(index: number, tag: Tag): boolean {
    checkIndex(index, 'index');
    checkTag(tag);
    const at = this.locate(index);
    return at >= 0 && tagBit(this.store, at >>> MAP_SHIFT, tag, at & (MAP_SIZE - 1));
  }

  /** radix_tree_tagged: whether any entry carries `tag`. E4, W1. */
  tagged(tag: Tag): boolean {
    checkTag(tag);
    return this.root !== NONE && anyTag(this.store, this.root, tag);
  }

  /**
   * radix_tree_range_tag_if_tagged (tag_pages_for_writeback): set `toTag` on up to `max`
   * entries overlapping [first, last] that carry `fromTag`; returns how many. W1.
   */
  tagRange(first: number, last: number, fromTag: Tag, toTag: Tag, max = Number.POSITIVE_INFINITY): number {
    checkIndex(first, 'first');
    checkLast(last);
    checkTag(fromTag);
    checkTag(toTag);
    checkMax(max);
    let done = 0;
    if (max === 0) return 0;
    this.reshaped();
    scanEntries(this.store, this.root, first, last, fromTag, (id, off) => {
      tagUp(this.store, id, off, toTag);
      return ++done < max;
    });
    return done;
  }

  /** radix_tree_gang_lookup: up to `max` entries from the one covering or following `first`. E2. */
  gangLookup(first: number, max: number): RadixEntry<T>[] {
    return this.gang(first, max, ANY);
  }

  /** radix_tree_gang_lookup_tag: like gangLookup, only entries carrying `tag`. W1. */
  gangLookupTag(first: number, max: number, tag: Tag): RadixEntry<T>[] {
    checkTag(tag);
    return this.gang(first, max, tag);
  }

  /**
   * radix_tree_for_each_slot: call `fn(index, order, item)` for each entry overlapping
   * [first, last] in index order, without allocating; `fn` returning false stops. `fn` may
   * replace items and change tags, but must not insert or delete (that throws).
   */
  forEach(first: number, last: number, fn: EntryVisitor<T>): void {
    checkIndex(first, 'first');
    checkLast(last);
    this.walk(first, last, ANY, fn);
  }

  /** radix_tree_for_each_tagged: forEach restricted to entries carrying `tag`. W1. */
  forEachTagged(first: number, last: number, tag: Tag, fn: EntryVisitor<T>): void {
    checkIndex(first, 'first');
    checkLast(last);
    checkTag(tag);
    this.walk(first, last, tag, fn);
  }

  /**
   * Verify every structural invariant; throws an Error naming node, offset and expectation. V3.
   * `visit`, if given, is called as `forEach(0, MAX_INDEX, visit)` would (its result ignored),
   * in the same pass; when the check throws, only the entries before the fault were visited.
   */
  check(visit?: EntryVisitor<T>): void {
    checkTree(this.store, this.root, this.entries, [this.limit, this.rootShift, this.rootRef], visit);
  }

  private gang(first: number, max: number, tag: number): RadixEntry<T>[] {
    checkIndex(first, 'first');
    checkMax(max);
    const out: RadixEntry<T>[] = [];
    if (max === 0) return out;
    const s = this.store;
    scanEntries(s, this.root, first, INDEX_LIMIT, tag, (id, off, index) => {
      out.push({ index, order: entryOrder(s, id, off), item: s.items[id * MAP_SIZE + off] as T });
      return out.length < max;
    });
    return out;
  }

  private walk(first: number, last: number, tag: number, fn: EntryVisitor<T>): void {
    const version = this.version;
    const s = this.store;
    scanEntries(s, this.root, first, last, tag, (id, off, index) => {
      const more = fn(index, entryOrder(s, id, off), s.items[id * MAP_SIZE + off] as T);
      if (this.version !== version) {
        throw new Error(`radix tree: inserted into or deleted from during iteration (at index ${index})`);
      }
      return more !== false;
    });
  }

  /** lookup() off its fast path (index not an integer below 2^32, or a tall tree): validates, walks. */
  private lookupSlow(index: number): T | undefined {
    checkIndex(index, 'index');
    const p = this.locate(index);
    return p < 0 ? undefined : (this.store.items[p] as T);
  }

  /**
   * __radix_tree_lookup's walk: the slot position (node id * 64 + canonical offset) of the entry
   * covering `index`, or -1. A leaf slot is never a child, so a leaf costs one array read.
   */
  private locate(index: number, anySlot = false): number {
    if (index >= this.limit) return -1;
    const s = this.store;
    let p: number;
    if (index >>> 0 !== index) p = slotOfWide(s, this.rootRef, this.rootShift, index);
    else if (this.rootShift > 30) p = slotOfSmall(s, this.rootRef, this.rootShift, index);
    else p = slotOfLow(s, this.rootRef, this.rootShift, index);
    const item = this.store.items[p];
    if (item === undefined) return anySlot ? p : -1;
    return item instanceof Sibling ? (p & ~(MAP_SIZE - 1)) | item.offset : p;
  }

  private setRoot(id: number): void {
    this.root = id;
    this.rootRef = id === NONE ? NONE : refOf(this.store, id);
    this.rootShift = id === NONE ? 0 : this.store.shift[id]!;
    this.limit = id === NONE ? 0 : nodeLast(this.store, id) + 1;
  }
}
