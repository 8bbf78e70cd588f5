import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/sim/prng.js';

function draws(p: Prng, n: number, bound: number): number[] {
  return Array.from({ length: n }, () => p.int(bound));
}

describe('Prng (S2, S6)', () => {
  it('S6: the same seed gives the same sequence; another seed a different one', () => {
    expect(draws(new Prng(42), 50, 1000)).toEqual(draws(new Prng(42), 50, 1000));
    expect(draws(new Prng(42), 50, 1000)).not.toEqual(draws(new Prng(43), 50, 1000));
  });

  it('int(n) stays in 0..n-1 and float() in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
        const p = new Prng(seed);
        for (let i = 0; i < 20; i++) {
          const v = p.int(n);
          expect(Number.isInteger(v) && v >= 0 && v < n).toBe(true);
          const f = p.float();
          expect(f >= 0 && f < 1).toBe(true);
        }
      }),
    );
  });

  it('int(n) covers every value of a small range', () => {
    const seen = new Set(draws(new Prng(7), 200, 5));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('chance(0) and chance(1) are certain and draw nothing', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    expect(a.chance(0)).toBe(false);
    expect(a.chance(1)).toBe(true);
    expect(a.int(1000)).toBe(b.int(1000));
  });

  it('fork is deterministic and independent of later parent draws', () => {
    const a = new Prng(9).fork();
    const b = new Prng(9).fork();
    expect(draws(a, 10, 100)).toEqual(draws(b, 10, 100));
  });

  it('rejects bad seeds and bounds', () => {
    expect(() => new Prng(1.5)).toThrow(RangeError);
    expect(() => new Prng(1).int(0)).toThrow(/bound 0/);
    expect(() => new Prng(1).int(2.5)).toThrow(RangeError);
  });
});
