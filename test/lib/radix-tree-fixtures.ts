/**
 * Shared fixtures of the radix tree unit tests (not a test file itself).
 */
import { expect } from 'vitest';
import { type RadixEntry, RadixTree } from '../../src/lib/radix-tree.js';

export { MAX_INDEX } from '../../src/lib/radix-tree.js';

/** Every entry of the tree, in index order. */
export function all<T>(tree: RadixTree<T>): RadixEntry<T>[] {
  return tree.gangLookup(0, Number.POSITIVE_INFINITY);
}

/** A tree holding `e<index>` at each (index, order), checked. */
export function build(entries: [index: number, order: number][]): RadixTree<string> {
  const tree = new RadixTree<string>();
  for (const [index, order] of entries) expect(tree.insert(index, order, `e${index}`)).toBeNull();
  tree.check();
  return tree;
}
