/**
 * W1-W3 (dax_writeback_mapping_range / dax_writeback_one): tagging, index order, whole-entry
 * flushes from a mid-PMD start, the skips of W2, and the two DIRTY rules of W3.
 */
import { describe, expect, it } from 'vitest';
import { makeLockedEntry } from '../../src/dax/entry.js';
import { putLockedMappingEntry, wakeMappingEntryWaiter } from '../../src/dax/entry-lock.js';
import { MUTATION_SITES } from '../../src/dax/mutation-flags.js';
import { daxWritebackMappingRange } from '../../src/dax/writeback.js';
import { TAG_DIRTY, TAG_TOWRITE } from '../../src/lib/radix-tree.js';
import { unmapMappingRange } from '../../src/mm/unmap.js';
import { RoundRobinScheduler } from '../../src/sim/scheduler.js';
import type { Task } from '../../src/sim/task.js';
import { xfsFileFsync } from '../../src/syscalls/fsync.js';
import type { World, WorldOptions } from '../../src/workload/world.js';
import { media } from '../helpers/data-file.js';
import { dataFile, MiB, P_WHOLE, proc, Q_HIGH } from '../helpers/fixtures.js';
import { grabbed, holding, untilWaiters, yieldUntil } from '../helpers/hold.js';
import { entryAt, modelEvents, ptAt } from '../helpers/inspect.js';
import { describeViolations, runYaml } from '../helpers/scenario.js';
import { YAML_P_WHOLE, YAML_Q_HIGH, yamlScenario, yamlTask } from '../helpers/scenario-yaml.js';
import { makeWorld, runTask, runWorld, spawn, storeMap, vaddrOf } from '../helpers/world.js';

/** Allocated `data`; p maps it whole, q its MiB at 2 MiB, r its first MiB (as s); traced. */
function world2(opts: Partial<WorldOptions> = {}): World {
  return makeWorld({
    files: dataFile({ layout: 'allocated' }),
    processes: [P_WHOLE, Q_HIGH, proc('r', 's', 0, 1 * MiB)],
    trace: true,
    ...opts,
  });
}

function flushed(world: World): [number, number][] {
  return modelEvents(world, 'dax_writeback_one').map((e) => [
    e.fields!.pgoff as number,
    e.fields!.pglen as number,
  ]);
}

describe('W1: tagging and order', () => {
  it('W1: fsync visits TOWRITE entries in index order, a 2 MiB entry once at its aligned index', () => {
    const world = world2();
    runTask(world, 'a', () => storeMap(world, 'r', 's', 0x5000, 'a'));
    runTask(world, 'b', () => storeMap(world, 'p', 'm', 0x200000, 'b'));
    runTask(world, 'c', () => storeMap(world, 'q', 's', 0x3000, 'c'));
    runTask(world, 'd', () => storeMap(world, 'r', 's', 0x3000, 'd'));
    expect(runTask(world, 'fsync', () => xfsFileFsync(world, world.file('data')))).toBeNull();
    expect(flushed(world)).toEqual([
      [3, 1],
      [5, 1],
      [0x200, 512],
    ]);
    for (const i of [3, 5, 0x200]) expect(entryAt(world.file('data'), i)).toMatchObject({ towrite: false });
  });

  it('W1/W2: msync of a sub-range starting mid-PMD flushes the whole 2 MiB entry', () => {
    const world = world2();
    runTask(world, 'a', () => storeMap(world, 'p', 'm', 0x200100, 'low'));
    runTask(world, 'b', () => storeMap(world, 'p', 'm', 0x3ff000, 'high'));
    expect(media(world, 0x200100, 3)).toBe('\0\0\0');
    const mapping = world.file('data');
    runTask(world, 'msync', () => xfsFileFsync(world, mapping, 0x300000, 0x300fff));
    expect(flushed(world)).toEqual([[0x200, 512]]);
    expect(media(world, 0x200100, 3)).toBe('low');
    expect(media(world, 0x3ff000, 4)).toBe('high');
  });

  it('W1/W2: the msync op over a 4 KiB sub-range in the middle of a huge page flushes all 2 MiB (V6)', () => {
    const ops = `
      - write: { map: m, offset: 0x200100, data: "low" }
      - write: { map: m, offset: 0x3ff000, data: "high" }
      - msync: { map: m, offset: 0x300000, length: 0x1000 }
      - crash: { lose: all }
`;
    const tasks = `tasks:\n${yamlTask('t', undefined, ops)}`;
    const { result } = runYaml(yamlScenario('size: 4MiB, layout: allocated', [YAML_P_WHOLE], tasks));
    expect(result.violations).toEqual([]);
    expect(media(result.world, 0x200100, 3)).toBe('low');
    expect(media(result.world, 0x3ff000, 4)).toBe('high');
  });

  it('W1: a range that covers no dirty entry flushes nothing', () => {
    const world = world2();
    runTask(world, 'a', () => storeMap(world, 'r', 's', 0x5000, 'a'));
    runTask(world, 'msync', () => daxWritebackMappingRange(world, world.file('data'), 0x6000, 0x1fffff));
    expect(flushed(world)).toEqual([]);
    expect(media(world, 0x5000, 1)).toBe('\0');
  });
});

describe('W2: skips and errors', () => {
  /** A holder locks the dirty 4 KiB entry 5; `during(holder)` runs while fsyncs wait on it. */
  function heldWhileSyncing(
    nSyncs: number,
    during: (world: World, entry: ReturnType<typeof makeLockedEntry>) => Generator<string, void, void>,
  ) {
    const world = world2({ scheduler: new RoundRobinScheduler() });
    const mapping = world.file('data');
    runTask(world, 'dirty', () => storeMap(world, 'r', 's', 0x5000, 'x'));
    const syncs: Task[] = [];
    const results: unknown[] = [];
    spawn(world, 'holder', function* () {
      const e = yield* grabbed(world, mapping, 5, 'pte');
      for (let i = 0; i < nSyncs; i++) {
        syncs.push(
          spawn(world, `fsync${i}`, function* () {
            results[i] = yield* xfsFileFsync(world, mapping);
          }),
        );
        yield* untilWaiters(world, mapping, 5, i + 1, `fsync${i} waits`);
      }
      yield* during(world, e as ReturnType<typeof makeLockedEntry>);
    });
    const { violations } = runWorld(world);
    return { world, violations, results, states: syncs.map((t) => t.state) };
  }

  it('W2: an entry another fsync already wrote back (TOWRITE gone) is skipped and passed on (L5)', () => {
    const r = heldWhileSyncing(2, function* (world, e) {
      yield* putLockedMappingEntry(world, world.file('data'), 5, e);
    });
    expect(r.violations).toEqual([]);
    expect(r.states).toEqual(['done', 'done']);
    expect(r.results).toEqual([null, null]);
    expect(flushed(r.world)).toEqual([[5, 1]]);
  });

  it('W2: an entry punched out while writeback waited for it is skipped', () => {
    const r = heldWhileSyncing(1, function* (world) {
      const mapping = world.file('data');
      // What truncate does once it holds the entry: unmap, delete, wake all (F3).
      yield* unmapMappingRange(mapping, 5 * 4096, 4096, false);
      yield* mapping.treeLock.lockIrq();
      const gone = mapping.tree.delete(5)!;
      mapping.nrexceptional--;
      mapping.treeLock.unlock();
      wakeMappingEntryWaiter(world, mapping, 5, gone as never, true, MUTATION_SITES.deleteWake);
    });
    expect(r.violations).toEqual([]);
    expect(r.results).toEqual([null]);
    expect(flushed(r.world)).toEqual([]);
  });

  it('W2: an entry reallocated (another sector) while writeback waited for it is skipped', () => {
    let sector = 0;
    const r = heldWhileSyncing(1, function* (world) {
      const mapping = world.file('data');
      yield* mapping.treeLock.lockIrq();
      sector = 0x7000;
      mapping.tree.replace(5, makeLockedEntry(sector, 'pte', 'mapped'));
      mapping.tree.tagSet(5, TAG_TOWRITE);
      mapping.treeLock.unlock();
      yield* putLockedMappingEntry(world, mapping, 5, mapping.tree.lookup(5)!);
    });
    expect(r.results).toEqual([null]);
    expect(flushed(r.world)).toEqual([]);
    expect(entryAt(r.world.file('data'), 5)).toMatchObject({ sector, towrite: true, locked: false });
  });

  it('W2: a zero or empty entry tagged for writeback is a bug: EIO', () => {
    const world = world2({ files: dataFile() });
    const mapping = world.file('data');
    runTask(world, 'zero', () =>
      holding(world, mapping, 0, 'pmd', () => {
        mapping.tree.tagSet(0, TAG_DIRTY);
      }),
    );
    expect(runTask(world, 'fsync', () => xfsFileFsync(world, mapping))).toBe('EIO');
    expect(entryAt(mapping, 0)).toMatchObject({ kind: 'pmd-empty', locked: false });
  });

  it('W2: the entry is locked with TOWRITE clear while its whole size is flushed', () => {
    const world = world2({ scheduler: new RoundRobinScheduler() });
    const mapping = world.file('data');
    runTask(world, 'dirty', () => storeMap(world, 'p', 'm', 0x200000, 'x'));
    let during: unknown;
    const f = spawn(world, 'fsync', () => xfsFileFsync(world, mapping));
    spawn(world, 'observer', function* () {
      yield* yieldUntil(() => f.point === 'dax_direct_access' || f.done, 'the flush');
      during = entryAt(mapping, 0x200);
    });
    expect(runWorld(world).violations).toEqual([]);
    expect(during).toMatchObject({ kind: 'pmd', locked: true, towrite: false, dirty: true });
  });
});

describe('W3: the DIRTY rules', () => {
  it('W3 keep-dirty (dirty-clear=keep, the seed): DIRTY stays after fsync, so the next fsync flushes the entry again', () => {
    const world = world2({ fs: { writeback: 'keep-dirty' } });
    runTask(world, 'w', () => storeMap(world, 'r', 's', 0x1000, 'x'));
    runTask(world, 'f1', () => xfsFileFsync(world, world.file('data')));
    expect(entryAt(world.file('data'), 1)).toMatchObject({ dirty: true, towrite: false });
    runTask(world, 'f2', () => xfsFileFsync(world, world.file('data')));
    expect(flushed(world)).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('W3 clean-dirty: every PTE and huge PMD of the entry is write-protected, DIRTY cleared; a store re-dirties', () => {
    const world = world2({ fs: { writeback: 'clean-dirty' } });
    const mapping = world.file('data');
    runTask(world, 'huge', () => storeMap(world, 'p', 'm', 0x200000, 'p'));
    runTask(world, 'small', () => storeMap(world, 'q', 's', 0x5000, 'q'));
    const huge = vaddrOf(world, 'p', 'm', 0x200000);
    const small = vaddrOf(world, 'q', 's', 0x5000);
    expect(ptAt(world.process('p'), huge).huge?.writable).toBe(true);
    expect(ptAt(world.process('q'), small).pte?.writable).toBe(true);
    runTask(world, 'fsync', () => xfsFileFsync(world, mapping));
    expect(ptAt(world.process('p'), huge).huge?.writable).toBe(false);
    expect(ptAt(world.process('q'), small).pte?.writable).toBe(false);
    expect(entryAt(mapping, 0x200)).toMatchObject({ dirty: false, towrite: false });
    runTask(world, 'again', () => storeMap(world, 'q', 's', 0x5000, 'Q'));
    expect(world.counters.mkwrite).toBe(1);
    expect(entryAt(mapping, 0x200)?.dirty).toBe(true);
    runTask(world, 'fsync2', () => xfsFileFsync(world, mapping));
    expect(media(world, 0x205000, 1)).toBe('Q');
    expect(runWorld(world).violations).toEqual([]);
  });

  for (const rule of ['keep-dirty', 'clean-dirty'] as const) {
    it(`W3 ${rule}: a crash after fsync loses nothing written before it (V6)`, () => {
      const t = `
      - write: { map: s, offset: 0x5000, data: "one" }
      - fsync: { file: data }
      - write: { map: s, offset: 0x7000, data: "two" }
      - fsync: { file: data }
      - write: { map: s, offset: 0x9000, data: "volatile" }
      - crash: { lose: all }`;
      const u = `
      - write: { map: m, offset: 0x201000, data: "three" }
      - fsync: { file: data }`;
      const rest = `fs: { writeback: ${rule} }\ntasks:\n${yamlTask('t', 'q', t)}\n${yamlTask('u', 'p', u)}\n`;
      const { result } = runYaml(
        yamlScenario('size: 4MiB, layout: allocated', [YAML_P_WHOLE, YAML_Q_HIGH], rest),
      );
      expect(describeViolations(result.violations)).toBe('');
      expect(media(result.world, 0x207000, 3)).toBe('two');
    });
  }
});
