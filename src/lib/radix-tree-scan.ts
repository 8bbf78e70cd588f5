/**
 * In-order walk over the entries of a radix tree (radix_tree_next_chunk and the
 * radix_tree_for_each_slot / radix_tree_for_each_tagged iterators of lib/radix-tree.c).
 *
 * Invariants relied on:
 * - Parent tag bits are the OR of the child's, so a tagged walk skips every subtree whose
 *   slot bit is clear, and never meets a tag bit on an empty or sibling slot.
 * - Each entry is visited once, at its canonical slot (siblings are skipped); an entry that
 *   covers `first` is visited although its aligned index is below `first`.
 * - The walk allocates nothing. It tolerates tag changes and item replacement from `visit`
 *   (it re-reads the store as it goes) but not insertion or deletion: the caller enforces that.
 */
import {
  childAt,
  MAP_SIZE,
  NONE,
  type NodeStore,
  nodeLast,
  offsetAt,
  SCALE,
  Sibling,
} from './radix-tree-node.js';
import { nextTagged } from './radix-tree-tags.js';

/**
 * Called for each entry with its node id, canonical slot and aligned first index; returning
 * false stops the walk.
 */
export type SlotVisitor = (id: number, offset: number, index: number) => boolean;

/** No tag filter. */
export const ANY = -1;

/** The node and canonical slot where a walk from `first` starts (into `cursor`). */
function seek(s: NodeStore, root: number, first: number, cursor: Int32Array): void {
  let id = root;
  for (;;) {
    const off = offsetAt(first, s.shift[id]!);
    const child = childAt(s, id, off);
    if (child !== NONE) {
      id = child;
      continue;
    }
    const slot = s.items[id * MAP_SIZE + off];
    // Inside a multi-order entry: back up to its canonical slot so it is reported.
    cursor[0] = id;
    cursor[1] = slot instanceof Sibling ? slot.offset : off;
    return;
  }
}

const cursorScratch = new Int32Array(2);

/**
 * Visit, in index order, every entry overlapping [first, last] (carrying `tag` unless `tag` is
 * ANY). `first` must be a valid index; `last` may be any number (>= 2^52 means "to the end").
 */
export function scanEntries(
  s: NodeStore,
  root: number,
  first: number,
  last: number,
  tag: number,
  visit: SlotVisitor,
): void {
  if (root === NONE || last < first || first > nodeLast(s, root)) return;
  seek(s, root, first, cursorScratch);
  let id = cursorScratch[0]!;
  let off = cursorScratch[1]!;
  for (;;) {
    if (tag !== ANY) {
      off = nextTagged(s, id, tag, off);
    } else {
      // An empty slot has no item and no child; leaves (row 0) cannot have children.
      const items = s.items;
      const p0 = id * MAP_SIZE;
      const row = s.row[id]!;
      const links = s.links;
      const r0 = row * MAP_SIZE;
      while (off < MAP_SIZE && items[p0 + off] === undefined && (row === NONE || links[r0 + off] === NONE))
        off++;
    }
    if (off >= MAP_SIZE) {
      if (id === root) return;
      off = s.offset[id]! + 1;
      id = s.parent[id]!;
      continue;
    }
    const at = s.base[id]! + off * SCALE[s.shift[id]!]!;
    if (at > last) return;
    const child = childAt(s, id, off);
    if (child !== NONE) {
      id = child;
      off = 0;
    } else if (s.items[id * MAP_SIZE + off] instanceof Sibling) {
      off++;
    } else {
      if (!visit(id, off, at)) return;
      off++;
    }
  }
}
