import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mutex } from '../../src/sim/mutex.js';
import { PctScheduler } from '../../src/sim/pct-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import type { K } from '../../src/sim/types.js';

/** Independent tasks; returns the step order as task ids. */
function order(s: PctScheduler, tasks = 4, points = 5): number[] {
  const rt = new Runtime({ scheduler: s });
  const out: number[] = [];
  for (let t = 0; t < tasks; t++) {
    rt.spawn(`t${t}`, function* (): K<void> {
      for (let i = 0; i < points; i++) {
        out.push(t);
        yield 'p';
      }
    });
  }
  expect(rt.run().allDone).toBe(true);
  return out;
}

function switches(o: number[]): number {
  let n = 0;
  for (let i = 1; i < o.length; i++) if (o[i] !== o[i - 1]) n++;
  return n;
}

describe('PctScheduler (S2, X1)', () => {
  it('S2: PCT with depth 1 behaves like a priority run: tasks run one after another, by priority', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const s = new PctScheduler({ seed, depth: 1, maxSteps: 100 });
        const o = order(s);
        expect(s.changePoints).toEqual([]);
        expect(switches(o)).toBe(3);
        const byPriority = [0, 1, 2, 3].sort(
          (a, b) => s.priorityOf({ id: b } as never) - s.priorityOf({ id: a } as never),
        );
        expect([...new Set(o)]).toEqual(byPriority);
      }),
      { numRuns: 40 },
    );
  });

  it('S2: depth 1 lets a lower-priority task run while the high one is blocked, then returns to it', () => {
    const rt = new Runtime({ scheduler: new PctScheduler({ seed: 3, depth: 1, maxSteps: 50 }) });
    const m = new Mutex(rt, 'm');
    const log: string[] = [];
    for (const name of ['a', 'b']) {
      rt.spawn(name, function* () {
        yield* m.lock();
        log.push(`${name}+`);
        yield 'inside';
        log.push(`${name}-`);
        m.unlock();
      });
    }
    expect(rt.run().allDone).toBe(true);
    expect(log).toHaveLength(4);
    expect(log[0]![0]).toBe(log[1]![0]);
  });

  it('X1: depth d draws d-1 change points within 1..maxSteps, and each preempts at most once', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 2, max: 5 }), (seed, depth) => {
        const s = new PctScheduler({ seed, depth, maxSteps: 20 });
        expect(s.changePoints).toHaveLength(depth - 1);
        for (const k of s.changePoints) expect(k >= 1 && k <= 20).toBe(true);
        expect(switches(order(s))).toBeLessThanOrEqual(3 + (depth - 1));
      }),
      { numRuns: 40 },
    );
  });

  it('S6: a seed determines the run', () => {
    const mk = () => new PctScheduler({ seed: 77, depth: 3, maxSteps: 20 });
    expect(order(mk())).toEqual(order(mk()));
  });

  it('rejects bad options', () => {
    expect(() => new PctScheduler({ seed: 1, depth: 0, maxSteps: 5 })).toThrow(/depth/);
    expect(() => new PctScheduler({ seed: 1, depth: 2, maxSteps: 0 })).toThrow(/maxSteps/);
  });
});
