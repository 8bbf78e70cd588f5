import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLockCycle } from '../../src/sim/lockdep.js';
import { Mutex } from '../../src/sim/mutex.js';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import { RunToCompletionScheduler, type Scheduler } from '../../src/sim/scheduler.js';
import { SpinLock } from '../../src/sim/spinlock.js';
import { formatStuckReport } from '../../src/sim/stuck-report.js';

/** Two tasks taking A then B, and B then A (classes given by cls). */
function abba(scheduler: Scheduler) {
  const rt = new Runtime({ scheduler });
  const a = new Mutex(rt, 'inode1->i_mmap_lock', 'i_mmap_lock');
  const b = new SpinLock(rt, 'mapping1->tree_lock', 'tree_lock');
  rt.spawn('fault', function* () {
    yield* a.lock('daxFault');
    yield* b.lock('grabMappingEntry');
    b.unlock();
    a.unlock();
  });
  rt.spawn('truncate', function* () {
    yield* b.lock('truncate');
    yield* a.lock('unmapMappingRange');
    a.unlock();
    b.unlock();
  });
  return rt;
}

describe('Lockdep (V7)', () => {
  it('V7: an A-B / B-A order cycle is detected even when the run does not deadlock', () => {
    const rt = abba(new RunToCompletionScheduler());
    expect(rt.run().allDone).toBe(true);
    const cycles = rt.lockdep.cycles();
    expect(cycles).toHaveLength(1);
    const c = cycles[0]!;
    expect(c.classes).toEqual(['i_mmap_lock', 'tree_lock']);
    expect(c.edges.map((e) => [e.from, e.to, e.task, e.held.site, e.taking.site])).toEqual([
      ['i_mmap_lock', 'tree_lock', 'fault', 'daxFault', 'grabMappingEntry'],
      ['tree_lock', 'i_mmap_lock', 'truncate', 'truncate', 'unmapMappingRange'],
    ]);
    const text = formatLockCycle(c);
    expect(text).toContain('lock-order cycle: i_mmap_lock -> tree_lock -> i_mmap_lock');
    expect(text).toContain('fault#0 took mapping1->tree_lock [tree_lock] at grabMappingEntry');
    expect(text).toContain('while holding inode1->i_mmap_lock [i_mmap_lock] taken at daxFault');
  });

  it('V7: the cycle is found under every random schedule, deadlocked or not; a deadlock is reported as such', () => {
    let deadlocks = 0;
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rt = abba(new RandomScheduler(seed));
        const out = rt.run();
        expect(rt.lockdep.cycles()).toHaveLength(1);
        if (!out.allDone) {
          deadlocks++;
          expect(formatStuckReport(out.stuck)).toMatch(/deadlock: fault#0 -> truncate#1 -> fault#0/);
        }
      }),
      { numRuns: 60 },
    );
    expect(deadlocks).toBeGreaterThan(0);
  });

  it('V7: a consistent order gives no cycle; nesting one class twice is not an edge', () => {
    const rt = new Runtime({ scheduler: new RandomScheduler(4) });
    const a = new Mutex(rt, 'A');
    const b = new Mutex(rt, 'B');
    const p1 = new SpinLock(rt, 'page1', 'page');
    const p2 = new SpinLock(rt, 'page2', 'page');
    for (const n of ['x', 'y']) {
      rt.spawn(n, function* () {
        yield* a.lock();
        yield* b.lock();
        b.unlock();
        a.unlock();
        yield* p1.lock();
        yield* p2.lock();
        p2.unlock();
        p1.unlock();
      });
    }
    expect(rt.run().allDone).toBe(true);
    expect(rt.lockdep.cycles()).toEqual([]);
    expect(rt.lockdep.edges().map((e) => `${e.from}->${e.to}`)).toEqual(['A->B']);
  });

  it('V7: a three-class cycle across three tasks is one cycle', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const l = ['A', 'B', 'C'].map((n) => new Mutex(rt, n));
    for (let i = 0; i < 3; i++) {
      rt.spawn(`t${i}`, function* () {
        yield* l[i]!.lock();
        yield* l[(i + 1) % 3]!.lock();
        l[(i + 1) % 3]!.unlock();
        l[i]!.unlock();
      });
    }
    rt.run();
    const cycles = rt.lockdep.cycles();
    expect(cycles.map((c) => c.classes)).toEqual([['A', 'B', 'C']]);
    expect(rt.lockdep.size).toBe(3);
  });

  it('V7: cycles are reported exactly when the recorded class graph has one (reference model)', () => {
    // Few classes (the bitmask shortcut decides) and more than 31 (the search alone decides).
    const graph = fc
      .oneof(fc.constant(5), fc.constant(31), fc.constant(36))
      .chain((k) =>
        fc.tuple(fc.constant(k), fc.array(fc.tuple(fc.nat(k - 1), fc.nat(k - 1)), { maxLength: 12 })),
      );
    fc.assert(
      fc.property(graph, ([k, pairs]) => {
        const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
        const locks = Array.from({ length: k }, (_, i) => new Mutex(rt, `C${i}`));
        // Every class is taken once first, so the class count is k whatever the pairs are.
        rt.spawn('t', function* () {
          for (const l of locks) {
            yield* l.lock();
            l.unlock();
          }
          for (const [a, b] of pairs) {
            if (a === b) continue;
            yield* locks[a]!.lock();
            yield* locks[b]!.lock();
            locks[b]!.unlock();
            locks[a]!.unlock();
          }
        });
        expect(rt.run().allDone).toBe(true);
        const next = new Map<string, string[]>();
        for (const e of rt.lockdep.edges()) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
        const state = new Map<string, 'open' | 'done'>();
        const cyclic = (c: string): boolean => {
          if (state.get(c) === 'open') return true;
          if (state.get(c) === 'done') return false;
          state.set(c, 'open');
          const found = (next.get(c) ?? []).some(cyclic);
          state.set(c, 'done');
          return found;
        };
        const expected = [...next.keys()].some(cyclic);
        expect(rt.lockdep.cycles().length > 0).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('lockdep can be switched off', () => {
    const rt = abba(new RunToCompletionScheduler());
    rt.lockdep.enabled = false;
    rt.run();
    expect(rt.lockdep.edges()).toEqual([]);
  });

  it('V7: the recorded edges are exactly the first-seen (held class, taken class) pairs (reference model)', () => {
    // Nested acquire/release sequences over 40 classes, so both the bitmask test (ids < 31)
    // and the per-lock loop (the rest) are exercised against a plain set of pairs.
    const step = fc.tuple(fc.boolean(), fc.nat(39));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (ops) => {
        const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
        const locks = Array.from({ length: 40 }, (_, i) => new SpinLock(rt, `L${i}`, `C${i % 40}`));
        const expected = new Set<string>();
        rt.spawn('t', function* () {
          const held: SpinLock[] = [];
          for (const [take, i] of ops) {
            const l = locks[i]!;
            if (take && !held.includes(l)) {
              for (const h of held) if (h.cls !== l.cls) expected.add(`${h.cls}->${l.cls}`);
              yield* l.lock();
              held.push(l);
            } else if (!take && held.includes(l)) {
              l.unlock();
              held.splice(held.indexOf(l), 1);
            }
          }
          for (const h of held) h.unlock();
        });
        expect(rt.run().allDone).toBe(true);
        const got = new Set(rt.lockdep.edges().map((e) => `${e.from}->${e.to}`));
        expect(got).toEqual(expected);
        expect(rt.lockdep.size).toBe(expected.size);
      }),
      { numRuns: 200 },
    );
  });
});
