/**
 * Unit tests of the multi-order radix tree (src/lib/radix-tree.ts): insert, lookup, replace,
 * delete and preload at their boundaries, E2 (multi-order entries found from every index they
 * cover), height growing and shrinking. Tags and walks: radix-tree-scan.test.ts; misuse and
 * check(): radix-tree-check.test.ts; random sequences: radix-tree.model.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { RadixTree, TAG_DIRTY, TAG_SPARE, TAG_TOWRITE } from '../../src/lib/radix-tree.js';
import { all, build, MAX_INDEX } from './radix-tree-fixtures.js';

describe('RadixTree basics', () => {
  it('starts empty: no entries, no nodes, height 0', () => {
    const tree = new RadixTree<number>();
    expect([tree.size, tree.nodes, tree.height]).toEqual([0, 0, 0]);
    expect(tree.lookup(0)).toBeUndefined();
    expect(tree.lookupEntry(MAX_INDEX)).toBeUndefined();
    expect(tree.delete(7)).toBeUndefined();
    tree.check();
  });

  it('never-used trees answer every query and stay independent of each other', () => {
    const a = new RadixTree<number>();
    const b = new RadixTree<number>();
    expect([
      a.tagGet(3, TAG_DIRTY),
      a.tagged(TAG_TOWRITE),
      a.gangLookup(0, 5),
      a.gangLookupTag(0, 5, 0),
    ]).toEqual([false, false, [], []]);
    a.tagClear(3, TAG_DIRTY);
    expect(a.tagRange(0, MAX_INDEX, TAG_DIRTY, TAG_TOWRITE)).toBe(0);
    a.forEach(0, MAX_INDEX, () => {
      throw new Error('an empty tree has no entries');
    });
    expect(() => a.replace(3, 1)).toThrow(/no entry covers/);
    expect(a.insert(7, 0, 70)).toBeNull();
    expect([b.lookup(7), b.size, b.nodes]).toEqual([undefined, 0, 0]);
    b.check();
    a.check();
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

describe('generation (V3 caching)', () => {
  it('E4: every change to items, tags or structure bumps the generation; reads do not', () => {
    const t = new RadixTree<string>();
    let g = t.generation;
    const bumped = (what: string) => {
      expect(t.generation, what).toBeGreaterThan(g);
      g = t.generation;
    };
    t.insert(0, 0, 'a');
    bumped('insert');
    t.insert(512, 9, 'b');
    bumped('insert order 9');
    t.replace(513, 'c');
    bumped('replace');
    t.tagSet(0, TAG_DIRTY);
    bumped('tagSet');
    t.tagRange(0, 1024, TAG_DIRTY, TAG_TOWRITE);
    bumped('tagRange');
    t.tagClear(0, TAG_DIRTY);
    bumped('tagClear');
    t.lookup(0);
    t.lookupEntry(600);
    t.tagGet(0, TAG_TOWRITE);
    t.gangLookup(0, 10);
    t.forEach(0, 2000, () => true);
    t.check();
    expect(t.generation).toBe(g);
    t.delete(600);
    bumped('delete');
    t.clear();
    bumped('clear');
  });

  it('V3: the structure generation moves with every change but an item replacement', () => {
    const t = new RadixTree<string>();
    let g = t.structureGeneration;
    const moved = (what: string, expected: boolean) => {
      expect(t.structureGeneration !== g, what).toBe(expected);
      g = t.structureGeneration;
    };
    t.insert(0, 0, 'a');
    moved('insert', true);
    expect(t.insert(0, 0, 'x')).toBe('EEXIST');
    moved('insert EEXIST', true);
    t.insert(512, 9, 'b');
    moved('insert order 9', true);
    const before = t.generation;
    t.replace(513, 'c');
    t.replace(0, 'd');
    moved('replace', false);
    expect(t.generation).toBeGreaterThan(before);
    t.check();
    t.tagSet(0, TAG_DIRTY);
    moved('tagSet', true);
    t.tagRange(0, 1024, TAG_DIRTY, TAG_TOWRITE);
    moved('tagRange', true);
    t.tagClear(0, TAG_DIRTY);
    moved('tagClear', true);
    t.delete(600);
    moved('delete', true);
    t.clear();
    moved('clear', true);
  });
});
