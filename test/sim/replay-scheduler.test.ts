import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../src/sim/fault-injector.js';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { ReplayScheduler } from '../../src/sim/replay-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import { RoundRobinScheduler, type Scheduler } from '../../src/sim/scheduler.js';

function build(scheduler: Scheduler, tasks = 2, points = 3, injector?: FaultInjector) {
  const rt = new Runtime({ scheduler, ...(injector ? { injector } : {}) });
  const order: string[] = [];
  for (let t = 0; t < tasks; t++) {
    rt.spawn(`t${t}`, function* () {
      for (let i = 0; i < points; i++) {
        order.push(`t${t}`);
        if (injector) order.push(String(yield* rt.alloc('page-alloc')));
        yield 'p';
      }
    });
  }
  return { rt, order };
}

describe('ReplayScheduler (S2, S6)', () => {
  it('S6: follows a recorded schedule exactly', () => {
    const a = build(new RandomScheduler(11), 3, 4);
    const outA = a.rt.run();
    const replay = new ReplayScheduler(outA.schedule);
    const b = build(replay, 3, 4);
    const outB = b.rt.run();
    expect(b.order).toEqual(a.order);
    expect(outB.schedule).toBe(outA.schedule);
    expect(replay.remaining).toBe(0);
    expect(replay.consumed).toBe(a.rt.scheduleTokens().length);
  });

  it('S6: follows a hand-written schedule', () => {
    const { rt, order } = build(new ReplayScheduler('1x2.0.1.0x2.1'), 2, 3);
    rt.run();
    // Steps: 1 1 0 1 (t1 done after its 4th step) then t0 alone.
    expect(order.join(' ')).toBe('t1 t1 t0 t1 t0 t0');
  });

  it('S2: divergence throws a clear error: an unrunnable task', () => {
    const { rt } = build(new ReplayScheduler('5'), 2, 3);
    expect(() => rt.run()).toThrow(
      /replay diverged at choice 1, step 1: schedule '5' says 5 but tasks \[0, 1\] are runnable/,
    );
  });

  it('S2: divergence throws: schedule exhausted, or choices left over', () => {
    expect(() => build(new ReplayScheduler('0'), 2, 3).rt.run()).toThrow(
      /is exhausted but tasks \[1\]|exhausted/,
    );
    expect(() => build(new ReplayScheduler('0x3.1x3.0x5'), 2, 3).rt.run()).toThrow(/unused choice/);
  });

  it('S4: F/S tokens answer failure choices; a task id there diverges', () => {
    const inj = () => new FaultInjector([], undefined, { choice: { maxFailures: 1 } });
    const { rt, order } = build(new ReplayScheduler('F'), 1, 2, inj());
    rt.run();
    expect(order).toEqual(['t0', 'false', 't0', 'true']);
    expect(() => build(new ReplayScheduler('0'), 1, 2, inj()).rt.run()).toThrow(
      /says task 0 but this is a failure choice/,
    );
  });

  it('a fallback decides after the prefix (prefix mode)', () => {
    const { rt, order } = build(new ReplayScheduler('1', { fallback: new RoundRobinScheduler() }), 2, 2);
    const out = rt.run();
    expect(order.join(' ')).toBe('t1 t0 t1 t0');
    expect(out.schedule.startsWith('1')).toBe(true);
  });

  it('lenient mode drops tokens that do not fit and counts them', () => {
    const r = new ReplayScheduler('7.0.9', { lenient: true });
    const { rt } = build(r, 2, 2);
    const out = rt.run();
    expect(out.allDone).toBe(true);
    expect(r.divergences).toBe(2);
  });

  it('rejects a malformed schedule at construction', () => {
    expect(() => new ReplayScheduler('0.zz')).toThrow(/run 2 'zz'/);
  });
});
