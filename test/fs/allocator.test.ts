import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockAllocator, type Piece } from '../../src/fs/allocator.js';

const B = 4096;
const MiB = 1024 * 1024;

describe('BlockAllocator (F2)', () => {
  it('F2: the superblock is never handed out; 4 KiB alignment starts at 4 KiB (M7 pfn-misaligned)', () => {
    const a = new BlockAllocator(8 * MiB, 8 * MiB);
    expect(a.totalBytes).toBe(8 * MiB - B);
    expect(a.allocContiguous(2 * MiB, B, 0)).toBe(B);
    expect(a.isFree(0, B)).toBe(false);
    a.check();
  });

  it('F2: 2 MiB alignment places file offset 0 on a 2 MiB device boundary', () => {
    const a = new BlockAllocator(16 * MiB, 16 * MiB);
    expect(a.allocContiguous(2 * MiB, 2 * MiB, 0)).toBe(2 * MiB);
    expect(a.allocContiguous(2 * MiB, 2 * MiB, 6 * MiB)).toBe(4 * MiB);
    // a run for file offset 2 MiB + 12 KiB lands congruent modulo 2 MiB
    const p = a.allocContiguous(B, 2 * MiB, 2 * MiB + 3 * B)!;
    expect(p % (2 * MiB)).toBe(3 * B);
    a.check();
  });

  it('F2: no congruent fit falls back to first fit', () => {
    const a = new BlockAllocator(4 * MiB, 4 * MiB);
    // [4 KiB, 4 MiB) free: a 2 MiB-aligned 3 MiB run does not fit, a plain one does
    expect(a.allocContiguous(3 * MiB, 2 * MiB, 0)).toBe(B);
  });

  it('F2: the free-space cap refuses what would pass it (nothing changed)', () => {
    const a = new BlockAllocator(64 * MiB, 3 * MiB);
    expect(a.allocContiguous(2 * MiB, B, 0)).not.toBeNull();
    expect(a.freeBytes).toBe(MiB);
    const before = a.freeExtents();
    expect(a.allocContiguous(2 * MiB, B, 0)).toBeNull();
    expect(a.allocPieces(2 * MiB, B, 0)).toBeNull();
    expect(a.freeExtents()).toEqual(before);
    expect(a.largestContiguous()).toBe(MiB);
  });

  it('F2: allocPieces takes first-fit pieces when no run is long enough', () => {
    const a = new BlockAllocator(12 * B, 12 * B);
    const all = a.allocContiguous(11 * B, B, 0)!;
    a.release(all + B, B);
    a.release(all + 4 * B, 2 * B);
    expect(a.allocPieces(3 * B, B, 0)).toEqual<Piece[]>([
      { phys: all + B, length: B },
      { phys: all + 4 * B, length: 2 * B },
    ]);
    expect(a.freeBytes).toBe(0);
    a.check();
  });

  it('F3: release merges neighbours; a double free or foreign range throws', () => {
    const a = new BlockAllocator(1 * MiB, 1 * MiB);
    const p = a.allocContiguous(8 * B, B, 0)!;
    a.release(p + 2 * B, 2 * B);
    a.release(p + 6 * B, 2 * B);
    a.release(p + 4 * B, 2 * B);
    expect(() => a.release(p + 3 * B, 2 * B)).toThrow(/already/);
    expect(() => a.release(0, B)).toThrow(RangeError);
    a.release(p, 2 * B);
    expect(a.freeExtents()).toEqual([{ start: B, end: MiB }]);
    a.check();
  });

  it('F2: reserve takes an exact free run and refuses a used one', () => {
    const a = new BlockAllocator(1 * MiB, 1 * MiB);
    a.reserve(16 * B, 4 * B);
    expect(() => a.reserve(18 * B, 4 * B)).toThrow(/not free/);
    expect(() => a.reserve(0, B)).toThrow(/not free/);
    expect(() => a.reserve(B + 1, B)).toThrow(RangeError);
    expect(a.overlapsFree(16 * B, 4 * B)).toBe(false);
    expect(a.overlapsFree(15 * B, 2 * B)).toBe(true);
    a.check();
  });

  it('F2 property: no block handed out twice, accounting exact, per-block reference agrees', () => {
    const BLOCKS = 64;
    const op = fc.oneof(
      fc.record({
        k: fc.constant('alloc' as const),
        n: fc.integer({ min: 1, max: 12 }),
        align: fc.constantFrom(B, 2 * B, 8 * B),
        foff: fc.nat(64).map((x) => x * B),
        pieces: fc.boolean(),
      }),
      fc.record({ k: fc.constant('free' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 60 }),
        fc.integer({ min: 0, max: BLOCKS }),
        (ops, limitBlocks) => {
          const a = new BlockAllocator(BLOCKS * B, limitBlocks * B);
          const owned = new Set<number>(); // block numbers
          const held: Piece[] = [];
          for (const o of ops) {
            if (o.k === 'alloc') {
              const len = o.n * B;
              const canFit = owned.size * B + len <= Math.min(limitBlocks, BLOCKS - 1) * B;
              const got: Piece[] | null = o.pieces
                ? a.allocPieces(len, o.align, o.foff)
                : ((p) => (p === null ? null : [{ phys: p, length: len }]))(
                    a.allocContiguous(len, o.align, o.foff),
                  );
              if (o.pieces) expect(got !== null).toBe(canFit);
              if (got === null) continue;
              expect(got.reduce((s, p) => s + p.length, 0)).toBe(len);
              for (const p of got) {
                for (let blk = p.phys / B; blk < (p.phys + p.length) / B; blk++) {
                  expect(blk).toBeGreaterThan(0);
                  expect(blk).toBeLessThan(BLOCKS);
                  expect(owned.has(blk)).toBe(false);
                  owned.add(blk);
                }
                held.push(p);
              }
            } else if (held.length > 0) {
              const p = held.splice(o.pick % held.length, 1)[0]!;
              a.release(p.phys, p.length);
              for (let blk = p.phys / B; blk < (p.phys + p.length) / B; blk++) owned.delete(blk);
            }
            a.check();
            expect(a.usedBytes).toBe(owned.size * B);
            expect(a.freeBytes).toBe(Math.min(limitBlocks * B, (BLOCKS - 1) * B) - owned.size * B);
            for (let blk = 1; blk < BLOCKS; blk++) expect(a.isFree(blk * B, B)).toBe(!owned.has(blk));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
