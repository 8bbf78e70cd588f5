import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';

function schedule(seed: number): string {
  const rt = new Runtime({ scheduler: new RandomScheduler(seed) });
  for (let t = 0; t < 3; t++) {
    rt.spawn(`t${t}`, function* () {
      for (let i = 0; i < 20; i++) yield 'p';
    });
  }
  return rt.run().schedule;
}

describe('RandomScheduler (S2, S6)', () => {
  it('S6: a seed determines the schedule', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        expect(schedule(seed)).toBe(schedule(seed));
      }),
      { numRuns: 30 },
    );
  });

  it('S2: different seeds explore different interleavings, and every task gets chosen', () => {
    const all = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(schedule));
    expect(all.size).toBeGreaterThan(4);
    const s = schedule(1);
    for (const id of ['0', '1', '2']) expect(s).toContain(id);
  });

  it('S4: failure choices follow failureProbability', () => {
    const never = new RandomScheduler(1, { failureProbability: 0 });
    const always = new RandomScheduler(1, { failureProbability: 1 });
    const rt = new Runtime({ scheduler: never });
    expect([...Array(20)].some(() => never.chooseFailure('page-alloc', rt))).toBe(false);
    expect([...Array(20)].every(() => always.chooseFailure('page-alloc', rt))).toBe(true);
    const half = new RandomScheduler(2);
    const fails = [...Array(400)].filter(() => half.chooseFailure('page-alloc', rt)).length;
    expect(fails).toBeGreaterThan(120);
    expect(fails).toBeLessThan(280);
    expect(() => new RandomScheduler(1, { failureProbability: 2 })).toThrow(RangeError);
  });
});
