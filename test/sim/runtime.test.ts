import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../src/sim/fault-injector.js';
import { Prng } from '../../src/sim/prng.js';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { ReplayScheduler } from '../../src/sim/replay-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import { RunToCompletionScheduler, type Scheduler } from '../../src/sim/scheduler.js';
import { SpinLock } from '../../src/sim/spinlock.js';
import { Trace } from '../../src/sim/trace.js';
import { toChromeTrace } from '../../src/sim/trace-chrome.js';
import { toText } from '../../src/sim/trace-text.js';
import type { K } from '../../src/sim/types.js';
import { toyWorld } from './helpers.js';

/** n tasks each incrementing a shared counter k times, with or without a point between read and write. */
function counters(
  scheduler: Scheduler,
  n: number,
  k: number,
  pointInside: boolean,
): { rt: Runtime; value: () => number } {
  const rt = new Runtime({ scheduler });
  let shared = 0;
  for (let i = 0; i < n; i++) {
    rt.spawn(`inc${i}`, function* () {
      for (let j = 0; j < k; j++) {
        const x = shared;
        if (pointInside) yield 'between read and write';
        shared = x + 1;
        yield 'loop';
      }
    });
  }
  return { rt, value: () => shared };
}

describe('tasks and points (S1)', () => {
  it('S1: code between two points runs alone, so an update without a point inside is never lost', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const { rt, value } = counters(new RandomScheduler(seed), 3, 5, false);
        expect(rt.run().allDone).toBe(true);
        expect(value()).toBe(15);
      }),
      { numRuns: 50 },
    );
  });

  it('S1: with a point between read and write, some schedule loses an update', () => {
    const lost = [...Array(40).keys()].some((seed) => {
      const { rt, value } = counters(new RandomScheduler(seed), 3, 5, true);
      rt.run();
      return value() < 15;
    });
    expect(lost).toBe(true);
  });

  it('S1: a body result and a thrown error are recorded; a throw ends only that task', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler(), trace: new Trace() });
    const ok = rt.spawn('ok', function* () {
      yield 'a';
      return 42;
    });
    const bad = rt.spawn('bad', function* (): K<void> {
      yield 'a';
      throw new Error('boom');
    });
    const out = rt.run();
    expect(out.allDone).toBe(true);
    expect(ok.result).toBe(42);
    expect(ok.error).toBeUndefined();
    expect(bad.state).toBe('done');
    expect((bad.error as Error).message).toBe('boom');
    expect(out.failed).toEqual([bad]);
    expect(toText(rt.trace)).toContain('exit: error=Error: boom');
  });

  it('S1: `after` tasks gate runnability; yield* composes kernel functions', () => {
    const rt = new Runtime({ scheduler: new RandomScheduler(5) });
    const order: string[] = [];
    function* sub(name: string): K<number> {
      yield `${name}:1`;
      order.push(name);
      return name.length;
    }
    const a = rt.spawn('a', () => sub('a'));
    const b = rt.spawn('bb', () => sub('bb'));
    const c = rt.spawn('ccc', () => sub('ccc'), { after: [a, b], data: { pid: 7 } });
    expect(rt.run().allDone).toBe(true);
    expect(order[2]).toBe('ccc');
    expect(c.result).toBe(3);
    expect(c.data).toEqual({ pid: 7 });
  });

  it('S1: a task may spawn another; current is the running task and throws outside one', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const seen: string[] = [];
    rt.spawn('parent', function* () {
      seen.push(rt.current.name);
      rt.spawn('child', function* () {
        seen.push(rt.current.name);
        yield 'c';
      });
      yield 'p';
    });
    expect(() => rt.current).toThrow(/outside a task/);
    expect(rt.currentOrNull).toBeNull();
    expect(rt.run().allDone).toBe(true);
    expect(seen).toEqual(['parent', 'child']);
  });

  it('step() from inside a task is an error recorded on that task', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const t = rt.spawn('re-entrant', function* () {
      rt.step();
      yield 'x';
    });
    rt.run();
    expect(String(t.error)).toMatch(/inside task re-entrant#0/);
  });

  it('the step limit ends a livelock with reason step-limit and reports the runnable tasks', () => {
    const rt = new Runtime({ scheduler: new RandomScheduler(1), maxSteps: 100 });
    rt.spawn('spinner', function* () {
      for (;;) yield 'again';
    });
    const out = rt.run();
    expect(out.reason).toBe('step-limit');
    expect(out.steps).toBe(100);
    expect(out.allDone).toBe(false);
    expect(out.stuck.map((s) => [s.task.name, s.state, s.waitingOn])).toEqual([
      ['spinner', 'runnable', null],
    ]);
  });

  it('a scheduler returning a task that is not runnable is refused', () => {
    const rogue: Scheduler = { name: 'rogue', pick: (_r, rt) => rt.tasks[0]! };
    const rt = new Runtime({ scheduler: rogue });
    const a = rt.spawn('a', function* () {
      yield 'x';
    });
    rt.spawn('b', function* () {
      yield 'x';
    });
    rt.step();
    rt.step();
    expect(a.state).toBe('done');
    expect(() => rt.step()).toThrow(/picked a#0, which is not runnable/);
  });

  it('V2: a task that exits holding a lock is reported', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const l = new SpinLock(rt, 'L');
    rt.spawn('leaky', function* () {
      yield* l.lock();
    });
    rt.run();
    expect(rt.bugs.map((b) => [b.kind, b.rule, b.lock?.name])).toEqual([['exit-holding-lock', 'V2', 'L']]);
  });

  it('recordChoices keeps every real choice with its alternatives, matching the schedule', () => {
    const rec = new Runtime({ scheduler: new RandomScheduler(3), recordChoices: true });
    let shared = 0;
    for (let i = 0; i < 3; i++) {
      rec.spawn(`t${i}`, function* () {
        shared++;
        yield 'a';
        yield 'b';
      });
    }
    const out = rec.run();
    expect(shared).toBe(3);
    expect(rec.choices.length).toBe(rec.scheduleTokens().length);
    for (const c of rec.choices) {
      expect(c.kind).toBe('task');
      if (c.kind === 'task') expect(c.options).toContain(c.chosen);
    }
    expect(rec.choices.length).toBeGreaterThan(2);
    expect(rec.scheduleTokens()).toEqual(rec.choices.map((c) => (c.kind === 'task' ? c.chosen : '?')));
    expect(out.schedule).toBe(rec.recordedSchedule);
  });
});

/** A small locking workload with allocations, for determinism checks. */
function workload(scheduler: Scheduler, seed: number, choice: boolean) {
  const injector = new FaultInjector([{ site: 'page-alloc', probability: 0.3 }], new Prng(seed), {
    ...(choice ? { choice: { maxFailures: 2 } } : {}),
  });
  const { rt, tree } = toyWorld(scheduler, { trace: true, injector });
  const log: string[] = [];
  for (let i = 0; i < 3; i++) {
    rt.spawn(`w${i}`, function* () {
      for (let j = 0; j < 2; j++) {
        const ok = yield* rt.alloc(j === 0 ? 'page-alloc' : 'radix-preload');
        yield* tree.lockEntry(0x200 + (i % 2));
        log.push(`w${i}:${j}:${ok}`);
        yield* tree.unlockEntry(0x200 + (i % 2));
      }
      return log.length;
    });
  }
  return { rt, log };
}

describe('determinism and replay (S2, S4, S6)', () => {
  it('S6: the same seed gives byte-identical text and JSON traces', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const a = workload(new RandomScheduler(seed), seed, false);
        const b = workload(new RandomScheduler(seed), seed, false);
        a.rt.run();
        b.rt.run();
        expect(toText(b.rt.trace)).toBe(toText(a.rt.trace));
        expect(JSON.stringify(b.rt.trace.events)).toBe(JSON.stringify(a.rt.trace.events));
        expect(JSON.stringify(toChromeTrace(b.rt.trace, b.rt.tasks))).toBe(
          JSON.stringify(toChromeTrace(a.rt.trace, a.rt.tasks)),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('S6: a recorded schedule (with S4 failure choices) replays to the same final state and trace', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (seed, choice) => {
        const a = workload(new RandomScheduler(seed), seed, choice);
        const outA = a.rt.run();
        const b = workload(new ReplayScheduler(outA.schedule), seed, choice);
        const outB = b.rt.run();
        expect(b.log).toEqual(a.log);
        expect(outB.schedule).toBe(outA.schedule);
        expect(b.rt.tasks.map((t) => [t.state, t.result])).toEqual(
          a.rt.tasks.map((t) => [t.state, t.result]),
        );
        expect(toText(b.rt.trace)).toBe(toText(a.rt.trace));
      }),
      { numRuns: 60 },
    );
  });

  it('S2: only real choices are recorded (a lone task records nothing)', () => {
    const rt = new Runtime({ scheduler: new RandomScheduler(1) });
    rt.spawn('alone', function* () {
      for (let i = 0; i < 10; i++) yield 'p';
    });
    const out = rt.run();
    expect(out.steps).toBe(11);
    expect(out.schedule).toBe('');
  });
});
