/**
 * Growing and shrinking the radix tree's height (radix_tree_extend / radix_tree_shrink).
 *
 * Invariants: the root always sits at base index 0; extending puts the old root in slot 0 of
 * a new root one level up, carrying its tag summary along; shrinking undoes exactly that
 * while the root's only occupant is a child in slot 0, so the height is always minimal.
 */
import { childAt, MAP_SHIFT, NONE, type NodeStore, TAG_COUNT } from './radix-tree-node.js';
import { anyTag, clearTagBit, setTagBit } from './radix-tree-tags.js';

/** radix_tree_extend: add root levels above `root` until its shift is `shift`; returns the new root. */
export function extendRoot(s: NodeStore, root: number, shift: number): number {
  while (s.shift[root]! < shift) {
    const top = s.alloc(NONE, 0, s.shift[root]! + MAP_SHIFT, 0);
    s.attach(top, 0, root);
    s.count[top] = 1;
    // The new root's slot 0 summarises the old root, whose own bits stay as they are.
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
    const child = childAt(s, root, 0);
    if (s.count[root] !== 1 || child === NONE) return root;
    s.detach(root, 0);
    s.count[root] = 0;
    for (let tag = 0; tag < TAG_COUNT; tag++) clearTagBit(s, root, tag, 0);
    s.release(root);
    s.parent[child] = NONE;
    s.offset[child] = 0;
    root = child;
  }
}
