/**
 * Unit tests of the multi-order radix tree (src/lib/radix-tree.ts): every operation at its
 * boundaries, E2 (multi-order entries found from every index they cover), E4 (tags), W1
 * (tagRange), misuse throwing, and check() catching corruption.
 */
import { describe, expect, it } from 'vitest';
import {
  type RadixEntry,
  RadixTree,
  TAG_DIRTY,
  TAG_SPARE,
  TAG_TOWRITE,
  type Tag,
} from '../../src/lib/radix-tree.js';
import type { NodeStore } from '../../src/lib/radix-tree-node.js';

const MAX_INDEX = 2 ** 52 - 1;

function all<T>(tree: RadixTree<T>): RadixEntry<T>[] {
  return tree.gangLookup(0, Number.POSITIVE_INFINITY);
}

function build(entries: [index: number, order: number][]): RadixTree<string> {
  const tree = new RadixTree<string>();
  for (const [index, order] of entries) expect(tree.insert(index, order, `e${index}`)).toBeNull();
  tree.check();
  return tree;
}

/** The tree's private node pool, for corrupting it on purpose. */
function storeOf(tree: RadixTree<unknown>): NodeStore {
  return (tree as unknown as { store: NodeStore }).store;
}

describe('RadixTree basics', () => {
  it('starts empty: no entries, no nodes, height 0', () => {
    const tree = new RadixTree<number>();
    expect([tree.size, tree.nodes, tree.height]).toEqual([0, 0, 0]);
    expect(tree.lookup(0)).toBeUndefined();
    expect(tree.lookupEntry(MAX_INDEX)).toBeUndefined();
    expect(tree.delete(7)).toBeUndefined();
    tree.check();
  });

  it('stores an order-0 entry at index 0 in one leaf node', () => {
    const tree = new RadixTree<string>();
    expect(tree.insert(0, 0, 'a')).toBeNull();
    expect([tree.size, tree.nodes, tree.height]).toEqual([1, 1, 1]);
    expect(tree.lookup(0)).toBe('a');
    expect(tree.lookup(1)).toBeUndefined();
    expect(tree.lookupEntry(0)).toEqual({ index: 0, order: 0, item: 'a' });
    tree.check();
  });

  it('stores the largest index 2^52-1 nine levels deep and frees them all on delete', () => {
    const tree = new RadixTree<string>();
    expect(tree.insert(MAX_INDEX, 0, 'top')).toBeNull();
    expect(tree.height).toBe(9);
    expect(tree.nodes).toBe(9);
    expect(tree.lookup(MAX_INDEX)).toBe('top');
    expect(tree.lookup(MAX_INDEX - 1)).toBeUndefined();
    expect(tree.lookupEntry(MAX_INDEX)).toEqual({ index: MAX_INDEX, order: 0, item: 'top' });
    tree.check();
    expect(tree.delete(MAX_INDEX)).toBe('top');
    expect([tree.size, tree.nodes, tree.height]).toEqual([0, 0, 0]);
    tree.check();
  });

  it('keeps indices above 2^32 apart from their low 32 bits', () => {
    const tree = new RadixTree<string>();
    const hi = 2 ** 40 + 5;
    expect(tree.insert(hi, 0, 'hi')).toBeNull();
    expect(tree.insert(5, 0, 'lo')).toBeNull();
    expect(tree.insert(2 ** 32 + 5, 0, 'mid')).toBeNull();
    expect([tree.lookup(hi), tree.lookup(5), tree.lookup(2 ** 32 + 5)]).toEqual(['hi', 'lo', 'mid']);
    expect(tree.lookup(2 ** 36 + 5)).toBeUndefined();
    expect(all(tree).map((e) => e.index)).toEqual([5, 2 ** 32 + 5, hi]);
    tree.check();
  });

  it('grows and reuses its node pool over many inserts and deletes', () => {
    const tree = new RadixTree<number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) expect(tree.insert(i * 3, 0, i)).toBeNull();
    tree.check();
    const nodes = tree.nodes;
    for (let i = 0; i < n; i += 2) expect(tree.delete(i * 3)).toBe(i);
    for (let i = 0; i < n; i += 2) expect(tree.insert(i * 3, 0, -i)).toBeNull();
    expect(tree.nodes).toBe(nodes);
    for (let i = 0; i < n; i++) expect(tree.lookup(i * 3)).toBe(i % 2 === 0 ? -i : i);
    tree.check();
    for (let i = 0; i < n; i++) tree.delete(i * 3);
    expect([tree.size, tree.nodes, tree.height]).toEqual([0, 0, 0]);
  });

  it('clear() empties the tree', () => {
    const tree = build([
      [0, 9],
      [4096, 0],
    ]);
    tree.clear();
    expect([tree.size, tree.nodes, tree.height]).toEqual([0, 0, 0]);
    expect(tree.lookup(0)).toBeUndefined();
    expect(tree.insert(0, 0, 'again')).toBeNull();
    tree.check();
  });
});

describe('E2: multi-order entries', () => {
  it('E2: an order-9 entry is found from every index it covers, at its aligned index', () => {
    const tree = build([[512, 9]]);
    for (let i = 512; i < 1024; i++) expect(tree.lookup(i)).toBe('e512');
    expect(tree.lookup(511)).toBeUndefined();
    expect(tree.lookup(1024)).toBeUndefined();
    expect(tree.lookupEntry(700)).toEqual({ index: 512, order: 9, item: 'e512' });
    expect(tree.size).toBe(1);
  });

  it('E2: order 9 lives as 8 sibling slots of one shift-6 node', () => {
    const tree = build([[0, 9]]);
    expect([tree.height, tree.nodes]).toEqual([2, 1]);
  });

  it.each([
    [6, 64, 2],
    [12, 4096, 3],
    [18, 2 ** 18, 4],
  ])('E2: order %i (a node boundary) takes one slot one level up', (order, span, height) => {
    const tree = build([[span, order]]);
    expect(tree.height).toBe(height);
    expect(tree.lookup(span - 1)).toBeUndefined();
    expect(tree.lookup(span)).toBe(`e${span}`);
    expect(tree.lookup(2 * span - 1)).toBe(`e${span}`);
    expect(tree.lookup(2 * span)).toBeUndefined();
    expect(tree.lookupEntry(span + 1)).toEqual({ index: span, order, item: `e${span}` });
  });

  it('E2: an order-52 entry covers every index', () => {
    const tree = build([[0, 52]]);
    expect(tree.lookup(MAX_INDEX)).toBe('e0');
    expect(tree.lookupEntry(2 ** 40)).toEqual({ index: 0, order: 52, item: 'e0' });
    expect(tree.insert(2 ** 51, 0, 'x')).toBe('EEXIST');
  });

  it('E2: adjacent multi-order entries do not conflict', () => {
    const tree = build([
      [0, 9],
      [512, 9],
      [1024, 10],
      [2048, 0],
    ]);
    expect(all(tree).map((e) => [e.index, e.order])).toEqual([
      [0, 9],
      [512, 9],
      [1024, 10],
      [2048, 0],
    ]);
  });

  describe('EEXIST on partial overlap changes nothing', () => {
    const cases: [string, [number, number][], number, number][] = [
      ['order 0 inside an order-9 entry', [[512, 9]], 600, 0],
      ['order 9 over an order-0 entry', [[1000, 0]], 512, 9],
      ['order 12 containing an order-9 entry', [[512, 9]], 0, 12],
      ['order 9 inside an order-12 entry', [[4096, 12]], 4096 + 1024, 9],
      ['order 6 over the tail of an order-9 entry', [[512, 9]], 960, 6],
      ['the same order at the same index', [[512, 9]], 512, 9],
      ['a range that would need the tree to grow', [[5, 0]], 0, 12],
      ['order 52 over anything', [[MAX_INDEX, 0]], 0, 52],
    ];
    it.each(cases)('E2: %s', (_name, existing, index, order) => {
      const tree = build(existing);
      const before = { entries: all(tree), size: tree.size, nodes: tree.nodes, height: tree.height };
      expect(tree.insert(index, order, 'new')).toBe('EEXIST');
      expect({ entries: all(tree), size: tree.size, nodes: tree.nodes, height: tree.height }).toEqual(before);
      tree.check();
    });
  });
});

describe('replace and delete', () => {
  it('E4: replace keeps the order and the tags of the entry', () => {
    const tree = build([[512, 9]]);
    tree.tagSet(512, TAG_DIRTY);
    tree.tagSet(777, TAG_TOWRITE);
    tree.replace(1000, 'swapped');
    expect(tree.lookupEntry(512)).toEqual({ index: 512, order: 9, item: 'swapped' });
    expect([tree.tagGet(600, TAG_DIRTY), tree.tagGet(600, TAG_TOWRITE), tree.tagGet(600, TAG_SPARE)]).toEqual(
      [true, true, false],
    );
    tree.check();
  });

  it('replace throws when no entry covers the index', () => {
    const tree = build([[512, 9]]);
    expect(() => tree.replace(1024, 'x')).toThrow(/no entry covers/);
    expect(() => tree.replace(1024, undefined as unknown as string)).toThrow(TypeError);
  });

  it('E2: delete through an inner index removes the whole multi-order entry', () => {
    const tree = build([
      [0, 0],
      [512, 9],
      [1024, 0],
    ]);
    expect(tree.delete(1023)).toBe('e512');
    for (const i of [512, 600, 1023]) expect(tree.lookup(i)).toBeUndefined();
    expect([tree.lookup(0), tree.lookup(1024)]).toEqual(['e0', 'e1024']);
    expect(tree.size).toBe(2);
    expect(tree.insert(512, 0, 'small')).toBeNull();
    tree.check();
  });

  it('delete frees emptied nodes and shrinks the height back', () => {
    const tree = build([[3, 0]]);
    expect([tree.height, tree.nodes]).toEqual([1, 1]);
    expect(tree.insert(2 ** 30, 0, 'far')).toBeNull();
    expect(tree.height).toBe(6);
    tree.check();
    expect(tree.delete(2 ** 30)).toBe('far');
    expect([tree.height, tree.nodes]).toEqual([1, 1]);
    tree.check();
  });

  it('delete keeps a root that still holds an entry in a high slot', () => {
    const tree = build([
      [3, 0],
      [2 ** 18, 0],
    ]);
    expect(tree.delete(3)).toBe('e3');
    expect(tree.height).toBe(4);
    expect(tree.lookup(2 ** 18)).toBe(`e${2 ** 18}`);
    tree.check();
  });

  it('E4: delete drops the tags: a new entry at the same place starts untagged', () => {
    const tree = build([[512, 9]]);
    tree.tagSet(512, TAG_DIRTY);
    tree.delete(512);
    expect(tree.tagged(TAG_DIRTY)).toBe(false);
    expect(tree.insert(512, 9, 'again')).toBeNull();
    expect(tree.tagGet(512, TAG_DIRTY)).toBe(false);
    tree.check();
  });
});

describe('E4: tags', () => {
  it('E4: tagSet through any index of an entry is seen from every index of it', () => {
    const tree = build([
      [0, 0],
      [512, 9],
    ]);
    tree.tagSet(1000, TAG_DIRTY);
    expect(tree.tagGet(512, TAG_DIRTY)).toBe(true);
    expect(tree.tagGet(513, TAG_DIRTY)).toBe(true);
    expect(tree.tagGet(0, TAG_DIRTY)).toBe(false);
    expect(tree.tagGet(512, TAG_TOWRITE)).toBe(false);
    expect(tree.tagged(TAG_DIRTY)).toBe(true);
    expect(tree.tagged(TAG_TOWRITE)).toBe(false);
    tree.check();
  });

  it('E4: tagClear of the last tagged entry clears tagged()', () => {
    const tree = build([
      [5, 0],
      [2 ** 20, 0],
    ]);
    tree.tagSet(5, TAG_TOWRITE);
    tree.tagSet(2 ** 20, TAG_TOWRITE);
    tree.tagClear(5, TAG_TOWRITE);
    expect(tree.tagged(TAG_TOWRITE)).toBe(true);
    tree.check();
    tree.tagClear(2 ** 20, TAG_TOWRITE);
    expect(tree.tagged(TAG_TOWRITE)).toBe(false);
    tree.check();
  });

  it('E4: tags survive the tree growing above them', () => {
    const tree = build([[5, 0]]);
    tree.tagSet(5, TAG_SPARE);
    expect(tree.insert(2 ** 33, 0, 'grow')).toBeNull();
    expect(tree.tagGet(5, TAG_SPARE)).toBe(true);
    expect(tree.tagged(TAG_SPARE)).toBe(true);
    tree.check();
    tree.delete(2 ** 33);
    expect(tree.tagGet(5, TAG_SPARE)).toBe(true);
    tree.check();
  });

  it('tag operations on an index with no entry: set throws, clear is a no-op, get is false', () => {
    const tree = build([[512, 9]]);
    expect(() => tree.tagSet(100, TAG_DIRTY)).toThrow(/no entry covers/);
    tree.tagClear(100, TAG_DIRTY);
    expect(tree.tagGet(100, TAG_DIRTY)).toBe(false);
    expect(new RadixTree<number>().tagGet(0, TAG_DIRTY)).toBe(false);
    tree.check();
  });
});

describe('gang lookups and iteration', () => {
  const layout: [number, number][] = [
    [0, 9],
    [512, 0],
    [4096, 12],
    [2 ** 33, 6],
  ];

  it('gangLookup reports a multi-order entry once, at its aligned index, from an inner first', () => {
    const tree = build(layout);
    expect(tree.gangLookup(100, 10).map((e) => [e.index, e.order])).toEqual([
      [0, 9],
      [512, 0],
      [4096, 12],
      [2 ** 33, 6],
    ]);
    expect(tree.gangLookup(513, 10).map((e) => e.index)).toEqual([4096, 2 ** 33]);
    expect(tree.gangLookup(5000, 1)).toEqual([{ index: 4096, order: 12, item: 'e4096' }]);
    expect(tree.gangLookup(2 ** 33 + 64, 5)).toEqual([]);
    expect(tree.gangLookup(0, 0)).toEqual([]);
  });

  it('E4: gangLookupTag returns only tagged entries, in index order', () => {
    const tree = build(layout);
    tree.tagSet(2 ** 33 + 1, TAG_TOWRITE);
    tree.tagSet(300, TAG_TOWRITE);
    tree.tagSet(512, TAG_DIRTY);
    expect(tree.gangLookupTag(0, 10, TAG_TOWRITE).map((e) => e.index)).toEqual([0, 2 ** 33]);
    expect(tree.gangLookupTag(1, 1, TAG_TOWRITE).map((e) => e.index)).toEqual([0]);
    expect(tree.gangLookupTag(512, 10, TAG_TOWRITE).map((e) => e.index)).toEqual([2 ** 33]);
    expect(tree.gangLookupTag(0, 10, TAG_SPARE)).toEqual([]);
  });

  it('forEach visits entries overlapping [first, last] and stops on false', () => {
    const tree = build(layout);
    const seen: [number, number, string][] = [];
    tree.forEach(511, 4096, (index, order, item) => {
      seen.push([index, order, item]);
    });
    expect(seen).toEqual([
      [0, 9, 'e0'],
      [512, 0, 'e512'],
      [4096, 12, 'e4096'],
    ]);
    const first: number[] = [];
    tree.forEach(0, Number.POSITIVE_INFINITY, (index) => first.push(index) < 2);
    expect(first).toEqual([0, 512]);
    let none = 0;
    tree.forEach(600, 4095, () => none++);
    tree.forEach(10, 5, () => none++);
    expect(none).toBe(0);
  });

  it('forEachTagged visits only tagged entries and allows tag changes in the callback', () => {
    const tree = build(layout);
    for (const i of [0, 512, 2 ** 33]) tree.tagSet(i, TAG_DIRTY);
    const seen: number[] = [];
    tree.forEachTagged(0, MAX_INDEX, TAG_DIRTY, (index) => {
      seen.push(index);
      tree.tagClear(index, TAG_DIRTY);
    });
    expect(seen).toEqual([0, 512, 2 ** 33]);
    expect(tree.tagged(TAG_DIRTY)).toBe(false);
    tree.check();
  });

  it('inserting or deleting from an iteration callback throws', () => {
    const tree = build(layout);
    expect(() => tree.forEach(0, MAX_INDEX, (index) => tree.delete(index))).toThrow(/during iteration/);
    expect(() => tree.forEach(0, MAX_INDEX, () => tree.insert(8192, 0, 'x'))).toThrow(/during iteration/);
  });
});

describe('W1: tagRange', () => {
  it('W1: copies DIRTY to TOWRITE on entries overlapping the range, up to max', () => {
    const tree = build([
      [0, 9],
      [512, 0],
      [513, 0],
      [514, 0],
      [4096, 12],
    ]);
    for (const i of [0, 512, 514, 4096]) tree.tagSet(i, TAG_DIRTY);
    expect(tree.tagRange(100, 4096, TAG_DIRTY, TAG_TOWRITE, 2)).toBe(2);
    expect(tree.gangLookupTag(0, 10, TAG_TOWRITE).map((e) => e.index)).toEqual([0, 512]);
    expect(tree.tagRange(100, 4096, TAG_DIRTY, TAG_TOWRITE)).toBe(4);
    expect(tree.gangLookupTag(0, 10, TAG_TOWRITE).map((e) => e.index)).toEqual([0, 512, 514, 4096]);
    expect(tree.tagRange(515, 4095, TAG_DIRTY, TAG_TOWRITE)).toBe(0);
    expect(tree.tagRange(0, 10, TAG_DIRTY, TAG_SPARE, 0)).toBe(0);
    expect(tree.tagged(TAG_SPARE)).toBe(false);
    tree.check();
  });
});

describe('preload', () => {
  it('returns null by default and ENOMEM when the hook says fail', () => {
    expect(new RadixTree<number>().preload()).toBeNull();
    let calls = 0;
    const tree = new RadixTree<number>({ preloadHook: () => ++calls === 2 });
    expect([tree.preload(), tree.preload(), tree.preload()]).toEqual([null, 'ENOMEM', null]);
    tree.preloadHook = () => true;
    expect(tree.preload()).toBe('ENOMEM');
    tree.preloadHook = undefined;
    expect(tree.preload()).toBeNull();
  });
});

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

  it('V3: a size that disagrees with the entries is reported', () => {
    const tree = corrupted(() => {});
    (tree as unknown as { entries: number }).entries = 5;
    expect(() => tree.check()).toThrow(/3 entries reachable, size says 5/);
  });
});
