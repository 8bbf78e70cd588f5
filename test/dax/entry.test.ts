/**
 * E1-E4: the entry encoding (helpers only, never bits), 2 MiB entries stored once at the
 * aligned index, entries created locked, and the mapping's counts and tags as faults and
 * truncate change the tree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  entryBaseIndex,
  entryKind,
  entryOrder,
  entryPages,
  entrySector,
  isEmptyEntry,
  isEntryLocked,
  isMappedEntry,
  isPmdEntry,
  isPteEntry,
  isZeroEntry,
  lockedEntry,
  makeLockedEntry,
  type NewEntryKind,
  PMD_ORDER,
  unlockedEntry,
} from '../../src/dax/entry.js';
import { putLockedMappingEntry } from '../../src/dax/entry-lock.js';
import { grabMappingEntry } from '../../src/dax/grab.js';
import { xfsFileFsync } from '../../src/syscalls/fsync.js';
import { xfsSetattrSize } from '../../src/syscalls/truncate.js';
import { dataFile, P_WHOLE, Q_HIGH, Q_LOW } from '../helpers/fixtures.js';
import { entries, entryAt, kindAt, treeSummary } from '../helpers/inspect.js';
import { runYaml } from '../helpers/scenario.js';
import { YAML_P_WHOLE, yamlProc, yamlScenario } from '../helpers/scenario-yaml.js';
import { finished, PhaseScheduler } from '../helpers/schedulers.js';
import { loadMap, makeWorld, runTask, runWorld, spawn, storeMap } from '../helpers/world.js';

describe('E1/E3: entry kinds through the helpers', () => {
  it('E1: 4 KiB kinds are empty and mapped; 2 MiB kinds are empty, zero and mapped', () => {
    expect(entryKind(makeLockedEntry(0, 'pte', 'empty'))).toBe('pte-empty');
    expect(entryKind(makeLockedEntry(0x5008, 'pte', 'mapped'))).toBe('pte');
    expect(entryKind(makeLockedEntry(0, 'pmd', 'empty'))).toBe('pmd-empty');
    expect(entryKind(makeLockedEntry(0, 'pmd', 'zero'))).toBe('pmd-zero');
    expect(entryKind(makeLockedEntry(0x5000, 'pmd', 'mapped'))).toBe('pmd');
  });

  it('E1: the huge zero page exists only at 2 MiB; only mapped entries carry a sector', () => {
    expect(() => makeLockedEntry(0, 'pte', 'zero')).toThrow(RangeError);
    expect(() => makeLockedEntry(8, 'pmd', 'empty')).toThrow(RangeError);
    expect(() => makeLockedEntry(8, 'pmd', 'zero')).toThrow(RangeError);
    expect(() => makeLockedEntry(-8, 'pte', 'mapped')).toThrow(RangeError);
  });

  it('E3: every new entry is created locked, and lock/unlock toggle only the lock bit', () => {
    const kinds: [NewEntryKind, 'pte' | 'pmd'][] = [
      ['empty', 'pte'],
      ['mapped', 'pte'],
      ['empty', 'pmd'],
      ['zero', 'pmd'],
      ['mapped', 'pmd'],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.integer({ min: 0, max: 2 ** 45 }).map((s) => s * 8),
        ([kind, size], sector) => {
          const e = makeLockedEntry(kind === 'mapped' ? sector : 0, size, kind);
          expect(isEntryLocked(e)).toBe(true);
          const u = unlockedEntry(e);
          expect(isEntryLocked(u)).toBe(false);
          expect(lockedEntry(u)).toBe(e);
          for (const x of [e, u]) {
            expect(isPmdEntry(x)).toBe(size === 'pmd');
            expect(isPteEntry(x)).toBe(size === 'pte');
            expect(isZeroEntry(x)).toBe(kind === 'zero');
            expect(isEmptyEntry(x)).toBe(kind === 'empty');
            expect(isMappedEntry(x)).toBe(kind === 'mapped');
            expect(entrySector(x)).toBe(kind === 'mapped' ? sector : 0);
            expect(entryOrder(x)).toBe(size === 'pmd' ? PMD_ORDER : 0);
            expect(entryPages(x)).toBe(size === 'pmd' ? 512 : 1);
          }
        },
      ),
    );
  });

  it('E3: sectors beyond 32 bits survive the encoding exactly', () => {
    const sector = 2 ** 40 + 8;
    expect(entrySector(makeLockedEntry(sector, 'pmd', 'mapped'))).toBe(sector);
  });

  it('E2: the wait/lookup base of a 2 MiB entry is its aligned index; a 4 KiB entry keeps its own', () => {
    const pmd = makeLockedEntry(0, 'pmd', 'zero');
    const pte = makeLockedEntry(0, 'pte', 'empty');
    expect(entryBaseIndex(0x3ff, pmd)).toBe(0x200);
    expect(entryBaseIndex(0x3ff, pte)).toBe(0x3ff);
  });
});

describe('E1/E2 in the tree', () => {
  it('E1: faults leave each kind: huge zero page, mapped 2 MiB, hole page, mapped 4 KiB', () => {
    const file = `size: 8MiB, extents: [
    { offset: 0, length: 2MiB, type: hole },
    { offset: 2MiB, length: 2MiB, type: mapped },
    { offset: 4MiB, length: 4MiB, type: mapped } ]`;
    const tasks = `
tasks:
  - { name: t, process: p, ops: [{ read: { map: m, offset: 0x1000, length: 1 } }, { read: { map: m, offset: 0x201000, length: 1 } }] }
  - { name: u, process: q, ops: [{ read: { map: s, offset: 0x3000, length: 1 } }] }
`;
    const { result } = runYaml(yamlScenario(file, [YAML_P_WHOLE, yamlProc('q', 's', '4MiB', '1MiB')], tasks));
    expect(result.violations).toEqual([]);
    expect(treeSummary(result.world.file('data'))).toEqual(['0x0:pmd-zero', '0x200:pmd', '0x403:pte']);
  });

  it('E1: a 4 KiB read of a hole leaves a hole page, locked with its page lock, not an entry bit', () => {
    const world = makeWorld({ processes: [Q_LOW] });
    runTask(world, 'r', () => loadMap(world, 'q', 's', 0x5000, 4));
    const e = entryAt(world.file('data'), 5);
    expect(e).toMatchObject({ index: 5, kind: 'hole-page', locked: false });
    expect(world.file('data').nrpages).toBe(1);
    expect(world.file('data').nrexceptional).toBe(0);
  });

  it('E2: a 2 MiB entry is stored once at order 9; any index inside finds it', () => {
    const world = makeWorld({ files: dataFile({ layout: 'allocated' }) });
    runTask(world, 'r', () => loadMap(world, 'p', 'm', 0x2ff000, 1));
    const tree = world.file('data').tree;
    expect(tree.size).toBe(1);
    for (const i of [0x200, 0x2ab, 0x3ff]) {
      const found = tree.lookupEntry(i);
      expect(found?.index).toBe(0x200);
      expect(found?.order).toBe(9);
    }
    expect(tree.lookupEntry(0x1ff)).toBeUndefined();
    expect(tree.lookupEntry(0x400)).toBeUndefined();
  });

  it('E2: no 4 KiB entry may sit inside a 2 MiB range: a 2 MiB grab over one inserts nothing', () => {
    const world = makeWorld({ processes: [Q_HIGH], files: dataFile({ layout: 'allocated' }) });
    const mapping = world.file('data');
    runTask(world, 'small', () => loadMap(world, 'q', 's', 0x5000, 1));
    expect(treeSummary(mapping)).toEqual(['0x205:pte']);
    expect(runTask(world, 'grab', () => grabMappingEntry(world, mapping, 0x200, 'pmd'))).toBe('EEXIST');
    expect(treeSummary(mapping)).toEqual(['0x205:pte']);
    expect(mapping.tree.insert(0x200, 9, mapping.tree.lookup(0x205)!)).toBe('EEXIST');
  });

  it('E3: an entry grabbed for a fault is in the tree locked while its task holds it', () => {
    const world = makeWorld();
    const mapping = world.file('data');
    let seen = '';
    spawn(world, 'holder', function* () {
      yield* grabMappingEntry(world, mapping, 0x200, 'pmd');
      seen = treeSummary(mapping).join(',');
    });
    world.rt.run();
    expect(seen).toBe('0x200:pmd-empty:locked');
  });
});

describe('E4: counts and tags', () => {
  it('E4: nrexceptional counts DAX entries and nrpages hole pages, through faults and truncate', () => {
    const world = makeWorld({ processes: [P_WHOLE, Q_LOW] });
    const mapping = world.file('data');
    const counts = () => [mapping.nrexceptional, mapping.nrpages, mapping.tree.size];
    runTask(world, 'zero', () => loadMap(world, 'p', 'm', 0x200000, 1)); // 2 MiB zero entry
    expect(counts()).toEqual([1, 0, 1]);
    runTask(world, 'hole', () => loadMap(world, 'q', 's', 0x3000, 1)); // downgrade + hole page
    expect(counts()).toEqual([1, 1, 2]);
    expect(treeSummary(mapping)).toEqual(['0x3:hole-page', '0x200:pmd-zero']);
    runTask(world, 'alloc', () => storeMap(world, 'q', 's', 0x3000, 'x')); // hole page -> entry (I2)
    expect(counts()).toEqual([2, 0, 2]);
    runTask(world, 'cut', () => xfsSetattrSize(world, mapping, 0));
    expect(counts()).toEqual([0, 0, 0]);
    expect(runWorld(world).violations).toEqual([]);
  });

  it('E4: a write fault tags DIRTY; writeback tags TOWRITE while it works and clears it after', () => {
    const world = makeWorld({
      files: dataFile({ layout: 'allocated' }),
      fs: { writeback: 'keep-dirty' }, // so DIRTY is still there to see after the flush (W3)
      scheduler: new PhaseScheduler([{ task: 'writer', until: finished }]),
    });
    const mapping = world.file('data');
    const writer = spawn(world, 'writer', () => storeMap(world, 'p', 'm', 0x1000, 'x'));
    let during: unknown;
    spawn(
      world,
      'holder',
      function* () {
        // Hold the dirty entry locked so fsync stops at it with TOWRITE set.
        yield* grabMappingEntry(world, mapping, 0, 'pmd');
        while (world.waitTable.waitersFor({ mapping, index: 0 }) === 0) yield 'hold';
        during = entryAt(mapping, 0);
        yield* putLockedMappingEntry(world, mapping, 0, mapping.tree.lookup(0)!);
      },
      [writer],
    );
    spawn(world, 'fsync', () => xfsFileFsync(world, mapping), [writer]);
    expect(runWorld(world).violations).toEqual([]);
    expect(during).toMatchObject({ kind: 'pmd', dirty: true, towrite: true, locked: true });
    expect(entries(mapping)).toEqual([expect.objectContaining({ kind: 'pmd', dirty: true, towrite: false })]);
    expect(kindAt(mapping, 0x1ff)).toBe('pmd');
  });
});
