import { describe, expect, it } from 'vitest';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import { SpinLock } from '../../src/sim/spinlock.js';
import { Trace } from '../../src/sim/trace.js';

function body(_rt: Runtime, lock: SpinLock) {
  return function* () {
    for (let i = 0; i < 3; i++) {
      yield* lock.lock();
      lock.unlock();
    }
  };
}

describe('forced scheduling points are elided (S1, S2, S6)', () => {
  it('S1: a lone task runs to completion in one step; with elision off every point is a step', () => {
    for (const elide of [true, false]) {
      const rt = new Runtime({ scheduler: new RandomScheduler(1), elideForcedPoints: elide });
      const lock = new SpinLock(rt, 'L');
      rt.spawn('a', body(rt, lock));
      const out = rt.run();
      expect(out.allDone).toBe(true);
      expect(out.steps).toBe(elide ? 1 : 4);
    }
  });

  it('S2: with two runnable tasks every lock point is still a choice', () => {
    const rt = new Runtime({ scheduler: new RandomScheduler(3) });
    const lock = new SpinLock(rt, 'L');
    rt.spawn('a', body(rt, lock));
    rt.spawn('b', body(rt, lock));
    const out = rt.run();
    expect(out.allDone).toBe(true);
    expect(out.steps).toBeGreaterThanOrEqual(4);
    expect(out.schedule.length).toBeGreaterThan(0);
  });

  it('S6: elision does not depend on tracing: same steps and schedule with the trace on or off', () => {
    const runs = [false, true].map((traced) => {
      const rt = new Runtime({ scheduler: new RandomScheduler(9), trace: new Trace(traced) });
      const lock = new SpinLock(rt, 'L');
      for (const n of ['a', 'b', 'c']) rt.spawn(n, body(rt, lock));
      const out = rt.run();
      return { steps: out.steps, schedule: out.schedule };
    });
    expect(runs[1]).toEqual(runs[0]);
  });
});
