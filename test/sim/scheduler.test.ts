import { describe, expect, it } from 'vitest';
import { Runtime } from '../../src/sim/runtime.js';
import { RoundRobinScheduler, RunToCompletionScheduler, type Scheduler } from '../../src/sim/scheduler.js';
import type { K } from '../../src/sim/types.js';

/** Three tasks of `n` points each; returns the order in which steps ran (task names). */
function runOrder(scheduler: Scheduler, n = 3): string[] {
  const rt = new Runtime({ scheduler });
  const order: string[] = [];
  for (const name of ['a', 'b', 'c']) {
    rt.spawn(name, function* (): K<void> {
      for (let i = 0; i < n; i++) {
        order.push(name);
        yield 'p';
      }
    });
  }
  expect(rt.run().allDone).toBe(true);
  return order;
}

describe('deterministic schedulers (S2)', () => {
  it('S2: run-to-completion keeps the current task while it is runnable', () => {
    expect(runOrder(new RunToCompletionScheduler()).join('')).toBe('aaabbbccc');
  });

  it('S2: round robin rotates through runnable tasks by id', () => {
    expect(runOrder(new RoundRobinScheduler()).join('')).toBe('abcabcabc');
  });

  it('S2: round robin skips finished tasks and wraps', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const order: string[] = [];
    rt.spawn('short', function* () {
      order.push('s');
      yield 'p';
    });
    rt.spawn('long', function* () {
      for (let i = 0; i < 3; i++) {
        order.push('l');
        yield 'p';
      }
    });
    rt.run();
    expect(order.join('')).toBe('slll');
  });

  it('S4: the deterministic schedulers never choose a failure', () => {
    expect(new RunToCompletionScheduler().chooseFailure()).toBe(false);
    expect(new RoundRobinScheduler().chooseFailure()).toBe(false);
  });
});
