import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import { RwSemaphore } from '../../src/sim/rwsem.js';
import { RoundRobinScheduler } from '../../src/sim/scheduler.js';
import type { K } from '../../src/sim/types.js';

describe('RwSemaphore (S3)', () => {
  it('S3: readers share, writers are exclusive, under random schedules (reference: counters)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), (seed, kinds) => {
        const rt = new Runtime({ scheduler: new RandomScheduler(seed) });
        const sem = new RwSemaphore(rt, 'mmap_sem');
        let readers = 0;
        let writers = 0;
        const check = () => {
          expect(writers <= 1 && (writers === 0 || readers === 0)).toBe(true);
          expect(sem.readers).toBe(readers);
          expect(sem.writer !== null).toBe(writers === 1);
        };
        kinds.forEach((isWriter, i) => {
          // The side this task takes, and the reference counter it moves.
          const side = isWriter
            ? { down: () => sem.downWrite(), up: () => sem.upWrite(), add: (d: number) => (writers += d) }
            : { down: () => sem.downRead(), up: () => sem.upRead(), add: (d: number) => (readers += d) };
          rt.spawn(`${isWriter ? 'w' : 'r'}${i}`, function* (): K<void> {
            for (let j = 0; j < 2; j++) {
              yield* side.down();
              side.add(1);
              check();
              yield isWriter ? 'writing' : 'reading';
              side.add(-1);
              side.up();
              check();
            }
          });
        });
        expect(rt.run().allDone).toBe(true);
        expect(sem.readers).toBe(0);
        expect(sem.writer).toBeNull();
      }),
      { numRuns: 80 },
    );
  });

  it('S3: two readers hold it together', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const sem = new RwSemaphore(rt, 's');
    for (const n of ['r1', 'r2']) {
      rt.spawn(n, function* () {
        yield* sem.downRead();
        yield 'reading';
        sem.upRead();
      });
    }
    for (let i = 0; i < 4; i++) rt.step();
    expect(sem.readers).toBe(2);
    expect(sem.holders().map((t) => t.name)).toEqual(['r1', 'r2']);
    expect(rt.run().allDone).toBe(true);
  });

  it('S3: writer preference: a waiting writer blocks a new reader until it has written', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const sem = new RwSemaphore(rt, 's');
    const order: string[] = [];
    rt.spawn('r1', function* () {
      yield* sem.downRead();
      order.push('r1 in');
      yield 'reading';
      yield 'reading';
      yield 'reading';
      order.push('r1 out');
      sem.upRead();
    });
    const w = rt.spawn('w', function* () {
      yield 'arrive after r1';
      yield* sem.downWrite();
      order.push('w in');
      yield 'writing';
      order.push('w out');
      sem.upWrite();
    });
    const r2 = rt.spawn('r2', function* () {
      yield 'arrive after w';
      yield 'arrive after w';
      yield* sem.downRead();
      order.push('r2 in');
      sem.upRead();
    });
    for (let i = 0; i < 20 && r2.state !== 'sleeping'; i++) rt.step();
    expect(sem.readers).toBe(1);
    expect(w.state).toBe('sleeping');
    expect(sem.waitingWriters).toBe(1);
    expect(r2.state).toBe('sleeping');
    expect(r2.waitingOn).toMatchObject({ kind: 'lock', mode: 'read' });
    expect(rt.run().allDone).toBe(true);
    expect(order).toEqual(['r1 in', 'r1 out', 'w in', 'w out', 'r2 in']);
  });

  it('S3: releasing a mode you do not hold throws', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const sem = new RwSemaphore(rt, 's');
    const a = rt.spawn('a', function* () {
      yield* sem.downRead();
      sem.upWrite();
    });
    const b = rt.spawn('b', function* () {
      yield 'p';
      sem.upRead();
    });
    rt.run();
    expect(String(a.error)).toMatch(/up_write\(s\) by a#0 but the writer is null/);
    expect(String(b.error)).toMatch(/up_read\(s\) by b#1, which does not hold it for read/);
  });
});
