import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Runtime } from '../../src/sim/runtime.js';
import { RunToCompletionScheduler } from '../../src/sim/scheduler.js';
import { SpinLock } from '../../src/sim/spinlock.js';
import { Task } from '../../src/sim/task.js';
import type { Lock } from '../../src/sim/types.js';

describe('Task (S1, S3)', () => {
  it('S3: held tracks acquisitions in order and releases in any order (reference: an array)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(4)), { maxLength: 40 }), (ops) => {
        const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
        const locks: Lock[] = [0, 1, 2, 3, 4].map((i) => new SpinLock(rt, `L${i}`));
        const t = new Task(0, 't', function* () {}, [], undefined);
        const ref: Lock[] = [];
        ops.forEach(([take, i], step) => {
          const l = locks[i]!;
          if (take) {
            t.pushHeld(l, step, `site${step}`);
            ref.push(l);
          } else {
            const k = ref.lastIndexOf(l);
            expect(t.dropHeld(l)).toBe(k >= 0);
            if (k >= 0) ref.splice(k, 1);
          }
          expect(t.held).toEqual(ref);
          expect(t.heldStep).toHaveLength(ref.length);
          expect(t.heldSite).toHaveLength(ref.length);
        });
      }),
    );
  });

  it('S1: isRunnable needs every `after` task done; toString is name#id', () => {
    const dep = new Task(0, 'dep', function* () {}, [], undefined);
    const t = new Task(1, 'waiter', function* () {}, [dep], { pid: 1 });
    expect(t.isRunnable()).toBe(false);
    dep.state = 'done';
    expect(t.isRunnable()).toBe(true);
    expect(`${t}`).toBe('waiter#1');
    expect(t.heldSpinlock()).toBeNull();
    expect(t.done).toBe(false);
  });
});
