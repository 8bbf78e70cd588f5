/**
 * The descent of a lookup (__radix_tree_lookup's loop), over the compact links rows.
 *
 * Invariant relied on: `ref` at a shift > 0 is an internal node's links row, and a link out of
 * a shift-6 node is a leaf id (radix-tree-node.ts), so the walk reads one int32 per level and
 * only converts a row to a node id when it stops above the leaves. Callers have checked that
 * the index is below the root's limit.
 */
import { MAP_SHIFT, MAP_SIZE, NONE, type NodeStore, offsetAt } from './radix-tree-node.js';

/**
 * The slot position (node id * 64 + offset) where the walk for `index` stops: the slot holds
 * the item, a sibling of it, or nothing. For indices below 2^32: plain int32 shifts, decided
 * once per walk rather than per level, as this is the model's hottest loop.
 */
export function slotOfSmall(s: NodeStore, rootRef: number, rootShift: number, index: number): number {
  const links = s.links;
  let ref = rootRef;
  let sh = rootShift;
  for (;;) {
    const off = sh < 32 ? (index >>> sh) & (MAP_SIZE - 1) : 0;
    if (sh === 0) return (ref << MAP_SHIFT) | off;
    const child = links[(ref << MAP_SHIFT) | off]!;
    if (child === NONE) return (s.rowNode[ref]! << MAP_SHIFT) | off;
    ref = child;
    sh -= MAP_SHIFT;
  }
}

/** slotOfSmall for any index below 2^52 (float offsets; slower). */
export function slotOfWide(s: NodeStore, rootRef: number, rootShift: number, index: number): number {
  const links = s.links;
  let ref = rootRef;
  let sh = rootShift;
  for (;;) {
    const off = offsetAt(index, sh);
    if (sh === 0) return (ref << MAP_SHIFT) | off;
    const child = links[(ref << MAP_SHIFT) | off]!;
    if (child === NONE) return (s.rowNode[ref]! << MAP_SHIFT) | off;
    ref = child;
    sh -= MAP_SHIFT;
  }
}
