/**
 * Structural verification of a radix tree (the model's V3 for `src/lib`): walks every node
 * and throws an Error naming the node (id, shift, first index), the slot offset and what was
 * expected at the first broken invariant.
 *
 * Invariants verified (see radix-tree-node.ts for the layout):
 * - root: live, no parent, base 0, shift a multiple of 6 and <= 48, not shrinkable (a lone
 *   child in slot 0 means the height was not reduced);
 * - each child: live, parent / offset back-links, shift = parent shift - 6, base = parent base +
 *   offset * 2^parent shift; leaves (shift 0) hold no child; a child slot holds no item;
 * - count = number of non-empty slots, and > 0 (no empty node survives);
 * - each entry: canonical item followed by exactly its siblings, 2^k slots (k < 6: a whole
 *   node's worth lives one level up) with the canonical offset a multiple of 2^k, ending by
 *   2^52; no sibling strays outside its entry;
 * - tags: no bit on an empty or sibling slot; a child slot's bit = the child has any bit;
 * - totals: entries = the tree's size, nodes reached = live nodes of the pool;
 * - the tree's cached root limit, shift and ref agree with the root.
 */
import {
  childAt,
  entrySlots,
  INDEX_LIMIT,
  MAP_SHIFT,
  MAP_SIZE,
  NONE,
  type NodeStore,
  nodeLast,
  refOf,
  SCALE,
  Sibling,
  TAG_COUNT,
  TAG_WORDS,
} from './radix-tree-node.js';
import { anyTag, tagBit } from './radix-tree-tags.js';
import type { EntryVisitor } from './radix-tree-types.js';

/** Called by the check for each entry in index order: node, canonical slot, entry slots. */
export type CheckVisitor = (id: number, off: number, slots: number) => void;

/**
 * The sibling class as this module's own constant: V8 folds a module's constants, not its
 * imported bindings, and `instanceof` a folded class compiles to a map check.
 */
const SIBLING = Sibling;

interface Totals {
  entries: number;
  nodes: number;
}

function fail(s: NodeStore, id: number, offset: number | null, what: string): never {
  const node = `node ${id} (shift=${s.shift[id]}, index=${s.base[id]})`;
  throw new Error(`radix tree check: ${offset === null ? node : `${node} offset ${offset}`}: ${what}`);
}

/**
 * Verify the whole tree rooted at `root`; `size` is the entry count the tree keeps. `visit`,
 * if given, sees each entry in index order as the check passes it (so the entries before the
 * first broken invariant have been visited when the check throws).
 */
export function checkRadixTree(
  s: NodeStore,
  root: number,
  size: number,
  visit: CheckVisitor | null = null,
): void {
  if (root === NONE) {
    if (size !== 0 || s.live !== 0) {
      throw new Error(`radix tree check: empty tree but size=${size}, live nodes=${s.live} (expected 0, 0)`);
    }
    return;
  }
  if (!s.isLive(root)) fail(s, root, null, 'root is not a live node');
  if (s.parent[root] !== NONE) fail(s, root, null, `root has parent ${s.parent[root]} (expected none)`);
  if (s.base[root] !== 0) fail(s, root, null, 'root index is not 0');
  const shift = s.shift[root]!;
  if (shift % MAP_SHIFT !== 0 || shift > 48)
    fail(s, root, null, `root shift ${shift} not a multiple of 6 <= 48`);
  if (s.count[root] === 1 && childAt(s, root, 0) !== NONE) {
    fail(s, root, 0, 'root holds a lone child in slot 0 (expected the height to have shrunk)');
  }
  const totals: Totals = { entries: 0, nodes: 0 };
  checkNode(s, root, totals, visit);
  if (totals.entries !== size) {
    throw new Error(`radix tree check: ${totals.entries} entries reachable, size says ${size}`);
  }
  if (totals.nodes !== s.live) {
    throw new Error(`radix tree check: ${totals.nodes} nodes reachable, ${s.live} live in the pool`);
  }
}

/** A node has a links row exactly while it has children, and the row maps back to it. */
function checkRow(s: NodeStore, id: number, children: number): void {
  const row = s.row[id]!;
  if (s.kids[id] !== children) fail(s, id, null, `kids is ${s.kids[id]}, expected ${children} child slots`);
  if (children === 0 && row !== NONE)
    fail(s, id, null, `childless node has links row ${row} (expected none)`);
  if (children > 0 && (row === NONE || s.rowNode[row] !== id)) {
    fail(s, id, null, `links row ${row} maps back to node ${s.rowNode[row]} (expected ${id})`);
  }
}

/**
 * RadixTree.check: the structure, then the tree's cached [limit, root shift, root ref];
 * `visit` sees each entry as forEach would, in the structure check's pass.
 */
export function checkTree<T>(
  s: NodeStore,
  root: number,
  size: number,
  cached: readonly [number, number, number],
  visit: EntryVisitor<T> | undefined,
): void {
  const each: CheckVisitor | null =
    visit === undefined
      ? null
      : (id, off, slots) => {
          const shift = s.shift[id]!;
          const index = s.base[id]! + off * SCALE[shift]!;
          visit(index, shift + 31 - Math.clz32(slots), s.items[id * MAP_SIZE + off] as T);
        };
  checkRadixTree(s, root, size, each);
  checkRootCache(s, root, cached[0], cached[1], cached[2]);
}

/** The tree's cached [limit, root shift, root ref] must match what the root says. */
function checkRootCache(s: NodeStore, root: number, limit: number, shift: number, ref: number): void {
  const empty = root === NONE;
  const eLimit = empty ? 0 : nodeLast(s, root) + 1;
  const eShift = empty ? 0 : s.shift[root]!;
  const eRef = empty ? NONE : refOf(s, root);
  if (limit !== eLimit || shift !== eShift || ref !== eRef) {
    throw new Error(
      `radix tree check: cached root limit/shift/ref ${[limit, shift, ref]}, expected ${[eLimit, eShift, eRef]}`,
    );
  }
}

function checkNode(s: NodeStore, id: number, totals: Totals, visit: CheckVisitor | null): void {
  totals.nodes++;
  let used = 0;
  let children = 0;
  // Any tag at all, per half of the node: most slots then need no per-tag bit test.
  const t = id * TAG_WORDS;
  let anyLo = 0;
  let anyHi = 0;
  for (let tag = 0; tag < TAG_COUNT; tag++) {
    anyLo |= s.tags[t + 2 * tag]!;
    anyHi |= s.tags[t + 2 * tag + 1]!;
  }
  const items = s.items;
  const first = id * MAP_SIZE;
  // childAt, inlined, giving NONE for an empty link where childAt gives -0: this recursive
  // function is not inlined into, and each -0 it got back was boxed as a heap number (a third
  // of the check's time went to collecting them). A node without a links row has no child.
  const row = s.row[id]!;
  const links = s.links;
  const rowNode = s.rowNode;
  const r0 = row * MAP_SIZE;
  // The last canonical item passed and one past its entry: its siblings are owned exactly
  // when they lie before that end (what siblingOwned finds, without walking the entry again).
  let canon = -1;
  let canonEnd = -1;
  for (let off = 0; off < MAP_SIZE; off++) {
    const ref = row === NONE ? NONE : links[r0 + off]!;
    const child = ref > 0 ? rowNode[ref]! : ref < 0 ? -ref : NONE;
    const slot = items[first + off];
    if (child !== NONE) {
      used++;
      children++;
      if (slot !== undefined) fail(s, id, off, 'slot holds both a child and an item');
      checkChild(s, id, off, child);
      checkNode(s, child, totals, visit);
    } else if (slot === undefined) {
      if ((((off < 32 ? anyLo : anyHi) >>> (off & 31)) & 1) !== 0) checkNoTags(s, id, off, 'an empty');
    } else if (slot instanceof SIBLING) {
      if ((((off < 32 ? anyLo : anyHi) >>> (off & 31)) & 1) !== 0) checkNoTags(s, id, off, 'a sibling');
      used++;
      const owned = slot.offset === canon ? off < canonEnd : siblingOwned(s, id, off, slot);
      if (!owned) fail(s, id, off, `sibling of ${slot.offset} is outside that entry`);
    } else {
      used++;
      const n = checkEntry(s, id, off);
      canon = off;
      canonEnd = off + n;
      totals.entries++;
      if (visit !== null) visit(id, off, n);
    }
  }
  checkRow(s, id, children);
  if (used !== s.count[id]) fail(s, id, null, `count is ${s.count[id]}, expected ${used} non-empty slots`);
  if (used === 0) fail(s, id, null, 'node is empty (expected it to be freed)');
}

function checkNoTags(s: NodeStore, id: number, off: number, kind: string): void {
  for (let tag = 0; tag < TAG_COUNT; tag++) {
    if (tagBit(s, id, tag, off)) fail(s, id, off, `tag ${tag} set on ${kind} slot (expected clear)`);
  }
}

/** A sibling at `off` must follow its canonical item with only that item's siblings between. */
function siblingOwned(s: NodeStore, id: number, off: number, sib: Sibling): boolean {
  const canon = sib.offset;
  if (canon >= off) return false;
  const head = s.items[id * MAP_SIZE + canon];
  if (childAt(s, id, canon) !== NONE || head === undefined || head instanceof Sibling) return false;
  return off < canon + entrySlots(s, id, canon);
}

function checkChild(s: NodeStore, id: number, off: number, child: number): void {
  const shift = s.shift[id]!;
  if (shift === 0) fail(s, id, off, `leaf holds child ${child} (expected items only)`);
  if (!s.isLive(child)) fail(s, id, off, `child ${child} is not a live node`);
  if (s.parent[child] !== id)
    fail(s, id, off, `child ${child} has parent ${s.parent[child]}, expected ${id}`);
  if (s.offset[child] !== off)
    fail(s, id, off, `child ${child} has offset ${s.offset[child]}, expected ${off}`);
  if (s.shift[child] !== shift - MAP_SHIFT) {
    fail(s, id, off, `child ${child} has shift ${s.shift[child]}, expected ${shift - MAP_SHIFT}`);
  }
  const base = s.base[id]! + off * SCALE[shift]!;
  if (s.base[child] !== base) fail(s, id, off, `child ${child} has index ${s.base[child]}, expected ${base}`);
  // The lookup walk follows the raw link: it must be the child's current ref (row or -id).
  const link = s.links[s.row[id]! * MAP_SIZE + off];
  if (link !== refOf(s, child))
    fail(s, id, off, `link is ${link}, expected child ${child}'s ref ${refOf(s, child)}`);
  for (let tag = 0; tag < TAG_COUNT; tag++) {
    const expected = anyTag(s, child, tag);
    if (tagBit(s, id, tag, off) !== expected) {
      fail(
        s,
        id,
        off,
        `tag ${tag} bit is ${!expected}, expected ${expected} (the OR of child ${child}'s bits)`,
      );
    }
  }
}

/** Check the entry whose canonical slot is `off`; returns its slot count. */
function checkEntry(s: NodeStore, id: number, off: number): number {
  const n = entrySlots(s, id, off);
  if ((n & (n - 1)) !== 0) fail(s, id, off, `entry spans ${n} slots, expected a power of two`);
  if (n === MAP_SIZE) fail(s, id, off, 'entry spans a whole node (expected it one level up, in one slot)');
  if (off % n !== 0)
    fail(s, id, off, `entry of ${n} slots starts at offset ${off}, expected a multiple of ${n}`);
  const end = s.base[id]! + (off + n) * SCALE[s.shift[id]!]!;
  if (end > INDEX_LIMIT) fail(s, id, off, `entry ends at ${end}, past 2^52`);
  return n;
}
