/**
 * Unit tests of tags and walks of the radix tree: E4 tag set / clear / get through any index of
 * an entry, gang lookups and forEach over multi-order entries (radix-tree-scan.ts), W1 tagRange.
 */
import { describe, expect, it } from 'vitest';
import { RadixTree, TAG_DIRTY, TAG_SPARE, TAG_TOWRITE } from '../../src/lib/radix-tree.js';
import { build, MAX_INDEX } from './radix-tree-fixtures.js';

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
