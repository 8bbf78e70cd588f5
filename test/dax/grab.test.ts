/**
 * G1-G5 (grab_mapping_entry): falling back on 4 KiB users, downgrading 2 MiB zero and
 * empty entries, inserting empty entries (with H7's second look-up), hole pages and any
 * other DAX entry.
 */
import { describe, expect, it } from 'vitest';
import { describeEntry, isDaxEntry, type MappingItem } from '../../src/dax/entry.js';
import { putLockedMappingEntry } from '../../src/dax/entry-lock.js';
import { type GrabResult, grabMappingEntry, isGrabError } from '../../src/dax/grab.js';
import { RoundRobinScheduler } from '../../src/sim/scheduler.js';
import type { Task } from '../../src/sim/task.js';
import { xfsFreeFileSpace } from '../../src/syscalls/fallocate.js';
import type { World, WorldOptions } from '../../src/workload/world.js';
import { dataFile, MiB, P_WHOLE, proc, Q_HIGH } from '../helpers/fixtures.js';
import { holdEntry, holding, untilWaiters, yieldUntil } from '../helpers/hold.js';
import { entryAt, modelEvents, ptAt, treeSummary } from '../helpers/inspect.js';
import { REVIEW_YAML, reviewScheduler } from '../helpers/review.js';
import { runYaml } from '../helpers/scenario.js';
import { loadMap, makeWorld, runTask, runWorld, spawn, vaddrOf } from '../helpers/world.js';

/** p maps the file whole (2 MiB faults), q and r 1 MiB of it from 2 MiB (4 KiB faults only). */
function twoSizes(opts: Partial<WorldOptions> = {}): World {
  return makeWorld({
    processes: [P_WHOLE, Q_HIGH, proc('r', 'm', 0, 4 * MiB)],
    ...opts,
  });
}

/** Grab, describe what came back, put it: the description of a grab's result. */
function grabOnce(world: World, index: number, size: 'pte' | 'pmd'): string {
  const mapping = world.file('data');
  return runTask(world, `grab-${index}`, function* () {
    const got = yield* grabMappingEntry(world, mapping, index, size);
    if (isGrabError(got)) return got;
    const text = describeEntry(got);
    yield* putLockedMappingEntry(world, mapping, index, got);
    return text;
  });
}

describe('G1: a 2 MiB grab meets a 4 KiB user', () => {
  it('G1: a hole page in the range: EEXIST, nothing changes, nothing stays locked', () => {
    const world = twoSizes();
    runTask(world, 'hole', () => loadMap(world, 'q', 's', 0, 1)); // hole page at 0x200
    expect(treeSummary(world.file('data'))).toEqual(['0x200:hole-page']);
    expect(grabOnce(world, 0x200, 'pmd')).toBe('EEXIST');
    expect(treeSummary(world.file('data'))).toEqual(['0x200:hole-page']);
    expect(runWorld(world).violations).toEqual([]);
  });

  it('G1: a 4 KiB DAX entry at the aligned index: EEXIST, and the wake-up it consumed is passed on (L5)', () => {
    const world = twoSizes({ scheduler: new RoundRobinScheduler() });
    const mapping = world.file('data');
    const results: GrabResult[] = [];
    let others: Task[] = [];
    const grab = (size: 'pte' | 'pmd') =>
      function* () {
        const got = yield* grabMappingEntry(world, mapping, 0x200, size);
        results.push(got);
        if (!isGrabError(got)) yield* putLockedMappingEntry(world, mapping, 0x200, got);
      };
    spawn(world, 'holder', () =>
      holding(world, mapping, 0x200, 'pte', function* () {
        // The 2 MiB grab queues first, so the holder's wake-one goes to it.
        others = [spawn(world, 'pmd', grab('pmd'))];
        yield* untilWaiters(world, mapping, 0x200, 1, '2 MiB grab asleep');
        others.push(spawn(world, 'pte', grab('pte')));
        yield* untilWaiters(world, mapping, 0x200, 2, '4 KiB grab asleep');
      }),
    );
    expect(runWorld(world).violations).toEqual([]);
    expect(others.map((t) => t.state)).toEqual(['done', 'done']);
    expect(results.map((r) => (isGrabError(r) ? r : describeEntry(r)))).toEqual([
      'EEXIST',
      'pte-empty locked',
    ]);
  });
});

describe('G2: a 4 KiB grab downgrades a 2 MiB zero or empty entry', () => {
  it('G2: a 4 KiB fault downgrades a 2 MiB zero entry and unmaps the huge zero page from every process', () => {
    const world = twoSizes();
    const mapping = world.file('data');
    runTask(world, 'p-zero', () => loadMap(world, 'p', 'm', 0x200000, 1));
    runTask(world, 'r-zero', () => loadMap(world, 'r', 'm', 0x300000, 1));
    const pAddr = vaddrOf(world, 'p', 'm', 0x200000);
    const rAddr = vaddrOf(world, 'r', 'm', 0x200000);
    expect(ptAt(world.process('p'), pAddr).huge?.kind).toBe('zero');
    expect(ptAt(world.process('r'), rAddr).huge?.kind).toBe('zero');
    expect(mapping.nrexceptional).toBe(1);
    expect(grabOnce(world, 0x203, 'pte')).toBe('pte-empty locked');
    expect(treeSummary(mapping)).toEqual(['0x203:pte-empty']);
    expect(mapping.nrexceptional).toBe(1);
    expect(ptAt(world.process('p'), pAddr)).toEqual({ pmd: 'none' });
    expect(ptAt(world.process('r'), rAddr)).toEqual({ pmd: 'none' });
    expect(runWorld(world).violations).toEqual([]);
  });

  /** Leave a 2 MiB `kind` entry at 0x200, downgrade it from a 4 KiB grab; the grab's i_mmap_rwsem takes. */
  function downgrade(kind: 'zero' | 'empty'): { tree: string[]; unmaps: number; rule?: string } {
    const world = twoSizes({ trace: true });
    const mapping = world.file('data');
    if (kind === 'zero') {
      runTask(world, 'zero', () => loadMap(world, 'p', 'm', 0x200000, 1));
    } else {
      runTask(world, 'pmd', function* () {
        const got = yield* grabMappingEntry(world, mapping, 0x200, 'pmd');
        if (!isGrabError(got)) yield* putLockedMappingEntry(world, mapping, 0x200, got);
      });
    }
    expect(treeSummary(mapping)).toEqual([`0x200:pmd-${kind}`]);
    const t = spawn(world, 'pte', function* () {
      const got = yield* grabMappingEntry(world, mapping, 0x2ff, 'pte');
      if (!isGrabError(got)) yield* putLockedMappingEntry(world, mapping, 0x2ff, got);
    });
    world.rt.run();
    const unmaps = world.rt.trace.events.filter(
      (e) => e.type === 'lock' && e.task === t.id && e.op === 'acquire' && e.lock === 'i_mmap_rwsem:data',
    ).length;
    const rule = modelEvents(world, 'grab_mapping_entry').at(-1)?.rule;
    return { tree: treeSummary(mapping), unmaps, ...(rule === undefined ? {} : { rule }) };
  }

  it('G2: a 2 MiB empty entry (left by a 2 MiB fault that fell back) is downgraded without an unmap', () => {
    expect(downgrade('empty')).toEqual({ tree: ['0x2ff:pte-empty'], unmaps: 0, rule: 'G2' });
    expect(downgrade('zero')).toEqual({ tree: ['0x2ff:pte-empty'], unmaps: 1, rule: 'G2' });
  });

  it('G2: a preload failure during the downgrade unlocks the entry and returns ENOMEM', () => {
    // Preload call 1 is the 2 MiB fault's G3 insert; call 2 is the downgrade's.
    const world = twoSizes({ inject: [{ site: 'radix-preload', nth: 2 }] });
    const mapping = world.file('data');
    runTask(world, 'zero', () => loadMap(world, 'p', 'm', 0x200000, 1));
    expect(grabOnce(world, 0x205, 'pte')).toBe('ENOMEM');
    expect(entryAt(mapping, 0x200)).toMatchObject({ kind: 'pmd-zero', locked: false });
    expect(runWorld(world).violations).toEqual([]);
  });

  it('G2: the downgrade wakes all waiters keyed on the 2 MiB entry (the review-thread table completes)', () => {
    const { result, report } = runYaml(REVIEW_YAML, { scheduler: reviewScheduler(), trace: true });
    expect(report.tasks).toEqual({ setup: 'done', t1: 'done', t2: 'done', t3: 'done' });
    const wake = modelEvents(result.world, 'dax_wake_mapping_entry_waiter').find((e) => e.rule === 'L2');
    expect(wake?.fields).toMatchObject({ index: '0x200', all: true, woken: 2 });
  });
});

describe('G3: no entry', () => {
  it('G3: a 4 KiB grab inserts a locked empty 4 KiB entry and counts it', () => {
    const world = makeWorld();
    const mapping = world.file('data');
    expect(grabOnce(world, 0x17, 'pte')).toBe('pte-empty locked');
    expect(treeSummary(mapping)).toEqual(['0x17:pte-empty']);
    expect(mapping.nrexceptional).toBe(1);
  });

  it('G3: a 2 MiB grab inserts a locked empty entry at order 9 at the aligned index', () => {
    const world = makeWorld();
    const mapping = world.file('data');
    expect(grabOnce(world, 0x200, 'pmd')).toBe('pmd-empty locked');
    expect(mapping.tree.lookupEntry(0x3ff)).toMatchObject({ index: 0x200, order: 9 });
  });

  it('G3: a 2 MiB insert over a 4 KiB entry elsewhere in the range returns EEXIST and inserts nothing', () => {
    const world = twoSizes({ files: dataFile({ layout: 'allocated' }) });
    const mapping = world.file('data');
    runTask(world, 'small', () => loadMap(world, 'q', 's', 0x7000, 1));
    expect(treeSummary(mapping)).toEqual(['0x207:pte']);
    expect(grabOnce(world, 0x200, 'pmd')).toBe('EEXIST');
    expect(treeSummary(mapping)).toEqual(['0x207:pte']);
    expect(mapping.nrexceptional).toBe(1);
  });

  it('G3: a preload failure returns ENOMEM with nothing inserted', () => {
    const world = makeWorld({ inject: [{ site: 'radix-preload', nth: 1 }] });
    expect(grabOnce(world, 3, 'pte')).toBe('ENOMEM');
    expect(world.file('data').tree.size).toBe(0);
    expect(world.file('data').nrexceptional).toBe(0);
  });

  function racingGrabs(size: 'pte' | 'pmd', mutations: string[] = []) {
    const world = makeWorld({ scheduler: new RoundRobinScheduler(), mutations });
    const mapping = world.file('data');
    const out: string[] = [];
    for (const name of ['a', 'b']) {
      spawn(world, name, function* () {
        const got = yield* grabMappingEntry(world, mapping, 0x200, size);
        out.push(`${name}:${isGrabError(got) ? got : describeEntry(got)}`);
        if (isGrabError(got)) return;
        yield 'test:hold';
        yield* putLockedMappingEntry(world, mapping, 0x200, got);
      });
    }
    const { violations } = runWorld(world);
    return { out, violations, tree: treeSummary(mapping) };
  }

  it('G3/H7: two 2 MiB grabs of one empty block that both preload: the second looks again and waits', () => {
    expect(racingGrabs('pmd')).toEqual({
      out: ['a:pmd-empty locked', 'b:pmd-empty locked'],
      violations: [],
      tree: ['0x200:pmd-empty'],
    });
  });

  it('G3/H7: without the second look-up the loser of the race sees EEXIST for no reason', () => {
    const r = racingGrabs('pmd', ['skip-recheck@grab-recheck']);
    expect(r.out).toEqual(['a:pmd-empty locked', 'b:EEXIST']);
  });

  it('G3 (insert-race-recheck=off, seed and 4.10): a 4 KiB insert that loses a race (EEXIST) starts over and waits for the winner', () => {
    // Without the second look-up the insert itself meets the winner's entry.
    const r = racingGrabs('pte', ['insert-race-recheck=off']);
    expect(r).toEqual({
      out: ['a:pte-empty locked', 'b:pte-empty locked'],
      violations: [],
      tree: ['0x200:pte-empty'],
    });
  });

  it('G3 (insert-race-recheck=on, 4.11 on): the second look-up sees the winner and starts over; an insert error is returned', () => {
    expect(racingGrabs('pte')).toEqual({
      out: ['a:pte-empty locked', 'b:pte-empty locked'],
      violations: [],
      tree: ['0x200:pte-empty'],
    });
    // With the look-up skipped the insert fails, and e3ad61c64abc returns its EEXIST for 4 KiB too.
    expect(racingGrabs('pte', ['skip-recheck@grab-recheck']).out).toEqual(['a:pte-empty locked', 'b:EEXIST']);
  });
});

describe('G4: a hole page', () => {
  it('G4: the hole page is returned with a reference taken and its page lock held', () => {
    const world = twoSizes();
    const mapping = world.file('data');
    runTask(world, 'hole', () => loadMap(world, 'q', 's', 0x1000, 1));
    const page = mapping.tree.lookup(0x201)!;
    if (isDaxEntry(page)) throw new Error('hole page expected');
    let seen: unknown;
    runTask(world, 'grab', function* () {
      const got = yield* grabMappingEntry(world, mapping, 0x201, 'pte');
      seen = { same: got === page, holder: page.lock.holder?.name, refs: page.refcount };
      if (!isGrabError(got)) yield* putLockedMappingEntry(world, mapping, 0x201, got);
    });
    expect(seen).toEqual({ same: true, holder: 'grab', refs: 2 });
    expect(page.refcount).toBe(1);
  });

  function truncatedWhileWaiting(mutations: string[] = []) {
    const world = twoSizes({ scheduler: new RoundRobinScheduler(), mutations });
    const mapping = world.file('data');
    runTask(world, 'hole', () => loadMap(world, 'q', 's', 0x1000, 1));
    const out: { got: MappingItem | string } = { got: 'none' };
    let release = false;
    spawn(world, 'holder', function* () {
      yield* holdEntry(world, mapping, 0x201, 'pte', () => release);
    });
    const page = mapping.tree.lookup(0x201)!;
    if (isDaxEntry(page)) throw new Error('hole page expected');
    spawn(world, 'driver', function* () {
      yield* yieldUntil(() => page.lock.holder?.name === 'holder', 'holder has the page');
      // Punch queues on the page lock first, then the grab: punch gets the page next.
      const punch = spawn(world, 'punch', () => xfsFreeFileSpace(world, mapping, 2 * MiB + 0x1000, 0x1000));
      yield* yieldUntil(() => punch.state === 'sleeping', 'punch waits for the page lock');
      const grab = spawn(world, 'grab', function* () {
        const r = yield* grabMappingEntry(world, mapping, 0x201, 'pte');
        out.got = r;
        if (!isGrabError(r)) yield* putLockedMappingEntry(world, mapping, 0x201, r);
      });
      yield* yieldUntil(() => grab.state === 'sleeping', 'grab waits for the page lock');
      release = true;
    });
    const { violations } = runWorld(world);
    return { got: out.got, violations };
  }

  it('G4: a hole page truncated while the grab slept on its lock: unlock, release, start over', () => {
    const { got, violations } = truncatedWhileWaiting();
    expect(violations).toEqual([]);
    expect(typeof got === 'string' ? got : describeEntry(got)).toBe('pte-empty locked');
  });

  it('G4: without the page->mapping re-check the grab returns the page truncate removed', () => {
    const { got } = truncatedWhileWaiting(['skip-recheck@hole-page-recheck']);
    expect(
      typeof got === 'object' && got !== null && !isDaxEntry(got) ? got.mapping : 'not a page',
    ).toBeNull();
  });
});

describe('G5: any other DAX entry', () => {
  it('G5: a 4 KiB grab inside a mapped 2 MiB entry locks and returns the 2 MiB entry', () => {
    const world = twoSizes({ files: dataFile({ layout: 'allocated' }) });
    runTask(world, 'huge', () => loadMap(world, 'p', 'm', 0x200000, 1));
    expect(grabOnce(world, 0x2f0, 'pte')).toMatch(/^pmd sector=0x[0-9a-f]+ locked$/);
    expect(treeSummary(world.file('data'))).toEqual(['0x200:pmd']);
  });

  it('G5: a 2 MiB grab of a 2 MiB entry and a 4 KiB grab of a 4 KiB entry lock what is there', () => {
    const world = twoSizes({ files: dataFile({ layout: 'allocated' }) });
    runTask(world, 'huge', () => loadMap(world, 'p', 'm', 0, 1));
    runTask(world, 'small', () => loadMap(world, 'q', 's', 0x1000, 1));
    expect(grabOnce(world, 0, 'pmd')).toMatch(/^pmd sector=.* locked$/);
    expect(grabOnce(world, 0x201, 'pte')).toMatch(/^pte sector=.* locked$/);
  });
});
