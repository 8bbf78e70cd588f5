import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AllocatedType, type Extent, ExtentMap } from '../../src/fs/extent-map.js';
import { MAX_FILE_BYTES } from '../../src/fs/iomap.js';

const B = 4096;
const ext = (blk: number, n: number, type: AllocatedType, pblk: number): Extent => ({
  offset: blk * B,
  length: n * B,
  type,
  phys: pblk * B,
});

describe('ExtentMap (F1)', () => {
  it('F1: lookup finds the extent or the gap around a hole', () => {
    const m = new ExtentMap();
    m.insert(ext(4, 2, 'mapped', 100));
    expect(m.lookup(0)).toEqual({ gap: { start: 0, end: 4 * B }, index: 0 });
    expect(m.lookup(5 * B + 7)).toEqual({ extent: ext(4, 2, 'mapped', 100), index: 0 });
    expect(m.lookup(6 * B)).toEqual({ gap: { start: 6 * B, end: MAX_FILE_BYTES }, index: 1 });
  });

  it('F1: touching extents of one type and contiguous blocks merge; others stay apart', () => {
    const m = new ExtentMap();
    m.insert(ext(0, 2, 'mapped', 10));
    m.insert(ext(4, 2, 'mapped', 14));
    m.insert(ext(2, 2, 'mapped', 12)); // bridges both
    expect(m.all()).toEqual([ext(0, 6, 'mapped', 10)]);
    m.insert(ext(6, 1, 'unwritten', 16)); // other type
    m.insert(ext(7, 1, 'unwritten', 30)); // not contiguous on the device
    expect(m.count).toBe(3);
    m.check();
  });

  it('F1: insert over an allocated block throws', () => {
    const m = new ExtentMap();
    m.insert(ext(2, 2, 'mapped', 10));
    expect(() => m.insert(ext(3, 2, 'mapped', 50))).toThrow(/overlaps/);
    expect(() => m.insert(ext(0, 3, 'mapped', 50))).toThrow(/overlaps/);
    expect(() => m.insert({ offset: 1, length: B, type: 'mapped', phys: 0 })).toThrow(/block range/);
  });

  it('F3: remove splits extents at the edges and returns the device pieces', () => {
    const m = new ExtentMap();
    m.insert(ext(0, 8, 'mapped', 100));
    expect(m.remove(2 * B, 5 * B)).toEqual([ext(2, 3, 'mapped', 102)]);
    expect(m.all()).toEqual([ext(0, 2, 'mapped', 100), ext(5, 3, 'mapped', 105)]);
    expect(m.remove(0, MAX_FILE_BYTES)).toEqual([ext(0, 2, 'mapped', 100), ext(5, 3, 'mapped', 105)]);
    expect(m.count).toBe(0);
  });

  it('F2: convert changes a sub-range of one extent and re-merges', () => {
    const m = new ExtentMap();
    m.insert(ext(0, 8, 'unwritten', 100));
    m.convert(2 * B, 4 * B, 'mapped');
    expect(m.all()).toEqual([
      ext(0, 2, 'unwritten', 100),
      ext(2, 2, 'mapped', 102),
      ext(4, 4, 'unwritten', 104),
    ]);
    m.convert(0, 2 * B, 'mapped');
    m.convert(4 * B, 8 * B, 'mapped');
    expect(m.all()).toEqual([ext(0, 8, 'mapped', 100)]);
    expect(() => m.convert(8 * B, 9 * B, 'mapped')).toThrow(/not inside one extent/);
  });

  it('F1: check reports an unmerged or overlapping list', () => {
    const m = new ExtentMap();
    m.insert(ext(0, 1, 'mapped', 1));
    m.insert(ext(2, 1, 'mapped', 2));
    (m as unknown as { list: Extent[] }).list[1]!.offset = B; // corrupt: now touching
    expect(() => m.check()).toThrow(/not merged/);
    (m as unknown as { list: Extent[] }).list[1]!.offset = 0;
    expect(() => m.check()).toThrow(/overlaps/);
  });

  it('F1 property: the list matches a per-block reference and stays canonical', () => {
    const N = 48;
    const op = fc.oneof(
      fc.record({
        k: fc.constant('insert' as const),
        blk: fc.nat(N - 1),
        n: fc.integer({ min: 1, max: 6 }),
        t: fc.constantFrom<AllocatedType>('mapped', 'unwritten'),
        pblk: fc.nat(200),
      }),
      fc.record({
        k: fc.constant('remove' as const),
        blk: fc.nat(N - 1),
        n: fc.integer({ min: 1, max: 10 }),
      }),
      fc.record({
        k: fc.constant('convert' as const),
        blk: fc.nat(N - 1),
        n: fc.integer({ min: 1, max: 4 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const m = new ExtentMap();
        const ref: ({ t: AllocatedType; p: number } | undefined)[] = new Array(N + 10).fill(undefined);
        for (const o of ops) {
          if (o.k === 'insert') {
            const free = ref.slice(o.blk, o.blk + o.n).every((b) => b === undefined);
            if (!free || o.blk + o.n > N) continue;
            m.insert(ext(o.blk, o.n, o.t, o.pblk));
            for (let i = 0; i < o.n; i++) ref[o.blk + i] = { t: o.t, p: o.pblk + i };
          } else if (o.k === 'remove') {
            const removed = m.remove(o.blk * B, (o.blk + o.n) * B);
            const want = ref.slice(o.blk, o.blk + o.n).filter((b) => b !== undefined).length;
            expect(removed.reduce((s, e) => s + e.length, 0)).toBe(want * B);
            for (let i = 0; i < o.n; i++) ref[o.blk + i] = undefined;
          } else {
            const found = m.lookup(o.blk * B);
            if (!('extent' in found)) continue;
            const e = found.extent;
            const end = Math.min(e.offset + e.length, (o.blk + o.n) * B);
            const to: AllocatedType = e.type === 'mapped' ? 'unwritten' : 'mapped';
            m.convert(o.blk * B, end, to);
            for (let b = o.blk; b * B < end; b++) ref[b] = { t: to, p: ref[b]!.p };
          }
          m.check();
        }
        const blocks: ({ t: AllocatedType; p: number } | undefined)[] = new Array(N + 10).fill(undefined);
        for (const e of m.all()) {
          for (let i = 0; i < e.length / B; i++) blocks[e.offset / B + i] = { t: e.type, p: e.phys / B + i };
        }
        expect(blocks).toEqual(ref);
        expect(m.allocatedBytes).toBe(ref.filter((b) => b !== undefined).length * B);
      }),
      { numRuns: 300 },
    );
  });
});
