/**
 * The descent of a lookup (__radix_tree_lookup's loop), over the compact links rows.
 *
 * Invariant relied on (radix-tree-node.ts): a node's ref is its links row (> 0) while it has
 * children, else -id; so the walk reads one int32 per level, stops as soon as it reaches a
 * childless node (a leaf, or a node of multi-order entries only) and reads that node's slot,
 * and only maps a row back to a node id when it stops at a node that has children. Callers
 * have checked that the index is below the root's limit.
 */
import { MAP_SHIFT, MAP_SIZE, NONE, type NodeStore, offsetAt } from './radix-tree-node.js';

// Local copies: V8 constant-folds a module's own consts but not imported bindings (see lookup).
const LEVEL_SHIFT = 6;
const SLOT_MASK = 63;
const NO_NODE = 0;
if (LEVEL_SHIFT !== MAP_SHIFT || SLOT_MASK !== MAP_SIZE - 1 || NO_NODE !== NONE) {
  throw new Error('radix tree walk: local geometry constants disagree with radix-tree-node.ts');
}

/**
 * slotOfSmall for a tree whose root shift is at most 30: every level's shift is then below 32,
 * so `>>>` needs no guard (worth ~25% of a lookup, the model's hottest call).
 */
export function slotOfLow(s: NodeStore, rootRef: number, rootShift: number, index: number): number {
  const links = s.links;
  let ref = rootRef;
  let sh = rootShift;
  for (;;) {
    const off = (index >>> sh) & SLOT_MASK;
    if (ref < 0) return (-ref << LEVEL_SHIFT) | off;
    const child = links[(ref << LEVEL_SHIFT) | off]!;
    if (child === NO_NODE) return (s.rowNode[ref]! << LEVEL_SHIFT) | off;
    ref = child;
    sh -= LEVEL_SHIFT;
  }
}

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
    const off = sh < 32 ? (index >>> sh) & SLOT_MASK : 0;
    if (ref < 0) return (-ref << LEVEL_SHIFT) | off;
    const child = links[(ref << LEVEL_SHIFT) | off]!;
    if (child === NO_NODE) return (s.rowNode[ref]! << LEVEL_SHIFT) | off;
    ref = child;
    sh -= LEVEL_SHIFT;
  }
}

/** slotOfSmall for any index below 2^52 (float offsets; slower). */
export function slotOfWide(s: NodeStore, rootRef: number, rootShift: number, index: number): number {
  const links = s.links;
  let ref = rootRef;
  let sh = rootShift;
  for (;;) {
    const off = offsetAt(index, sh);
    if (ref < 0) return (-ref << LEVEL_SHIFT) | off;
    const child = links[(ref << LEVEL_SHIFT) | off]!;
    if (child === NO_NODE) return (s.rowNode[ref]! << LEVEL_SHIFT) | off;
    ref = child;
    sh -= LEVEL_SHIFT;
  }
}
