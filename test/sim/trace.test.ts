import { describe, expect, it } from 'vitest';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import { SpinLock } from '../../src/sim/spinlock.js';
import { renderValue, Trace } from '../../src/sim/trace.js';

describe('Trace (S5)', () => {
  it('S5: a disabled trace records nothing, and a runtime without a trace gets a disabled one', () => {
    const t = Trace.disabled();
    t.emit({ type: 'point', step: 1, task: 0, point: 'x' });
    expect(t.events).toEqual([]);
    const rt = new Runtime({ scheduler: new RandomScheduler(1) });
    const l = new SpinLock(rt, 'L');
    rt.spawn('a', function* () {
      yield* l.lock();
      l.unlock();
      rt.model('dax_pte_fault', 'P2', { index: 3 });
    });
    rt.run();
    expect(rt.trace.enabled).toBe(false);
    expect(rt.trace.events).toEqual([]);
  });

  it('S5: every point, lock operation, state change and exit is an event, in order, stamped with the step', () => {
    const rt = new Runtime({
      scheduler: new RandomScheduler(1),
      trace: new Trace(),
      elideForcedPoints: false,
    });
    const l = new SpinLock(rt, 'L', 'tree_lock');
    rt.spawn('a', function* () {
      yield* l.lock();
      l.unlock();
      rt.model('dax_pte_fault', 'P2', { index: 3 }, 'dev 0:0 ino 0x1');
      return 'ok';
    });
    rt.run();
    expect(rt.trace.events).toEqual([
      { type: 'spawn', step: 0, task: 0, name: 'a', after: [] },
      { type: 'point', step: 1, task: 0, point: 'spin_lock(L)' },
      {
        type: 'lock',
        step: 2,
        task: 0,
        op: 'acquire',
        lock: 'L',
        cls: 'tree_lock',
        kind: 'spinlock',
        mode: 'exclusive',
      },
      {
        type: 'lock',
        step: 2,
        task: 0,
        op: 'release',
        lock: 'L',
        cls: 'tree_lock',
        kind: 'spinlock',
        mode: 'exclusive',
      },
      {
        type: 'model',
        task: 0,
        step: 2,
        name: 'dax_pte_fault',
        rule: 'P2',
        fields: { index: 3 },
        text: 'dev 0:0 ino 0x1',
      },
      { type: 'state', step: 2, task: 0, from: 'running', to: 'done' },
      { type: 'exit', step: 2, task: 0, result: 'ok' },
    ]);
    rt.trace.clear();
    expect(rt.trace.events).toEqual([]);
  });

  it('renderValue is deterministic and identity-free', () => {
    expect(renderValue(undefined)).toBe('undefined');
    expect(renderValue({ a: 1 })).toBe('{"a":1}');
    expect(renderValue(new RangeError('bad'))).toBe('RangeError: bad');
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(renderValue(cyclic)).toBe('[object Object]');
  });
});
