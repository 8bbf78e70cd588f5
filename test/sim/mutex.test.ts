import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mutex } from '../../src/sim/mutex.js';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import { RoundRobinScheduler } from '../../src/sim/scheduler.js';
import { holderAndWaiter } from './helpers.js';

describe('Mutex (S3)', () => {
  it('S3: mutual exclusion under random schedules; every task finishes', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rt = new Runtime({ scheduler: new RandomScheduler(seed) });
        const m = new Mutex(rt, 'i_mmap_lock', 'mapping->i_mmap_rwsem');
        let inside = 0;
        let max = 0;
        for (let i = 0; i < 3; i++) {
          rt.spawn(`t${i}`, function* () {
            yield* m.lock();
            max = Math.max(max, ++inside);
            yield 'critical';
            inside--;
            m.unlock();
          });
        }
        expect(rt.run().allDone).toBe(true);
        expect(max).toBe(1);
        expect(m.holder).toBeNull();
        expect(m.cls).toBe('mapping->i_mmap_rwsem');
      }),
      { numRuns: 50 },
    );
  });

  it('S3: a contended mutex puts the waiter to sleep (state sleeping), woken by unlock', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const m = new Mutex(rt, 'M');
    const { a, b } = holderAndWaiter(rt, m);
    expect(m.holder).toBe(a);
    expect(b.state).toBe('sleeping');
    expect(b.waitingOn).toMatchObject({ kind: 'lock', mode: 'exclusive' });
    expect(m.blocked()).toEqual([b]);
    rt.step();
    expect(b.state).toBe('runnable');
    expect(rt.run().allDone).toBe(true);
  });

  it('S3: trylock and unlock by a non-holder', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const m = new Mutex(rt, 'M');
    const got: boolean[] = [];
    rt.spawn('a', function* () {
      got.push(m.trylock());
      yield 'hold';
      yield 'hold';
      m.unlock();
    });
    const b = rt.spawn('b', function* () {
      got.push(m.trylock());
      yield 'p';
      m.unlock();
    });
    rt.run();
    expect(got).toEqual([true, false]);
    expect(String(b.error)).toMatch(/unlock of M by b#1 but the holder is a#0/);
  });
});
