/**
 * Node storage of the multi-order radix tree (Linux lib/radix-tree.c, 4.10 era: struct
 * radix_tree_node), laid out as a pool of numbered nodes in flat arrays so a lookup touches
 * as few cache lines as possible (one per level, one for a leaf's item).
 *
 * Geometry: node `id` (1-based; 0 = none) has 64 slots, slot k at position p = id * 64 + k.
 * At shift s, slot k covers [base + k * 2^s, base + (k + 1) * 2^s). Shifts are multiples of 6.
 *
 * Slot contents:
 * - a child: links[p] = child id (> 0), items[p] undefined; only when s > 0, and then
 *   shift[child] = s - 6, parent[child] = id, offset[child] = k;
 * - an item (never undefined): the canonical slot of an entry of order o, s <= o < s + 6,
 *   stored at the shift that covers it, k a multiple of 2^(o - s); links[p] = 0;
 * - a sibling: items[p] = SIBLINGS[c] in the 2^(o - s) - 1 slots after canonical slot c (the
 *   kernel's sibling entries; they never leave the node); links[p] = 0;
 * - empty: links[p] = 0 and items[p] undefined.
 * count[id] = non-empty slots. Tags: three 64-bit bitmaps per node as six int32 words,
 * tags[id * 6 + 2 * tag + (k >> 5)]; a bit is set only on a canonical item slot, or on a child
 * slot whose child has any bit of that tag. A released node is all-empty with clear tags.
 */

/** log2 of the slots per node (RADIX_TREE_MAP_SHIFT). */
export const MAP_SHIFT = 6;
/** Slots per node (RADIX_TREE_MAP_SIZE). */
export const MAP_SIZE = 64;
/** Number of tags (RADIX_TREE_MAX_TAGS in the page cache). */
export const TAG_COUNT = 3;
/** Exclusive upper bound of indices: 2^52. */
export const INDEX_LIMIT = 2 ** 52;
/** The largest order an entry may have (one entry covering every index). */
export const MAX_ORDER = 52;
/** The null node id. */
export const NONE = 0;
/** Int32 words of tag bitmap per node. */
const TAG_WORDS = 2 * TAG_COUNT;
/** Node ids are shifted left by 6 in int32 arithmetic, so they stay below 2^24. */
const MAX_NODES = 2 ** 24;

/** A sibling slot: points back to the canonical slot of its entry in the same node. */
export class Sibling {
  /** Sibling marker for canonical slot `offset`. */
  constructor(readonly offset: number) {}
}

/** Shared sibling markers, one per canonical offset: siblings carry no per-node state. */
export const SIBLINGS: readonly Sibling[] = Array.from({ length: MAP_SIZE }, (_, k) => new Sibling(k));

/** 2^shift by shift, so hot loops index a table instead of calling Math.pow. */
export const SCALE: readonly number[] = Array.from({ length: 64 }, (_, s) => 2 ** s);
/** 2^-shift by shift: multiplying by a power of two is exact and cheaper than dividing. */
const INV_SCALE: readonly number[] = Array.from({ length: 64 }, (_, s) => 2 ** -s);

/**
 * The slot of `index` in a node of `shift`. Below 2^32 (nearly every index) int32 shifts do
 * it; above, multiplying by 2^-shift and truncating with `& 63` is exact for every index below
 * 2^53 (ToInt32 truncates, then reduces modulo 2^32) but much slower.
 */
export function offsetAt(index: number, shift: number): number {
  if (index <= 0xffffffff) return shift < 32 ? (index >>> shift) & (MAP_SIZE - 1) : 0;
  return (index * INV_SCALE[shift]!) & (MAP_SIZE - 1);
}

/** The smallest root shift whose node covers `last` (radix_tree_extend's target height). */
export function shiftCovering(last: number): number {
  let shift = 0;
  while (last >= 2 ** (shift + MAP_SHIFT)) shift += MAP_SHIFT;
  return shift;
}

/** The pool of nodes: radix_tree_node_alloc / radix_tree_node_free. */
export class NodeStore {
  /** Child id per slot (0: no child). */
  links: Int32Array;
  /** Item or sibling marker per slot (undefined: none). */
  readonly items: unknown[] = [];
  /** Per node: shift, non-empty slot count, parent id, offset in parent, first index. */
  shift: Uint8Array;
  count: Uint8Array;
  parent: Int32Array;
  offset: Uint8Array;
  base: Float64Array;
  /** Per node: six int32 words of tag bitmaps. */
  tags: Int32Array;
  /** Live nodes. */
  live = 0;
  private nextId = 1;
  private readonly freeIds: number[] = [];

  /** A pool with room for `capacity` nodes before it first grows. */
  constructor(capacity = 4) {
    this.links = new Int32Array(capacity * MAP_SIZE);
    this.shift = new Uint8Array(capacity);
    this.count = new Uint8Array(capacity);
    this.parent = new Int32Array(capacity);
    this.offset = new Uint8Array(capacity);
    this.base = new Float64Array(capacity);
    this.tags = new Int32Array(capacity * TAG_WORDS);
  }

  /** A fresh empty node. May reallocate the typed arrays: re-read them afterwards. */
  alloc(parent: number, offset: number, shift: number, base: number): number {
    let id = this.freeIds.pop();
    if (id === undefined) {
      id = this.nextId++;
      if (id >= this.shift.length) this.grow();
      const items = this.items;
      for (let p = id * MAP_SIZE, end = p + MAP_SIZE; p < end; p++) items[p] = undefined;
    }
    this.parent[id] = parent;
    this.offset[id] = offset;
    this.shift[id] = shift;
    this.base[id] = base;
    this.count[id] = 0;
    this.live++;
    return id;
  }

  /** Return an empty node (all slots empty, tags clear) to the pool. */
  release(id: number): void {
    this.parent[id] = NONE;
    this.live--;
    this.freeIds.push(id);
  }

  /** Whether `id` names a node handed out by `alloc` and not yet released. */
  isLive(id: number): boolean {
    return id > 0 && id < this.nextId && !this.freeIds.includes(id);
  }

  private grow(): void {
    const cap = this.shift.length * 2;
    if (cap > MAX_NODES) throw new RangeError(`radix tree: more than ${MAX_NODES} nodes`);
    const widen = <A extends Int32Array | Uint8Array | Float64Array>(
      old: A,
      make: (n: number) => A,
      n: number,
    ) => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.links = widen(this.links, (n) => new Int32Array(n), cap * MAP_SIZE);
    this.shift = widen(this.shift, (n) => new Uint8Array(n), cap);
    this.count = widen(this.count, (n) => new Uint8Array(n), cap);
    this.parent = widen(this.parent, (n) => new Int32Array(n), cap);
    this.offset = widen(this.offset, (n) => new Uint8Array(n), cap);
    this.base = widen(this.base, (n) => new Float64Array(n), cap);
    this.tags = widen(this.tags, (n) => new Int32Array(n), cap * TAG_WORDS);
  }
}

/** The last index node `id` covers. */
export function nodeLast(s: NodeStore, id: number): number {
  return s.base[id]! + SCALE[s.shift[id]! + MAP_SHIFT]! - 1;
}

/** Whether slot `off` of node `id` carries `tag` (tag_get). */
export function tagBit(s: NodeStore, id: number, tag: number, off: number): boolean {
  return ((s.tags[id * TAG_WORDS + 2 * tag + (off >>> 5)]! >>> (off & 31)) & 1) === 1;
}

/** Set `tag` on slot `off` of node `id` (tag_set). */
export function setTagBit(s: NodeStore, id: number, tag: number, off: number): void {
  s.tags[id * TAG_WORDS + 2 * tag + (off >>> 5)]! |= 1 << (off & 31);
}

/** Clear `tag` on slot `off` of node `id` (tag_clear). */
export function clearTagBit(s: NodeStore, id: number, tag: number, off: number): void {
  s.tags[id * TAG_WORDS + 2 * tag + (off >>> 5)]! &= ~(1 << (off & 31));
}

/** Whether any slot of node `id` carries `tag` (any_tag_set). */
export function anyTag(s: NodeStore, id: number, tag: number): boolean {
  const w = id * TAG_WORDS + 2 * tag;
  return (s.tags[w]! | s.tags[w + 1]!) !== 0;
}

/** The first slot >= `from` of node `id` carrying `tag`, or 64 (radix_tree_find_next_bit). */
export function nextTagged(s: NodeStore, id: number, tag: number, from: number): number {
  const w = id * TAG_WORDS + 2 * tag;
  if (from < 32) {
    const lo = s.tags[w]! & (-1 << from);
    if (lo !== 0) return 31 - Math.clz32(lo & -lo);
    from = 32;
  }
  if (from >= MAP_SIZE) return MAP_SIZE;
  const hi = s.tags[w + 1]! & (-1 << (from - 32));
  return hi === 0 ? MAP_SIZE : 63 - Math.clz32(hi & -hi);
}

/** Slots taken by the entry whose canonical slot is `off` in node `id`: 1 plus its siblings. */
export function entrySlots(s: NodeStore, id: number, off: number): number {
  const sib = SIBLINGS[off];
  const items = s.items;
  const p = id * MAP_SIZE + off;
  let n = 1;
  while (off + n < MAP_SIZE && items[p + n] === sib) n++;
  return n;
}

/** The order of the entry whose canonical slot is `off` (node shift + log2 of its slots). */
export function entryOrder(s: NodeStore, id: number, off: number): number {
  return s.shift[id]! + 31 - Math.clz32(entrySlots(s, id, off));
}

/** Set `tag` on a canonical slot and on every ancestor slot above it (tag_set's walk up). */
export function tagUp(s: NodeStore, id: number, off: number, tag: number): void {
  // Stop at the first slot already set: the invariant says every slot above it is set too.
  while (id !== NONE && !tagBit(s, id, tag, off)) {
    setTagBit(s, id, tag, off);
    off = s.offset[id]!;
    id = s.parent[id]!;
  }
}

/** Clear `tag` on a slot, then on each ancestor whose child no longer has any bit of it. */
export function untagUp(s: NodeStore, id: number, off: number, tag: number): void {
  while (id !== NONE && tagBit(s, id, tag, off)) {
    clearTagBit(s, id, tag, off);
    if (anyTag(s, id, tag)) return;
    off = s.offset[id]!;
    id = s.parent[id]!;
  }
}

/** radix_tree_extend: add root levels above `root` until its shift is `shift`; returns the new root. */
export function extendRoot(s: NodeStore, root: number, shift: number): number {
  while (s.shift[root]! < shift) {
    const top = s.alloc(NONE, 0, s.shift[root]! + MAP_SHIFT, 0);
    s.links[top * MAP_SIZE] = root;
    s.count[top] = 1;
    // The new root's slot 0 summarises the old root, whose bits stay as they are.
    for (let tag = 0; tag < TAG_COUNT; tag++) if (anyTag(s, root, tag)) setTagBit(s, top, tag, 0);
    s.parent[root] = top;
    s.offset[root] = 0;
    root = top;
  }
  return root;
}

/** radix_tree_shrink: drop root levels whose only slot is a child in slot 0; returns the new root. */
export function shrinkRoot(s: NodeStore, root: number): number {
  for (;;) {
    const child = s.links[root * MAP_SIZE]!;
    if (s.count[root] !== 1 || child === NONE) return root;
    s.links[root * MAP_SIZE] = NONE;
    s.count[root] = 0;
    for (let tag = 0; tag < TAG_COUNT; tag++) clearTagBit(s, root, tag, 0);
    s.release(root);
    s.parent[child] = NONE;
    s.offset[child] = 0;
    root = child;
  }
}
