/**
 * L1-L5: tree_lock as a spinlock nobody sleeps under, the hashed exclusive wait queues keyed
 * by (mapping, PMD-aligned index), get-unlocked / unlock / put-unlocked.
 */
import { describe, expect, it } from 'vitest';
import { makeLockedEntry, unlockedEntry } from '../../src/dax/entry.js';
import {
  daxUnlockMappingEntry,
  entryWaitKey,
  getUnlockedMappingEntry,
  putLockedMappingEntry,
  putUnlockedMappingEntry,
  wakeMappingEntryWaiter,
} from '../../src/dax/entry-lock.js';
import type { DaxEnv } from '../../src/dax/env.js';
import { grabMappingEntry, isGrabError } from '../../src/dax/grab.js';
import { MUTATION_SITES } from '../../src/dax/mutation-flags.js';
import { RoundRobinScheduler } from '../../src/sim/scheduler.js';
import type { Task } from '../../src/sim/task.js';
import { WaitTable } from '../../src/sim/wait-table.js';
import type { World } from '../../src/workload/world.js';
import { MiB } from '../helpers/fixtures.js';
import { grabbed, holding, untilWaiters, waitersOn, yieldUntil } from '../helpers/hold.js';
import { describeAt, entryAt } from '../helpers/inspect.js';
import { loadMap, makeWorld, runTask, runWorld, spawn } from '../helpers/world.js';

const SITE = MUTATION_SITES.unlockWake;

function rrWorld(): World {
  return makeWorld({ scheduler: new RoundRobinScheduler() });
}

/** A copy of the world's env with a one-bucket wait table, so every key shares a queue (L2). */
function oneBucketEnv(world: World): DaxEnv {
  return {
    rt: world.rt,
    waitTable: new WaitTable(world.rt, { bits: 0 }),
    fs: world.fs,
    dev: world.dev,
    phys: world.phys,
    counters: world.counters,
    mut: world.mut,
    kernel: world.kernel,
  };
}

/**
 * A task that calls get_unlocked_mapping_entry on `index`, records what it got, passes the
 * wake-up on (L5) and drops tree_lock.
 */
function getter(world: World, env: DaxEnv, index: number, out: { got?: string; heldAfter?: boolean }) {
  const mapping = world.file('data');
  return function* () {
    yield* mapping.treeLock.lockIrq();
    const found = yield* getUnlockedMappingEntry(env, mapping, index);
    out.heldAfter = mapping.treeLock.holders().includes(world.rt.current);
    out.got = found === undefined ? 'none' : describeAt(mapping, index);
    putUnlockedMappingEntry(env, mapping, index, found, SITE);
    mapping.treeLock.unlock();
  };
}

describe('L1: tree_lock', () => {
  it('L1: a task waiting for a locked entry does not hold tree_lock while it sleeps, and has it on return', () => {
    const world = rrWorld();
    const mapping = world.file('data');
    let release = false;
    let treeLockFreeWhileSleeping = false;
    const out: { got?: string; heldAfter?: boolean } = {};
    let w: Task | undefined;
    spawn(world, 'holder', () =>
      holding(world, mapping, 7, 'pte', function* () {
        w = spawn(world, 'waiter', getter(world, world, 7, out));
        yield* yieldUntil(() => release, 'release');
      }),
    );
    spawn(world, 'observer', function* () {
      yield* yieldUntil(() => w?.state === 'sleeping', 'waiter asleep');
      if (w === undefined) return;
      treeLockFreeWhileSleeping =
        mapping.treeLock.holders().length === 0 && !w.held.some((l) => l.cls === 'tree_lock');
      release = true;
    });
    expect(runWorld(world).violations).toEqual([]);
    expect(treeLockFreeWhileSleeping).toBe(true);
    expect(out).toEqual({ got: 'pte-empty', heldAfter: true });
    expect(world.rt.bugs).toEqual([]);
  });
});

describe('L2: keyed exclusive wait queues', () => {
  it('L2: the key of a 2 MiB entry is its PMD-aligned index; a 4 KiB entry keys on its own index', () => {
    const world = makeWorld();
    const mapping = world.file('data');
    expect(entryWaitKey(mapping, 0x203, makeLockedEntry(0, 'pmd', 'zero'))).toEqual({
      mapping,
      index: 0x200,
    });
    expect(entryWaitKey(mapping, 0x203, makeLockedEntry(0, 'pte', 'empty'))).toEqual({
      mapping,
      index: 0x203,
    });
  });

  it('L2: a waiter on a 4 KiB index inside a locked 2 MiB entry sleeps on the 2 MiB key', () => {
    const world = rrWorld();
    const mapping = world.file('data');
    let onPmdKey = -1;
    let release = false;
    spawn(world, 'holder', () =>
      holding(world, mapping, 0x200, 'pmd', function* () {
        spawn(world, 'waiter', getter(world, world, 0x203, {}));
        yield* yieldUntil(() => release, 'release');
      }),
    );
    spawn(world, 'observer', function* () {
      yield* untilWaiters(world, mapping, 0x200, 1, 'a waiter on 0x200');
      onPmdKey = waitersOn(world.waitTable, mapping, 0x203);
      release = true;
    });
    expect(runWorld(world).violations).toEqual([]);
    expect(onPmdKey).toBe(0);
  });

  it('L2: a wake-one skips queued waiters with other keys in the same queue; they do not count', () => {
    const world = rrWorld();
    const env = oneBucketEnv(world);
    const mapping = world.file('data');
    const release = { a: false, b: false };
    for (const [name, index] of [
      ['hold-a', 5],
      ['hold-b', 6],
    ] as const) {
      spawn(world, name, function* () {
        const e = yield* grabbed(env, mapping, index, 'pte');
        yield* yieldUntil(() => (index === 5 ? release.a : release.b), 'release');
        yield* putLockedMappingEntry(env, mapping, index, e);
      });
    }
    let first: Task | undefined;
    let second: Task | undefined;
    let afterA: string[] = [];
    spawn(world, 'driver', function* () {
      yield* yieldUntil(() => mapping.tree.size === 2, 'both entries');
      first = spawn(world, 'wait-6', getter(world, env, 6, {}));
      yield* yieldUntil(() => first!.state === 'sleeping', 'wait-6 asleep');
      second = spawn(world, 'wait-5', getter(world, env, 5, {}));
      yield* yieldUntil(() => second!.state === 'sleeping', 'wait-5 asleep');
      release.a = true;
      yield* yieldUntil(() => second!.done, 'wait-5 done');
      afterA = [first!.state, second!.state];
      release.b = true;
    });
    expect(runWorld(world).violations).toEqual([]);
    expect(afterA).toEqual(['sleeping', 'done']);
    expect(env.waitTable.size).toBe(1);
  });

  it('L2: a wake-all wakes every waiter with the key, a wake-one exactly one', () => {
    const world = rrWorld();
    const mapping = world.file('data');
    const entry = makeLockedEntry(0, 'pte', 'empty');
    const woken: number[] = [];
    let release = false;
    let ws: Task[] = [];
    spawn(world, 'holder', () =>
      holding(world, mapping, 9, 'pte', function* () {
        ws = [0, 1, 2].map((i) => spawn(world, `w${i}`, getter(world, world, 9, {})));
        yield* yieldUntil(() => release, 'release');
      }),
    );
    spawn(world, 'waker', function* () {
      yield* untilWaiters(world, mapping, 9, 3, 'three waiters');
      wakeMappingEntryWaiter(world, mapping, 9, entry, false, SITE);
      woken.push(3 - waitersOn(world.waitTable, mapping, 9));
      wakeMappingEntryWaiter(world, mapping, 9, entry, true, SITE);
      woken.push(3 - waitersOn(world.waitTable, mapping, 9));
      release = true;
    });
    // The woken re-check the entry, find it still locked and queue again until the holder puts it.
    expect(runWorld(world).violations).toEqual([]);
    expect(woken).toEqual([1, 3]);
    expect(ws.map((t) => t.state)).toEqual(['done', 'done', 'done']);
  });
});

describe('L3: get an unlocked entry', () => {
  it('L3: nothing, a hole page or an unlocked DAX entry is returned at once with tree_lock held', () => {
    const world = makeWorld({
      processes: [{ name: 'q', mappings: [{ name: 's', file: 'data', offset: 0, length: 1 * MiB }] }],
    });
    const mapping = world.file('data');
    runTask(world, 'hole', () => loadMap(world, 'q', 's', 0x1000, 1));
    runTask(world, 'entry', () => holding(world, mapping, 2, 'pte', () => {}));
    const got: Record<number, { got?: string; heldAfter?: boolean }> = { 0: {}, 1: {}, 2: {} };
    for (const i of [0, 1, 2]) runTask(world, `get${i}`, getter(world, world, i, got[i]!));
    expect(got[0]).toEqual({ got: 'none', heldAfter: true });
    expect(got[1]!.got).toMatch(/^hole-page pfn=/);
    expect(got[1]!.heldAfter).toBe(true);
    expect(got[2]).toEqual({ got: 'pte-empty', heldAfter: true });
  });

  it('L3: a waiter woken after the entry was deleted looks again and finds nothing', () => {
    const world = rrWorld();
    const mapping = world.file('data');
    const out: { got?: string } = {};
    let w: Task | undefined;
    spawn(world, 'holder', function* () {
      const e = yield* grabbed(world, mapping, 4, 'pte');
      w = spawn(world, 'waiter', getter(world, world, 4, out));
      yield* yieldUntil(() => w!.state === 'sleeping', 'waiter asleep');
      // Delete the locked entry as truncate would once it holds it, and wake all (F3).
      yield* mapping.treeLock.lockIrq();
      mapping.tree.delete(4);
      mapping.nrexceptional--;
      mapping.treeLock.unlock();
      wakeMappingEntryWaiter(world, mapping, 4, e as never, true, MUTATION_SITES.deleteWake);
    });
    expect(runWorld(world).violations).toEqual([]);
    expect(out.got).toBe('none');
  });
});

describe('L4: unlock and put a locked entry', () => {
  it('L4: unlocking clears the lock bit under tree_lock and wakes exactly one waiter', () => {
    const world = rrWorld();
    const mapping = world.file('data');
    let afterUnlock: { locked?: boolean; asleep?: number } = {};
    let ws: Task[] = [];
    spawn(world, 'holder', function* () {
      yield* grabbed(world, mapping, 3, 'pte');
      // Two waiters that, once woken, lock the entry themselves (as a fault would) and keep it.
      ws = [0, 1].map((i) =>
        spawn(world, `w${i}`, function* () {
          const got = yield* grabbed(world, mapping, 3, 'pte');
          yield* yieldUntil(() => afterUnlock.locked !== undefined, 'observation');
          yield* putLockedMappingEntry(world, mapping, 3, got);
        }),
      );
      yield* untilWaiters(world, mapping, 3, 2, 'two waiters');
      yield* daxUnlockMappingEntry(world, mapping, 3);
      // Same step as the wake-up: a woken waiter has left the queue, the other is still on it.
      afterUnlock = { locked: entryAt(mapping, 3)?.locked, asleep: waitersOn(world.waitTable, mapping, 3) };
    });
    expect(runWorld(world).violations).toEqual([]);
    expect(afterUnlock).toEqual({ locked: false, asleep: 1 });
    expect(ws.every((t) => t.done)).toBe(true);
  });

  it('L4: putting a locked hole page unlocks its page lock and drops the reference', () => {
    const world = makeWorld({
      processes: [{ name: 'q', mappings: [{ name: 's', file: 'data', offset: 0, length: 1 * MiB }] }],
    });
    const mapping = world.file('data');
    runTask(world, 'hole', () => loadMap(world, 'q', 's', 0x1000, 1));
    const page = mapping.tree.lookup(1)!;
    if (typeof page !== 'object') throw new Error('hole page expected');
    const before = page.refcount;
    let during: { holder?: string; refs?: number } = {};
    runTask(world, 'grab', function* () {
      const got = yield* grabMappingEntry(world, mapping, 1, 'pte');
      during = { holder: page.lock.holder?.name, refs: page.refcount };
      if (isGrabError(got)) throw new Error(got);
      yield* putLockedMappingEntry(world, mapping, 1, got);
    });
    expect(during).toEqual({ holder: 'grab', refs: before + 1 });
    expect(page.lock.holder).toBeNull();
    expect(page.refcount).toBe(before);
  });
});

describe('L5: put an unlocked entry', () => {
  function scenario(passItOn: boolean) {
    const world = rrWorld();
    const mapping = world.file('data');
    const tasks: Task[] = [];
    spawn(world, 'holder', () =>
      holding(world, mapping, 8, 'pte', function* () {
        // The first waiter decides not to lock the entry (as a 2 MiB grab meeting a 4 KiB entry, G1).
        tasks.push(
          spawn(world, 'decliner', function* () {
            yield* mapping.treeLock.lockIrq();
            const found = yield* getUnlockedMappingEntry(world, mapping, 8);
            if (passItOn) putUnlockedMappingEntry(world, mapping, 8, found, MUTATION_SITES.grabEexistPut);
            mapping.treeLock.unlock();
          }),
        );
        yield* untilWaiters(world, mapping, 8, 1, 'decliner asleep');
        tasks.push(spawn(world, 'locker', getter(world, world, 8, {})));
        yield* untilWaiters(world, mapping, 8, 2, 'locker asleep');
      }),
    );
    const { violations } = runWorld(world);
    return { violations, states: tasks.map((t) => t.state) };
  }

  it('L5: a task that got an entry and declines it passes the exclusive wake-up on', () => {
    expect(scenario(true)).toEqual({ violations: [], states: ['done', 'done'] });
  });

  it('L5: without the put, the second waiter sleeps forever (V1)', () => {
    const r = scenario(false);
    expect(r.states).toEqual(['done', 'sleeping']);
    expect(r.violations.map((v) => v.invariant)).toEqual(['V1']);
  });

  it('L5: putting an empty slot or a hole page wakes nobody', () => {
    const world = rrWorld();
    const mapping = world.file('data');
    let asleep = -1;
    spawn(world, 'holder', function* () {
      const e = yield* grabbed(world, mapping, 6, 'pte');
      const w = spawn(world, 'waiter', getter(world, world, 6, {}));
      yield* yieldUntil(() => w.state === 'sleeping', 'waiter asleep');
      putUnlockedMappingEntry(world, mapping, 6, undefined, SITE);
      yield 'test:after-put';
      asleep = waitersOn(world.waitTable, mapping, 6);
      yield* putLockedMappingEntry(world, mapping, 6, unlockedEntry(e as never));
    });
    expect(runWorld(world).violations).toEqual([]);
    expect(asleep).toBe(1);
  });
});
