import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Runtime } from '../../src/sim/runtime.js';
import { RoundRobinScheduler, RunToCompletionScheduler, type Scheduler } from '../../src/sim/scheduler.js';
import type { Task } from '../../src/sim/task.js';
import { Trace } from '../../src/sim/trace.js';
import type { K, Waiter, WaitKey } from '../../src/sim/types.js';
import { defaultWaitHash, WAKE_HISTORY, WaitTable } from '../../src/sim/wait-table.js';
import { key } from './helpers.js';

/** Every key lands on bucket index % 2: forced collisions. */
const twoBuckets = (k: WaitKey) => k.index % 2;

/** A waiter task doing the L3 sleep for one key, recording when it wakes. */
function sleeper(rt: Runtime, wq: WaitTable, index: number, log: string[]): () => K<void> {
  return function* () {
    const w = wq.prepareToWaitExclusive(key(index));
    yield* rt.schedule();
    wq.finishWait(w);
    log.push(`${rt.current.name} woke`);
  };
}

describe('WaitTable wake-ups (L2)', () => {
  it('L2: wake-one skips waiters with other keys on a shared bucket; they do not count', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const wq = new WaitTable(rt, { hash: twoBuckets });
    const log: string[] = [];
    const a = rt.spawn('a-0x202', sleeper(rt, wq, 0x202, log));
    const b = rt.spawn('b-0x200', sleeper(rt, wq, 0x200, log));
    const c = rt.spawn('c-0x200', sleeper(rt, wq, 0x200, log));
    let woken = -1;
    rt.spawn('waker', function* () {
      yield 'p';
      expect(wq.queueOf(key(0x202))).toBe(wq.queueOf(key(0x200)));
      expect(wq.waiters(0).map((w) => w.task)).toEqual([a, b, c]);
      woken = wq.wakeUp(key(0x200), false);
    });
    const out = rt.run();
    expect(woken).toBe(1);
    expect(log).toEqual(['b-0x200 woke']);
    expect(out.stuck.map((s) => s.task)).toEqual([a, c]);
    expect(wq.waiters(0).map((w) => w.task)).toEqual([a, c]);
  });

  it('L2: wake-all wakes every matching waiter and only those', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const wq = new WaitTable(rt, { hash: twoBuckets });
    const log: string[] = [];
    rt.spawn('a', sleeper(rt, wq, 0x202, log));
    rt.spawn('b', sleeper(rt, wq, 0x200, log));
    rt.spawn('c', sleeper(rt, wq, 0x200, log));
    let woken = -1;
    rt.spawn('waker', function* () {
      yield 'p';
      woken = wq.wakeUp(key(0x200), true);
      expect(wq.wakeUp(key(0x204), true)).toBe(0);
    });
    const out = rt.run();
    expect(woken).toBe(2);
    expect(log.sort()).toEqual(['b woke', 'c woke']);
    expect(out.stuck.map((s) => s.task.name)).toEqual(['a']);
    expect(wq.waitersFor(key(0x202))).toBe(1);
    expect(wq.allWaiters().map((w) => w.key.index)).toEqual([0x202]);
  });

  it('L2: keys match by mapping id and index; another mapping with the same index is not woken', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const wq = new WaitTable(rt, { hash: () => 7 });
    const other = { mapping: { id: 2 }, index: 0x200 };
    const t = rt.spawn('other-mapping', function* () {
      const w = wq.prepareToWaitExclusive(other);
      yield* rt.schedule();
      wq.finishWait(w);
    });
    rt.spawn('waker', function* () {
      yield 'p';
      expect(wq.wakeUp(key(0x200), true)).toBe(0);
      expect(wq.wakeUp({ mapping: { id: 2, name: 'copy' }, index: 0x200 }, false)).toBe(1);
    });
    expect(rt.run().allDone).toBe(true);
    expect(t.done).toBe(true);
  });

  it('L2: the default hash is deterministic, in range, and spreads keys and mappings', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(2 ** 40), fc.integer({ min: 1, max: 16 }), (id, index, bits) => {
        const k = { mapping: { id }, index };
        const h = defaultWaitHash(k, bits);
        expect(h).toBe(defaultWaitHash({ mapping: { id }, index }, bits));
        expect(Number.isInteger(h) && h >= 0 && h < 2 ** bits).toBe(true);
      }),
    );
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const wq = new WaitTable(rt);
    expect(wq.size).toBe(4096);
    const buckets = new Set(Array.from({ length: 1000 }, (_, i) => wq.queueOf(key(i))));
    expect(buckets.size).toBeGreaterThan(700);
    expect(wq.queueOf({ mapping: { id: 2 }, index: 5 })).not.toBe(
      wq.queueOf({ mapping: { id: 5 }, index: 2 }),
    );
  });
});

describe('WaitTable sleeping (L3)', () => {
  it('L3: a wake-up between prepareToWaitExclusive and schedule means the task does not sleep', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler(), trace: new Trace() });
    const wq = new WaitTable(rt);
    const states: string[] = [];
    const a = rt.spawn('a', function* () {
      const w = wq.prepareToWaitExclusive(key(1));
      states.push(rt.current.state);
      yield 'window before schedule';
      states.push(rt.current.state);
      yield* rt.schedule();
      states.push(rt.current.state);
      wq.finishWait(w);
      states.push(rt.current.state);
    });
    rt.spawn('b', function* () {
      expect(wq.wakeUp(key(1), false)).toBe(1);
      yield 'p';
    });
    expect(rt.run().allDone).toBe(true);
    expect(states).toEqual(['sleeping', 'running', 'running', 'running']);
    expect(rt.trace.events.some((e) => e.type === 'sleep' && e.task === a.id)).toBe(false);
  });

  it('L3: a task preempted after prepareToWait stays runnable, and schedule() then sleeps', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const wq = new WaitTable(rt);
    const a = rt.spawn('a', function* () {
      const w = wq.prepareToWaitExclusive(key(1));
      yield 'preempted while marked';
      yield* rt.schedule();
      wq.finishWait(w);
    });
    rt.spawn('b', function* () {
      yield 'p';
      yield 'p';
      yield 'p';
      expect(a.state).toBe('sleeping');
      expect(a.isRunnable()).toBe(false);
      wq.wakeUp(key(1), false);
    });
    rt.step();
    expect(a.state).toBe('runnable');
    expect(a.sleepMark).toBe(true);
    expect(rt.run().allDone).toBe(true);
  });

  it("misuse throws: queueing twice without finishWait; finishing another task's waiter", () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const wq = new WaitTable(rt);
    let first: Waiter | null = null;
    const a = rt.spawn('a', function* () {
      first = wq.prepareToWaitExclusive(key(1));
      wq.prepareToWaitExclusive(key(2));
      yield 'never';
    });
    const b = rt.spawn('b', function* () {
      yield 'p';
      wq.finishWait(first!);
    });
    rt.run();
    expect(String(a.error)).toMatch(/a#0 is still queued with m:0x1 \(missing finishWait\?\)/);
    expect(String(b.error)).toMatch(/waiter belongs to a#0, called by b#1/);
    expect(rt.bugs.map((x) => x.kind)).toContain('exit-on-wait-queue');
    expect(wq.allWaiters()).toEqual([]);
  });

  it('V1: each bucket keeps its last WAKE_HISTORY wake-up calls, oldest first', () => {
    const rt = new Runtime({ scheduler: new RunToCompletionScheduler() });
    const wq = new WaitTable(rt, { hash: () => 3 });
    rt.spawn('w', function* () {
      for (let i = 0; i < WAKE_HISTORY + 3; i++) {
        wq.wakeUp(key(i), i % 2 === 0);
        yield 'p';
      }
    });
    rt.run();
    const h = wq.lastWakeups(3);
    expect(h).toHaveLength(WAKE_HISTORY);
    expect(h.map((r) => r.key.index)).toEqual(Array.from({ length: WAKE_HISTORY }, (_, i) => i + 3));
    expect(h[0]!.waker?.name).toBe('w');
    expect(() => wq.waiters(4096)).toThrow(RangeError);
  });
});

/** Model-based test: puppets execute wait-table commands; a reference model predicts every outcome. */
type Cmd =
  | { op: 'prepare'; task: number; key: number }
  | { op: 'schedule'; task: number }
  | { op: 'finish'; task: number }
  | { op: 'wake'; key: number; all: boolean };

const PUPPETS = 3;
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ op: fc.constant<'prepare'>('prepare'), task: fc.nat(PUPPETS - 1), key: fc.nat(3) }),
  fc.record({ op: fc.constant<'schedule'>('schedule'), task: fc.nat(PUPPETS - 1) }),
  fc.record({ op: fc.constant<'finish'>('finish'), task: fc.nat(PUPPETS - 1) }),
  fc.record({ op: fc.constant<'wake'>('wake'), key: fc.nat(3), all: fc.boolean() }),
);

/** The reference: per task its queued key, sleep mark and blocked flag; one FIFO of queued tasks. */
class ReferenceTable {
  readonly tasks = Array.from({ length: PUPPETS }, () => ({
    queuedKey: null as number | null,
    mark: false,
    blocked: false,
    hasWaiter: false,
  }));
  readonly fifo: number[] = [];

  prepare(t: number, k: number): void {
    Object.assign(this.tasks[t]!, { queuedKey: k, mark: true, hasWaiter: true });
    this.fifo.push(t);
  }

  schedule(t: number): void {
    const m = this.tasks[t]!;
    if (m.mark) m.blocked = true;
  }

  finish(t: number): void {
    const m = this.tasks[t]!;
    if (m.queuedKey !== null) this.fifo.splice(this.fifo.indexOf(t), 1);
    Object.assign(m, { queuedKey: null, mark: false });
  }

  /** Wake matching marked waiters in FIFO order; others are skipped and do not count. */
  wake(k: number, all: boolean): number {
    let n = 0;
    for (const id of [...this.fifo]) {
      const m = this.tasks[id]!;
      if (m.queuedKey !== k || !m.mark) continue;
      this.fifo.splice(this.fifo.indexOf(id), 1);
      Object.assign(m, { queuedKey: null, mark: false, blocked: false });
      n++;
      if (!all) break;
    }
    return n;
  }
}

/** Puppet tasks 0..PUPPETS (the last one wakes): `act(i, f)` runs f as task i for one step. */
function puppets() {
  let target = 0;
  const scheduler: Scheduler = { name: 'puppeteer', pick: (r) => r.find((t) => t.id === target) ?? r[0]! };
  const rt = new Runtime({ scheduler });
  const wq = new WaitTable(rt, { hash: twoBuckets });
  const mailbox: ((() => K<void> | undefined) | null)[] = [];
  const tasks: Task[] = [];
  for (let i = 0; i <= PUPPETS; i++) {
    mailbox.push(null);
    tasks.push(
      rt.spawn(`p${i}`, function* () {
        for (;;) {
          const body = mailbox[i]?.();
          mailbox[i] = null;
          if (body) yield* body;
          else yield 'idle';
        }
      }),
    );
  }
  const act = (i: number, f: () => K<void> | undefined): void => {
    mailbox[i] = f;
    target = i;
    rt.step();
    expect(rt.lastRun).toBe(tasks[i]);
  };
  return { rt, wq, tasks, act };
}

describe('WaitTable against a reference model (L2, L3)', () => {
  it('L2/L3: queues, wake counts, sleep marks and blocking match the model for any command sequence', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { maxLength: 40 }), (cmds) => {
        const { rt, wq, tasks, act } = puppets();
        const ref = new ReferenceTable();
        const waiters: (Waiter | null)[] = tasks.map(() => null);
        for (const c of cmds) {
          if (c.op === 'wake') {
            let got = -1;
            act(PUPPETS, () => {
              got = wq.wakeUp(key(c.key), c.all);
              return undefined;
            });
            expect(got).toBe(ref.wake(c.key, c.all));
          } else {
            const m = ref.tasks[c.task]!;
            if (m.blocked) continue;
            if (c.op === 'prepare' && m.queuedKey === null) {
              act(c.task, () => {
                waiters[c.task] = wq.prepareToWaitExclusive(key(c.key));
                return undefined;
              });
              ref.prepare(c.task, c.key);
            } else if (c.op === 'schedule') {
              act(c.task, () => rt.schedule());
              ref.schedule(c.task);
            } else if (c.op === 'finish' && m.hasWaiter) {
              act(c.task, () => {
                wq.finishWait(waiters[c.task]!);
                return undefined;
              });
              ref.finish(c.task);
            }
          }
          for (const b of [0, 1]) {
            const want = ref.fifo.filter((id) => ref.tasks[id]!.queuedKey! % 2 === b);
            expect(wq.waiters(b).map((w) => w.task.id)).toEqual(want);
          }
          for (let i = 0; i < PUPPETS; i++) {
            expect(tasks[i]!.isRunnable()).toBe(!ref.tasks[i]!.blocked);
            expect(tasks[i]!.sleepMark).toBe(ref.tasks[i]!.mark);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('waitqueue_active (L2, L4)', () => {
  it('L2: active says whether any task waits on the key bucket, whatever its key', () => {
    const rt = new Runtime({ scheduler: new RoundRobinScheduler() });
    const wq = new WaitTable(rt, { hash: twoBuckets });
    const log: string[] = [];
    expect(wq.active(key(0))).toBe(false);
    rt.spawn('s', sleeper(rt, wq, 2, log));
    rt.step();
    expect(wq.active(key(2))).toBe(true);
    expect(wq.active(key(4))).toBe(true); // same bucket, other key
    expect(wq.active(key(1))).toBe(false);
  });
});
