import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mutex } from '../../src/sim/mutex.js';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import { RoundRobinScheduler } from '../../src/sim/scheduler.js';
import { Trace } from '../../src/sim/trace.js';
import { type ChromeEvent, toChromeTrace } from '../../src/sim/trace-chrome.js';
import { toyWorld } from './helpers.js';

/** X slices of one thread must nest: no partial overlap. */
function assertNested(events: readonly ChromeEvent[]): void {
  const byTid = new Map<number, ChromeEvent[]>();
  for (const e of events) if (e.ph === 'X') byTid.set(e.tid, [...(byTid.get(e.tid) ?? []), e]);
  for (const list of byTid.values()) {
    for (const a of list) {
      for (const b of list) {
        if (a === b) continue;
        const [a0, a1, b0, b1] = [a.ts!, a.ts! + a.dur!, b.ts!, b.ts! + b.dur!];
        const disjoint = a1 <= b0 || b1 <= a0;
        const nested = (a0 <= b0 && b1 <= a1) || (b0 <= a0 && a1 <= b1);
        expect(disjoint || nested, `${a.name}@${a0}-${a1} vs ${b.name}@${b0}-${b1}`).toBe(true);
      }
    }
  }
}

function lockers(seed: number) {
  const { rt, tree } = toyWorld(new RandomScheduler(seed), { trace: true });
  for (let i = 0; i < 3; i++) {
    rt.spawn(`t${i}`, function* () {
      yield* tree.lockEntry(0x200);
      yield 'work';
      yield* tree.unlockEntry(0x200);
    });
  }
  rt.run();
  return rt;
}

describe('toChromeTrace (S5)', () => {
  it('S5: one named track per task; runs, sleeps and lock holds are slices that nest', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rt = lockers(seed);
        const ct = toChromeTrace(rt.trace, rt.tasks);
        const names = ct.traceEvents
          .filter((e) => e.name === 'thread_name')
          .map((e) => [e.tid, e.args?.name]);
        expect(names).toEqual([
          [1, 't0#0'],
          [2, 't1#1'],
          [3, 't2#2'],
        ]);
        assertNested(ct.traceEvents);
        const runs = ct.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'run');
        expect(runs.length).toBe(
          rt.trace.events.filter((e) => e.type === 'point' || e.type === 'exit').length,
        );
        expect(ct.traceEvents.some((e) => e.ph === 'X' && e.name === 'hold tree_lock')).toBe(true);
        expect(JSON.parse(JSON.stringify(ct))).toEqual(ct);
      }),
      { numRuns: 30 },
    );
  });

  it('S5: sleeps are slices until the next run, and each wake-up is a flow arrow s -> f with one id', () => {
    const rt = lockers(3);
    const ct = toChromeTrace(rt.trace, rt.tasks);
    const sleeps = ct.traceEvents.filter((e) => e.cat === 'block');
    expect(sleeps.length).toBeGreaterThan(0);
    for (const s of sleeps) expect(s.name).toMatch(/^(sleep m:0x200|spin tree_lock)$/);
    const starts = ct.traceEvents.filter((e) => e.ph === 's');
    const ends = ct.traceEvents.filter((e) => e.ph === 'f');
    expect(starts.length).toBeGreaterThan(0);
    expect(ends.map((e) => e.id)).toEqual(starts.map((e) => e.id));
    for (const s of starts) {
      const f = ends.find((e) => e.id === s.id)!;
      expect(f.ts!).toBeGreaterThan(s.ts!);
      expect(f.bp).toBe('e');
      expect(f.tid).not.toBe(s.tid);
    }
  });

  it('S5: a hold released out of order becomes an async slice; a never-released one runs to the end', () => {
    const rt = new Runtime({
      scheduler: new RoundRobinScheduler(),
      trace: new Trace(),
      elideForcedPoints: false,
    });
    const a = new Mutex(rt, 'A');
    const b = new Mutex(rt, 'B');
    rt.spawn('hand-over-hand', function* () {
      yield* a.lock();
      yield* b.lock();
      a.unlock();
      yield 'holding B only';
      b.unlock();
      yield* a.lock();
    });
    rt.run();
    const ct = toChromeTrace(rt.trace, rt.tasks);
    assertNested(ct.traceEvents);
    const asyncB = ct.traceEvents.filter((e) => e.ph === 'b' || e.ph === 'e');
    expect(asyncB.map((e) => [e.ph, e.name])).toEqual([
      ['b', 'hold B'],
      ['e', 'hold B'],
    ]);
    const holds = ct.traceEvents.filter((e) => e.ph === 'X' && e.name === 'hold A');
    const last = holds[holds.length - 1]!;
    expect(last.ts! + last.dur!).toBe(Number(ct.otherData.steps) + 1);
  });

  it('S5: model events, bugs and allocations are instant events on the task track', () => {
    const rt = new Runtime({
      scheduler: new RoundRobinScheduler(),
      trace: new Trace(),
      elideForcedPoints: false,
    });
    rt.spawn('f', function* () {
      yield* rt.alloc('huge-zero-page');
      rt.model('dax_pmd_load_hole', 'M8', { index: 0 });
    });
    rt.run();
    const inst = toChromeTrace(rt.trace, rt.tasks).traceEvents.filter((e) => e.ph === 'i');
    expect(inst.map((e) => [e.name, e.tid, e.cat])).toEqual([
      ['alloc huge-zero-page', 1, 'alloc'],
      ['dax_pmd_load_hole', 1, 'model'],
    ]);
    expect(inst[1]!.args).toEqual({ index: 0, rule: 'M8' });
  });
});
