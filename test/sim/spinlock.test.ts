import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mutex } from '../../src/sim/mutex.js';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import { RoundRobinScheduler, RunToCompletionScheduler, type Scheduler } from '../../src/sim/scheduler.js';
import { SpinLock } from '../../src/sim/spinlock.js';
import { Trace } from '../../src/sim/trace.js';
import { toText } from '../../src/sim/trace-text.js';
import type { K } from '../../src/sim/types.js';
import { WaitTable } from '../../src/sim/wait-table.js';
import { holderAndWaiter, key, spawnNested } from './helpers.js';

/** n tasks doing k critical sections each under one spinlock; tracks the max occupancy. */
function contenders(scheduler: Scheduler, n: number, k: number) {
  const rt = new Runtime({ scheduler });
  const lock = new SpinLock(rt, 'L');
  let inside = 0;
  let max = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    rt.spawn(`c${i}`, function* () {
      for (let j = 0; j < k; j++) {
        yield* lock.lock();
        inside++;
        max = Math.max(max, inside);
        yield 'critical';
        total++;
        inside--;
        lock.unlock();
        yield 'outside';
      }
    });
  }
  return { rt, lock, stats: () => ({ max, total }) };
}

describe('SpinLock (S3, L1)', () => {
  it('S3: mutual exclusion and progress under random schedules', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 4 }), (seed, n) => {
        const { rt, lock, stats } = contenders(new RandomScheduler(seed), n, 3);
        const out = rt.run();
        expect(out.allDone).toBe(true);
        expect(stats()).toEqual({ max: 1, total: 3 * n });
        expect(lock.holder).toBeNull();
        expect(rt.bugs).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('S3: a task finding it held is spinning, not runnable, until release', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const lock = new SpinLock(rt, 'L');
    const { a, b } = holderAndWaiter(rt, lock, ['hold', 'hold']);
    expect(lock.holder).toBe(a);
    expect(a.held.map((l) => l.name)).toEqual(['L']);
    expect(b.state).toBe('spinning');
    expect(b.isRunnable()).toBe(false);
    expect(b.waitingOn).toEqual({ kind: 'lock', lock, mode: 'exclusive' });
    rt.step(); // a: second 'hold' (b still spinning)
    expect(b.state).toBe('spinning');
    rt.step(); // a releases: b runnable again
    expect(b.state).toBe('runnable');
    expect(rt.run().allDone).toBe(true);
    expect(b.held).toEqual([]);
    expect(lock.lastHolder).toBe(b);
  });

  it('S3: unlock by a non-holder throws (model error) and is recorded as a bug', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const lock = new SpinLock(rt, 'L');
    const t = rt.spawn('x', function* () {
      yield 'p';
      lock.unlock();
    });
    rt.run();
    expect(String(t.error)).toMatch(/spin_unlock\(L\) by x#0 but the holder is null/);
    expect(rt.bugs.map((b) => b.kind)).toEqual(['unlock-not-held']);
  });

  it('trylock takes a free lock without a point and fails on a held one', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const lock = new SpinLock(rt, 'L');
    const got: boolean[] = [];
    rt.spawn('x', function* () {
      got.push(lock.trylock());
      got.push(lock.trylock());
      lock.assertHeld();
      lock.unlockIrq();
      yield 'p';
      expect(() => lock.assertHeld()).toThrow(/L not held/);
    });
    expect(rt.run().allDone).toBe(true);
    expect(got).toEqual([true, false]);
  });

  it('V7: sleeping in schedule() with a spinlock held is reported (task, lock) and traced', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler(), trace: new Trace() });
    const lock = new SpinLock(rt, 'tree_lock');
    const wq = new WaitTable(rt);
    const sleeper = rt.spawn('sleeper', function* (): K<void> {
      yield* lock.lockIrq();
      const w = wq.prepareToWaitExclusive(key(1));
      yield* rt.schedule(); // BUG: tree_lock still held
      wq.finishWait(w);
      lock.unlock();
    });
    rt.spawn('waker', function* () {
      yield 'p';
      wq.wakeUp(key(1), true);
    });
    rt.run();
    expect(rt.bugs.map((b) => [b.kind, b.rule, b.task, b.lock?.name])).toEqual([
      ['sleep-with-spinlock', 'V7', sleeper, 'tree_lock'],
    ]);
    expect(toText(rt.trace)).toContain(
      'BUG sleep-with-spinlock: sleeper#0 may sleep in schedule holding spinlock tree_lock',
    );
  });

  it('V7: taking a mutex with a spinlock held is reported even when the mutex is free', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const s = new SpinLock(rt, 'S');
    const m = new Mutex(rt, 'M');
    spawnNested(rt, 'x', s, m);
    expect(rt.run().allDone).toBe(true);
    expect(rt.bugs.map((b) => [b.kind, b.lock?.name])).toEqual([['sleep-with-spinlock', 'S']]);
  });

  it('V7: nesting spinlocks, or spinning while holding one, is not a sleep bug', () => {
    const { rt, lock } = contenders(new RandomScheduler(1), 2, 2);
    const outer = new SpinLock(rt, 'outer');
    for (const name of ['n1', 'n2']) {
      rt.spawn(name, function* () {
        yield* outer.lock();
        yield* lock.lock();
        yield 'inside both';
        lock.unlock();
        outer.unlock();
      });
    }
    expect(rt.run().allDone).toBe(true);
    expect(rt.bugs).toEqual([]);
  });
});
