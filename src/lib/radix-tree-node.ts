/**
 * Node storage of the multi-order radix tree (Linux lib/radix-tree.c, 4.10 era: struct
 * radix_tree_node), laid out as a pool of numbered nodes in flat arrays so a lookup touches
 * as few cache lines and pages as possible.
 *
 * Geometry: node `id` (1-based; 0 = none) has 64 slots; at shift s, slot k covers
 * [base + k * 2^s, base + (k + 1) * 2^s). Shifts are multiples of 6; a leaf has shift 0.
 *
 * Slot contents, at position p = id * 64 + k of `items`:
 * - an item (never undefined): the canonical slot of an entry of order o, s <= o < s + 6,
 *   stored at the shift that covers it, k a multiple of 2^(o - s);
 * - a sibling: SIBLINGS[c] in the 2^(o - s) - 1 slots after canonical slot c (the kernel's
 *   sibling entries; they never leave the node);
 * - a child (only when s > 0): items[p] is undefined and the node's links row holds it.
 * Links: a node has a row in the compact `links` table exactly while it has children
 * (kids[id] > 0), so the rows the lookup walk reads stay dense: leaves and nodes holding only
 * multi-order entries (the shift-6 nodes of a file of 2 MiB entries) have none. A node is
 * referred to by its ref: its row (> 0) when it has one, else -id; links[row * 64 + k] holds
 * the child's ref, or 0. row[id] / rowNode[row] map both ways. count[id] = non-empty slots
 * (items, siblings and children). A released node is empty, has no row, and its tags are clear.
 */

/** log2 of the slots per node (RADIX_TREE_MAP_SHIFT). */
export const MAP_SHIFT = 6;
/** Slots per node (RADIX_TREE_MAP_SIZE). */
export const MAP_SIZE = 64;
/** Number of tags (RADIX_TREE_MAX_TAGS in the page cache). */
export const TAG_COUNT = 3;
/** Int32 words of tag bitmap per node (two per tag). */
export const TAG_WORDS = 2 * TAG_COUNT;
/** Exclusive upper bound of indices: 2^52. */
export const INDEX_LIMIT = 2 ** 52;
/** The largest order an entry may have (one entry covering every index). */
export const MAX_ORDER = 52;
/** The null node id / row. */
export const NONE = 0;
/** Node ids and rows are shifted left by 6 in int32 arithmetic, so they stay below 2^24. */
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

function widen<A extends Int32Array | Uint8Array | Float64Array>(old: A, next: A): A {
  next.set(old);
  return next;
}

/** The pool of nodes: radix_tree_node_alloc / radix_tree_node_free. */
export class NodeStore {
  /** Child references by links row (see the module header). */
  links: Int32Array;
  /** Per links row: the internal node owning it. */
  rowNode: Int32Array;
  /**
   * Item or sibling marker per slot (undefined: none, or a child). Grown with its `length` in
   * growNodes, so fresh slots are holes, which read as undefined: alloc need not fill them.
   */
  readonly items: unknown[];
  /** Per node: links row (0: none), child count, shift, slot count, parent, offset in parent, base. */
  row: Int32Array;
  kids: Uint8Array;
  shift: Uint8Array;
  count: Uint8Array;
  parent: Int32Array;
  offset: Uint8Array;
  base: Float64Array;
  /** Per node: TAG_WORDS int32 words of tag bitmaps (radix-tree-tags.ts). */
  tags: Int32Array;
  /** Live nodes. */
  live = 0;
  /** A sealed pool is shared by empty trees and must never allocate. */
  readonly sealed: boolean;
  private nextId = 1;
  private nextRow = 1;
  private readonly freeIds: number[] = [];
  private readonly freeRows: number[] = [];

  /** A pool of `capacity` node slots (id 0 unused) before it first grows; capacity 0 makes a sealed empty pool. */
  constructor(capacity = 2) {
    this.sealed = capacity === 0;
    this.items = new Array<unknown>(capacity * MAP_SIZE);
    // Rows come with a node's first child: a one-leaf tree never needs them. Starting empty,
    // and with room for one node (id 0 is unused), keeps every array of a small tree under
    // V8's on-heap typed-array limit (64 bytes): off-heap ones cost ~1 us each to allocate,
    // which the checker pays for every tree of every execution.
    this.links = new Int32Array(0);
    this.rowNode = new Int32Array(0);
    this.row = new Int32Array(capacity);
    this.kids = new Uint8Array(capacity);
    this.shift = new Uint8Array(capacity);
    this.count = new Uint8Array(capacity);
    this.parent = new Int32Array(capacity);
    this.offset = new Uint8Array(capacity);
    this.base = new Float64Array(capacity);
    this.tags = new Int32Array(capacity * TAG_WORDS);
  }

  /** A fresh empty node. May reallocate the typed arrays: re-read them afterwards. */
  alloc(parent: number, offset: number, shift: number, base: number): number {
    if (this.sealed) throw new Error('radix tree: allocation from the sealed, shared empty node pool');
    let id = this.freeIds.pop();
    if (id === undefined) {
      id = this.nextId++;
      if (id >= this.shift.length) this.growNodes();
    }
    this.row[id] = NONE;
    this.kids[id] = 0;
    this.parent[id] = parent;
    this.offset[id] = offset;
    this.shift[id] = shift;
    this.base[id] = base;
    this.count[id] = 0;
    this.live++;
    return id;
  }

  /** Return an empty node (all slots empty, no row, tags clear) to the pool. */
  release(id: number): void {
    this.parent[id] = NONE;
    this.live--;
    this.freeIds.push(id);
  }

  /** Make `child` (a fresh or detached node) the child in slot `off` of node `id`. */
  attach(id: number, off: number, child: number): void {
    let row = this.row[id]!;
    if (row === NONE) {
      row = this.freeRows.pop() ?? this.nextRow++;
      if (row >= this.rowNode.length) this.growRows();
      this.rowNode[row] = id;
      this.row[id] = row;
      this.relink(id);
    }
    this.links[row * MAP_SIZE + off] = refOf(this, child);
    this.kids[id]!++;
  }

  /** Empty the child slot `off` of node `id`; its last child gone, the node gives its row up. */
  detach(id: number, off: number): void {
    const row = this.row[id]!;
    this.links[row * MAP_SIZE + off] = NONE;
    if (--this.kids[id]! > 0) return;
    this.rowNode[row] = NONE;
    this.freeRows.push(row);
    this.row[id] = NONE;
    this.relink(id);
  }

  /** Rewrite the parent's link to `id` after its ref changed (the root has none to rewrite). */
  private relink(id: number): void {
    const parent = this.parent[id]!;
    if (parent !== NONE) this.links[this.row[parent]! * MAP_SIZE + this.offset[id]!] = refOf(this, id);
  }

  /** Whether `id` names a node handed out by `alloc` and not yet released. */
  isLive(id: number): boolean {
    return id > 0 && id < this.nextId && !this.freeIds.includes(id);
  }

  private growNodes(): void {
    // 1.5x rather than 2x: the slack is mostly `items`, 512 bytes a node.
    const cap = Math.max(4, Math.ceil(this.shift.length * 1.5));
    if (cap > MAX_NODES) throw new RangeError(`radix tree: more than ${MAX_NODES} nodes`);
    this.items.length = cap * MAP_SIZE;
    this.row = widen(this.row, new Int32Array(cap));
    this.kids = widen(this.kids, new Uint8Array(cap));
    this.shift = widen(this.shift, new Uint8Array(cap));
    this.count = widen(this.count, new Uint8Array(cap));
    this.parent = widen(this.parent, new Int32Array(cap));
    this.offset = widen(this.offset, new Uint8Array(cap));
    this.base = widen(this.base, new Float64Array(cap));
    this.tags = widen(this.tags, new Int32Array(cap * TAG_WORDS));
  }

  private growRows(): void {
    const cap = Math.max(4, this.rowNode.length * 2);
    this.rowNode = widen(this.rowNode, new Int32Array(cap));
    this.links = widen(this.links, new Int32Array(cap * MAP_SIZE));
  }
}

/**
 * The child node id in slot `off` of node `id`, or NONE (always NONE in a childless node).
 * An empty link gives `-0` (=== NONE): fine where this is inlined, as in insert (a branch
 * that returns 0 instead made order-9 inserts 12% slower); the structure check, which
 * boxed each such -0 as a heap number, reads the links itself.
 */
export function childAt(s: NodeStore, id: number, off: number): number {
  const row = s.row[id]!;
  if (row === NONE) return NONE;
  const ref = s.links[row * MAP_SIZE + off]!;
  return ref > 0 ? s.rowNode[ref]! : -ref;
}

/** The reference the lookup walk follows into node `id`: its row if it has one, else -id. */
export function refOf(s: NodeStore, id: number): number {
  const row = s.row[id]!;
  return row === NONE ? -id : row;
}

/** The last index node `id` covers. */
export function nodeLast(s: NodeStore, id: number): number {
  return s.base[id]! + SCALE[s.shift[id]! + MAP_SHIFT]! - 1;
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
