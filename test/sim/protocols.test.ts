/**
 * Toy kernel protocols on the sim primitives, checked under every schedule (S2, S6, L2-L5, V1).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PctScheduler } from '../../src/sim/pct-scheduler.js';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { ReplayScheduler } from '../../src/sim/replay-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import { RoundRobinScheduler, type Scheduler } from '../../src/sim/scheduler.js';
import { SpinLock } from '../../src/sim/spinlock.js';
import { formatStuckReport } from '../../src/sim/stuck-report.js';
import type { K } from '../../src/sim/types.js';
import { WaitTable } from '../../src/sim/wait-table.js';
import { enumerateSchedules, key, toyWorld } from './helpers.js';

/** Producer sets a flag under the lock and wakes consumers keyed on 0x10; consumers wait for it (L3). */
function handOff(scheduler: Scheduler, consumers: number, wakeAll: boolean): Runtime {
  const rt = new Runtime({ scheduler, recordChoices: true });
  const lock = new SpinLock(rt, 'lock');
  const wq = new WaitTable(rt);
  let ready = false;
  const consumer = function* (): K<string> {
    yield* lock.lock();
    while (!ready) {
      const w = wq.prepareToWaitExclusive(key(0x10));
      lock.unlock();
      yield* rt.schedule();
      wq.finishWait(w);
      yield* lock.lock();
    }
    lock.unlock();
    return 'consumed';
  };
  for (let i = 0; i < consumers; i++) rt.spawn(`consumer${i}`, consumer);
  rt.spawn('producer', function* () {
    yield* lock.lock();
    ready = true;
    lock.unlock();
    wq.wakeUp(key(0x10), wakeAll);
  });
  return rt;
}

describe('hand-off protocols under every schedule (S2, L2, L3, V1)', () => {
  it('L3/L2: wake-all hand-off to two consumers completes under every schedule', () => {
    const e = enumerateSchedules(
      (s) => handOff(s, 2, true),
      (rt, out) => {
        expect(out.allDone, `${out.schedule}\n${formatStuckReport(out.stuck)}`).toBe(true);
        expect(rt.tasks.map((t) => t.result)).toEqual(['consumed', 'consumed', undefined]);
        expect(rt.bugs).toEqual([]);
      },
    );
    expect(e.executions).toBe(e.schedules.size);
    expect(e.executions).toBeGreaterThan(10);
  });

  it('V1: wake-one hand-off to two consumers loses a wake-up under some schedule, found exhaustively', () => {
    const stuck: string[] = [];
    const e = enumerateSchedules(
      (s) => handOff(s, 2, false),
      (_rt, out) => {
        if (!out.allDone) stuck.push(out.schedule);
      },
    );
    expect(stuck.length).toBeGreaterThan(0);
    expect(stuck.length).toBeLessThan(e.executions);
    // The first stuck schedule replays to the same stuck task (S6).
    const rt = handOff(new ReplayScheduler(stuck[0]!), 2, false);
    const out = rt.run();
    expect(out.allDone).toBe(false);
    expect(out.stuck).toHaveLength(1);
    const w = out.stuck[0]!.waitingOn;
    expect(w?.kind === 'wait-queue' && w.key.index).toBe(0x10);
  });

  it('V1: one consumer with wake-one is fine under every schedule (nothing to lose)', () => {
    enumerateSchedules(
      (s) => handOff(s, 1, false),
      (_rt, out) => expect(out.allDone).toBe(true),
    );
  });
});

/** Three tasks lock one entry in turn (L3 + L4 with wake-one): the correct entry lock. */
function entryLockers(scheduler: Scheduler, n: number): Runtime {
  const { rt, tree } = toyWorld(scheduler, { recordChoices: true });
  let inside = 0;
  let maxInside = 0;
  for (let i = 0; i < n; i++) {
    rt.spawn(`t${i}`, function* () {
      yield* tree.lockEntry(0x200);
      inside++;
      maxInside = Math.max(maxInside, inside);
      yield 'critical';
      inside--;
      yield* tree.unlockEntry(0x200);
      return maxInside;
    });
  }
  return rt;
}

describe('entry lock bit protocol (L3, L4)', () => {
  it('L3/L4: three lockers of one entry are mutually exclusive and all finish under every schedule', () => {
    const e = enumerateSchedules(
      (s) => entryLockers(s, 3),
      (rt, out) => {
        expect(out.allDone, formatStuckReport(out.stuck)).toBe(true);
        for (const t of rt.tasks) expect(t.result).toBe(1);
      },
      200_000,
    );
    expect(e.executions).toBe(e.schedules.size);
  });
});

/**
 * The review thread's table (seed, "Thread 1 / Thread 2 / Thread 3"): thread 1 holds the PMD
 * entry 0x200; threads 2 and 3 sleep on key 0x200 wanting 0x203 and 0x204; thread 1 downgrades
 * (deletes the PMD entry), wakes one (or all) on 0x200 and inserts a PTE entry at 0x202; thread
 * 2 takes 0x203 and later wakes one on 0x203 only.
 */
function reviewThread(scheduler: Scheduler, downgradeWakesAll: boolean) {
  const { rt, treeLock, wq } = toyWorld(scheduler, { trace: true });
  const PMD = 0x200;
  let pmd: 'locked' | null = null;
  const ptes = new Map<number, 'locked' | 'unlocked'>();
  /** L3 for a PTE index: returns with tree_lock held. */
  function* getUnlocked(index: number): K<void> {
    for (;;) {
      if (pmd === 'locked') {
        const w = wq.prepareToWaitExclusive(key(PMD));
        treeLock.unlock();
        yield* rt.schedule();
        wq.finishWait(w);
      } else if (ptes.get(index) === 'locked') {
        const w = wq.prepareToWaitExclusive(key(index));
        treeLock.unlock();
        yield* rt.schedule();
        wq.finishWait(w);
      } else return;
      yield* treeLock.lock();
    }
  }
  function* ptePath(index: number): K<void> {
    yield* treeLock.lock();
    yield* getUnlocked(index);
    ptes.set(index, 'locked');
    treeLock.unlock();
    yield `work 0x${index.toString(16)}`;
    yield* treeLock.lock();
    ptes.set(index, 'unlocked');
    treeLock.unlock();
    wq.wakeUp(key(index), false);
  }
  rt.spawn('thread1', function* () {
    yield* treeLock.lock();
    pmd = 'locked';
    treeLock.unlock();
    yield 'hold PMD lock 0x200';
    yield 'hold PMD lock 0x200';
    yield* treeLock.lock();
    pmd = null;
    wq.wakeUp(key(PMD), downgradeWakesAll);
    ptes.set(0x202, 'locked');
    treeLock.unlock();
    yield 'insert PTE @ 0x202';
    yield* treeLock.lock();
    ptes.set(0x202, 'unlocked');
    treeLock.unlock();
    wq.wakeUp(key(0x202), false);
  });
  rt.spawn('thread2', () => ptePath(0x203));
  rt.spawn('thread3', () => ptePath(0x204));
  return rt;
}

/** The scripted interleaving of the table (what round robin produces here). */
const REVIEW_SCHEDULE = '0.1.2.0.1.2.1.0.1.0';

describe('review thread lost wake-up (L2, L4, V1)', () => {
  it('V1: with wake-one on downgrade, thread3 sleeps forever on key 0x200 under the scripted schedule', () => {
    const rt = reviewThread(new ReplayScheduler(REVIEW_SCHEDULE), false);
    const out = rt.run();
    expect(out.allDone).toBe(false);
    expect(out.stuck.map((s) => s.task.name)).toEqual(['thread3']);
    const s = out.stuck[0]!;
    expect(s.state).toBe('sleeping');
    expect(s.waitingOn?.kind).toBe('wait-queue');
    if (s.waitingOn?.kind !== 'wait-queue') return;
    expect(s.waitingOn.key.index).toBe(0x200);
    // The evidence: thread1 woke one of 0x200 (thread2), thread2 later woke one of 0x203 (nobody).
    const text = formatStuckReport(out.stuck);
    expect(text).toContain('thread3#2 sleeping at schedule');
    expect(text).toContain('key m:0x200');
    expect(text).toContain('thread1#0 woke one of m:0x200 -> thread2#1');
    const wakes = s.lastWakeups.map((r) => [r.waker?.name, r.key.index, r.woken.map((t) => t.name)]);
    expect(wakes).toContainEqual(['thread1', 0x200, ['thread2']]);
  });

  it('S2: the scripted schedule is what round robin records for this protocol', () => {
    const out = reviewThread(new RoundRobinScheduler(), false).run();
    expect(out.schedule).toBe(REVIEW_SCHEDULE);
  });

  it('L2: with wake-all on downgrade (the fix), the same round-robin interleaving completes', () => {
    const out = reviewThread(new RoundRobinScheduler(), true).run();
    expect(out.allDone, formatStuckReport(out.stuck)).toBe(true);
  });

  it('L2: with wake-all, every random and PCT schedule completes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 3 }), (seed, depth) => {
        for (const s of [new RandomScheduler(seed), new PctScheduler({ seed, depth, maxSteps: 40 })]) {
          const out = reviewThread(s, true).run();
          expect(out.allDone, `${s.name} seed ${seed}: ${out.schedule}`).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});
