/**
 * Unit tests of the radix tree's guards: misuse throws RangeError / TypeError before anything
 * changes (radix-tree-args.ts), and check() (V3, radix-tree-check.ts) names broken invariants.
 */
import { describe, expect, it } from 'vitest';
import { type RadixTree, TAG_DIRTY, TAG_TOWRITE, type Tag } from '../../src/lib/radix-tree.js';
import type { NodeStore } from '../../src/lib/radix-tree-node.js';
import { build } from './radix-tree-fixtures.js';

/** The tree's private node pool, for corrupting it on purpose. */
function storeOf(tree: RadixTree<unknown>): NodeStore {
  return (tree as unknown as { store: NodeStore }).store;
}

describe('misuse throws', () => {
  const tree = build([[512, 9]]);
  it.each([-1, 1.5, Number.NaN, 2 ** 52, Number.POSITIVE_INFINITY])(
    'index %s is a RangeError everywhere',
    (bad) => {
      expect(() => tree.insert(bad, 0, 'x')).toThrow(RangeError);
      expect(() => tree.lookup(bad)).toThrow(RangeError);
      expect(() => tree.lookupEntry(bad)).toThrow(RangeError);
      expect(() => tree.delete(bad)).toThrow(RangeError);
      expect(() => tree.replace(bad, 'x')).toThrow(RangeError);
      expect(() => tree.tagSet(bad, TAG_DIRTY)).toThrow(RangeError);
      expect(() => tree.tagClear(bad, TAG_DIRTY)).toThrow(RangeError);
      expect(() => tree.tagGet(bad, TAG_DIRTY)).toThrow(RangeError);
      expect(() => tree.gangLookup(bad, 1)).toThrow(RangeError);
      expect(() => tree.forEach(bad, 10, () => {})).toThrow(RangeError);
      expect(() => tree.tagRange(bad, 10, TAG_DIRTY, TAG_TOWRITE)).toThrow(RangeError);
    },
  );

  it.each([
    [1, 1, /not aligned/],
    [512, 10, /not aligned/],
    [0, -1, /order/],
    [0, 53, /order/],
    [0, 2.5, /order/],
  ])('insert(%s, order %s) is a RangeError', (index, order, message) => {
    expect(() => tree.insert(index, order, 'x')).toThrow(message);
    expect(() => tree.insert(index, order, 'x')).toThrow(RangeError);
  });

  it('bad tags, max and last are RangeErrors; an undefined item is a TypeError', () => {
    expect(() => tree.tagSet(512, 3 as Tag)).toThrow(RangeError);
    expect(() => tree.tagged(-1 as Tag)).toThrow(RangeError);
    expect(() => tree.gangLookupTag(0, 1, 7 as Tag)).toThrow(RangeError);
    expect(() => tree.gangLookup(0, -1)).toThrow(RangeError);
    expect(() => tree.gangLookup(0, 1.5)).toThrow(RangeError);
    expect(() => tree.tagRange(0, Number.NaN, TAG_DIRTY, TAG_TOWRITE)).toThrow(RangeError);
    expect(() => tree.tagRange(0, 10, TAG_DIRTY, TAG_TOWRITE, -2)).toThrow(RangeError);
    expect(() => tree.insert(0, 0, undefined as unknown as string)).toThrow(TypeError);
    tree.check();
  });
});

describe('V3: check() catches corruption', () => {
  function corrupted(mutate: (s: NodeStore) => void): RadixTree<string> {
    const tree = build([
      [0, 0],
      [512, 9],
      [2 ** 20, 0],
    ]);
    tree.tagSet(0, TAG_DIRTY);
    mutate(storeOf(tree));
    return tree;
  }
  const leafOf0 = (s: NodeStore): number => {
    for (let id = 1; id < s.shift.length; id++)
      if (s.isLive(id) && s.shift[id] === 0 && s.base[id] === 0) return id;
    throw new Error('no leaf for index 0');
  };

  it('V3: a wrong slot count is named with node and expectation', () => {
    const tree = corrupted((s) => {
      s.count[leafOf0(s)]! += 1;
    });
    expect(() => tree.check()).toThrow(/count is 2, expected 1 non-empty slots/);
  });

  it('V3: a tag bit on an empty slot is reported', () => {
    const tree = corrupted((s) => {
      s.tags[leafOf0(s) * 6]! |= 2;
    });
    expect(() => tree.check()).toThrow(/offset 1: tag 0 set on an empty slot/);
  });

  it('V3: a parent tag bit that is not the OR of its child is reported', () => {
    const tree = corrupted((s) => {
      s.tags[leafOf0(s) * 6] = 0;
    });
    expect(() => tree.check()).toThrow(/tag 0 bit is true, expected false/);
  });

  it('V3: a stray sibling is reported', () => {
    const tree = corrupted((s) => {
      const leaf = leafOf0(s);
      s.items[leaf * 64 + 5] = s.items[s.parent[leaf]! * 64 + 9];
      s.count[leaf]! += 1;
    });
    expect(() => tree.check()).toThrow(/offset 5: sibling of 8 is outside that entry/);
  });

  it('V3: a link that is not the current ref of its child is reported', () => {
    const tree = corrupted((s) => {
      let root = 1;
      while (s.parent[root] !== 0 || !s.isLive(root)) root++;
      const slot = s.row[root]! * 64;
      const child = s.rowNode[s.links[slot]!]!;
      s.links[slot] = -child;
    });
    expect(() => tree.check()).toThrow(/offset 0: link is -\d+, expected child \d+'s ref \d+/);
  });

  it('V3: a size that disagrees with the entries is reported', () => {
    const tree = corrupted(() => {});
    (tree as unknown as { entries: number }).entries = 5;
    expect(() => tree.check()).toThrow(/3 entries reachable, size says 5/);
  });
});
