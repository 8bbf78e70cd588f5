import { describe, expect, it } from 'vitest';
import { Mutex } from '../../src/sim/mutex.js';
import { Runtime } from '../../src/sim/runtime.js';
import { RwSemaphore } from '../../src/sim/rwsem.js';
import { RoundRobinScheduler, RunToCompletionScheduler } from '../../src/sim/scheduler.js';
import {
  buildStuckReport,
  formatStuckReport,
  formatWakeRecord,
  waitForCycles,
} from '../../src/sim/stuck-report.js';
import { WaitTable } from '../../src/sim/wait-table.js';
import { key } from './helpers.js';

describe('stuck report (V1)', () => {
  it('V1: nothing stuck gives an empty report', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    rt.spawn('ok', function* () {
      yield 'p';
    });
    const out = rt.run();
    expect(out.stuck).toEqual([]);
    expect(formatStuckReport(out.stuck)).toBe('');
  });

  it('V1: a lock wait names the lock, its holder and last holder, and what the waiter holds', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const m = new Mutex(rt, 'M');
    const sem = new RwSemaphore(rt, 'mmap_sem');
    const owner = rt.spawn('owner', function* () {
      yield* m.lock();
      yield 'exit without unlock';
    });
    const waiter = rt.spawn('waiter', function* () {
      yield* sem.downRead();
      yield 'p';
      yield 'p';
      yield* m.lock();
    });
    const out = rt.run();
    expect(out.stuck).toHaveLength(1);
    const s = out.stuck[0]!;
    expect(s.task).toBe(waiter);
    expect(s.holders).toEqual([owner]);
    expect(s.lastHolder).toBe(owner);
    expect(s.held).toEqual(['mmap_sem']);
    const text = formatStuckReport(out.stuck);
    expect(text).toContain('waiter#1 sleeping at mutex_lock(M)');
    expect(text).toContain('waits on mutex M; held by owner#0; last holder owner#0');
    expect(text).toContain('holds mmap_sem');
    expect(waitForCycles(out.stuck)).toEqual([]);
  });

  it('V1: a wait-queue sleep names bucket and key and lists the last wake-ups (or their absence)', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const wq = new WaitTable(rt, { name: 'dax_wait_table', hash: () => 5 });
    rt.spawn('sleeper', function* () {
      wq.prepareToWaitExclusive(key(0x200));
      yield* rt.schedule();
    });
    const lonely = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const wq2 = new WaitTable(lonely);
    lonely.spawn('forgotten', function* () {
      wq2.prepareToWaitExclusive(key(1));
      yield* lonely.schedule();
    });
    rt.spawn('waker', function* () {
      yield 'p';
      wq.wakeUp(key(0x201), false);
    });
    const text = formatStuckReport(rt.run().stuck);
    expect(text).toContain('waits on dax_wait_table bucket 5 for key m:0x200');
    expect(text).toMatch(/step \d+: waker#1 woke one of m:0x201 -> nobody/);
    expect(formatStuckReport(lonely.run().stuck)).toMatch(/no wake-up was ever called on bucket \d+/);
  });

  it('V1: a bare schedule() sleep and unmet `after` dependencies are described', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const sleeper = rt.spawn('bare', function* () {
      // Unreachable through the wait-table API: a sleep mark with no queue entry.
      rt.current.sleepMark = true;
      yield* rt.schedule();
    });
    rt.spawn(
      'dependent',
      function* () {
        yield 'p';
      },
      { after: [sleeper] },
    );
    // Before running, every task counts as not done.
    expect(buildStuckReport(rt.tasks).map((s) => s.task.name)).toEqual(['bare', 'dependent']);
    const out = rt.run();
    const text = formatStuckReport(out.stuck);
    expect(text).toContain('slept in schedule() without being queued anywhere');
    expect(text).toContain('dependent#1 runnable at (never ran)');
    expect(text).toContain('waits for bare#0 to finish');
  });

  it('formatWakeRecord renders waker, key and wakees', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const t = rt.spawn('x', function* () {
      yield 'p';
    });
    expect(formatWakeRecord({ step: 3, waker: null, key: key(0x10), all: true, woken: [t] })).toBe(
      'step 3: outside any task woke all of m:0x10 -> x#0',
    );
  });
});
