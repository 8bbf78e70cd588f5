/**
 * Toy kernel protocols written with the sim primitives, shared by the sim tests, and the
 * small holder/waiter task pairs the lock tests line up.
 *
 * Invariants: each builder returns a fresh Runtime; nothing here depends on wall time.
 */

import type { FaultInjector } from '../../src/sim/fault-injector.js';
import { ReplayScheduler } from '../../src/sim/replay-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import type { RunOutcome } from '../../src/sim/runtime-types.js';
import { encodeSchedule, type ScheduleToken } from '../../src/sim/schedule-string.js';
import { RunToCompletionScheduler, type Scheduler } from '../../src/sim/scheduler.js';
import { SpinLock } from '../../src/sim/spinlock.js';
import type { Task } from '../../src/sim/task.js';
import { Trace } from '../../src/sim/trace.js';
import type { K, WaitKey } from '../../src/sim/types.js';
import { WaitTable } from '../../src/sim/wait-table.js';

/** A mapping stand-in for wait keys. */
export const MAPPING = { id: 1, name: 'm' } as const;

/** The key (MAPPING, index). */
export function key(index: number): WaitKey {
  return { mapping: MAPPING, index };
}

/** A toy radix tree of entry lock bits guarded by a spinlock: enough for L3/L4/L5 protocols. */
export class ToyTree {
  readonly locked = new Set<number>();
  readonly present = new Set<number>();
  constructor(
    readonly rt: Runtime,
    readonly treeLock: SpinLock,
    readonly wq: WaitTable,
  ) {}

  /** get_unlocked_mapping_entry (L3): returns with tree_lock held; true if present. */
  *getUnlocked(index: number): K<boolean> {
    for (;;) {
      if (!this.present.has(index) || !this.locked.has(index)) return this.present.has(index);
      const w = this.wq.prepareToWaitExclusive(key(index));
      this.treeLock.unlock();
      yield* this.rt.schedule();
      this.wq.finishWait(w);
      yield* this.treeLock.lock();
    }
  }

  /** Lock an entry for the caller's use (L3 then set the bit); drops tree_lock. */
  *lockEntry(index: number): K<void> {
    yield* this.treeLock.lock();
    yield* this.getUnlocked(index);
    this.present.add(index);
    this.locked.add(index);
    this.treeLock.unlock();
  }

  /** put_locked_mapping_entry (L4): clear the bit under tree_lock, drop it, wake one or all. */
  *unlockEntry(index: number, wakeAll = false): K<void> {
    yield* this.treeLock.lock();
    this.locked.delete(index);
    this.treeLock.unlock();
    this.wq.wakeUp(key(index), wakeAll);
  }
}

/** A runtime plus toy tree with the given scheduler. */
export function toyWorld(
  scheduler: Scheduler = new RunToCompletionScheduler(),
  opts: {
    trace?: boolean;
    injector?: FaultInjector;
    hash?: (k: WaitKey) => number;
    recordChoices?: boolean;
  } = {},
) {
  const rt = new Runtime({
    scheduler,
    trace: new Trace(opts.trace ?? false),
    ...(opts.injector ? { injector: opts.injector } : {}),
    recordChoices: opts.recordChoices ?? false,
  });
  const treeLock = new SpinLock(rt, 'tree_lock');
  const wq = new WaitTable(rt, opts.hash ? { hash: opts.hash } : {});
  return { rt, treeLock, wq, tree: new ToyTree(rt, treeLock, wq) };
}

/** Names of the tasks, for compact assertions. */
export function names(tasks: readonly Task[]): string[] {
  return tasks.map((t) => t.name);
}

/** Result of an exhaustive enumeration. */
export interface Enumeration {
  executions: number;
  schedules: Set<string>;
}

/**
 * Stateless exhaustive search over every schedule (every choice at every point where more than
 * one task was runnable, plus injector choices): replay a prefix, let run-to-completion decide
 * the rest, and push every untried alternative of every new choice. Each complete schedule is
 * visited once. `visit` asserts per execution.
 */
export function enumerateSchedules(
  build: (s: Scheduler) => Runtime,
  visit: (rt: Runtime, out: RunOutcome) => void,
  limit = 20_000,
): Enumeration {
  const stack: ScheduleToken[][] = [[]];
  const schedules = new Set<string>();
  let executions = 0;
  while (stack.length > 0) {
    const prefix = stack.pop()!;
    const rt = build(
      new ReplayScheduler(encodeSchedule(prefix), { fallback: new RunToCompletionScheduler() }),
    );
    const out = rt.run();
    executions++;
    if (executions > limit) throw new Error(`enumerateSchedules: more than ${limit} executions`);
    schedules.add(out.schedule);
    visit(rt, out);
    const choices = rt.choices;
    const taken: ScheduleToken[] = choices.map((c) => (c.kind === 'task' ? c.chosen : c.chosen ? 'F' : 'S'));
    for (let i = prefix.length; i < choices.length; i++) {
      const c = choices[i]!;
      const base = taken.slice(0, i);
      if (c.kind === 'task') {
        for (const o of c.options) if (o !== c.chosen) stack.push([...base, o]);
      } else {
        stack.push([...base, c.chosen ? 'S' : 'F']);
      }
    }
  }
  return { executions, schedules };
}

/** What the lock tests drive: any sim lock taken by a generator and released at once. */
export interface TestLock {
  lock(): K<void>;
  unlock(): void;
}

/**
 * Task a takes `lock` and holds it over the points `holdPoints`; task b then asks for it. Runs
 * 4 steps (a and b to their first points; a takes the lock; b finds it held) and returns both.
 */
export function holderAndWaiter(rt: Runtime, lock: TestLock, holdPoints: readonly string[] = ['hold']) {
  const a = rt.spawn('a', function* () {
    yield* lock.lock();
    for (const p of holdPoints) yield p;
    lock.unlock();
  });
  const b = rt.spawn('b', function* () {
    yield* lock.lock();
    lock.unlock();
  });
  for (let i = 0; i < 4; i++) rt.step();
  return { a, b };
}

/** Spawn task `name`: take `outer`, then `inner`; release `inner`, then `outer`. */
export function spawnNested(rt: Runtime, name: string, outer: TestLock, inner: TestLock): Task {
  return rt.spawn(name, function* () {
    yield* outer.lock();
    yield* inner.lock();
    inner.unlock();
    outer.unlock();
  });
}
