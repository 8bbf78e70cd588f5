/**
 * M1-M9 (dax_iomap_pmd_fault): every fallback branch by its reason (all 16 of fallback.ts),
 * SIGBUS at end of file, huge PMDs over mapped blocks and the huge zero page over holes.
 */
import { describe, expect, it } from 'vitest';
import { FALLBACK_REASONS, type FallbackReason } from '../../src/dax/fallback.js';
import { RoundRobinScheduler } from '../../src/sim/scheduler.js';
import type { World, WorldOptions } from '../../src/workload/world.js';
import { ALLOCATED } from '../helpers/data-file.js';
import { dataFile, MiB, P_PRIVATE, P_WHOLE, PMD, proc, Q_ADDRESS, Q_HIGH } from '../helpers/fixtures.js';
import { entries, entryAt, ptAt, treeSummary } from '../helpers/inspect.js';
import { runYaml } from '../helpers/scenario.js';
import { yamlProc, yamlScenario } from '../helpers/scenario-yaml.js';
import { atPoint, blocked, PhaseScheduler } from '../helpers/schedulers.js';
import { wrapDirectAccess, wrapIomap } from '../helpers/stubs.js';
import { loadMap, makeWorld, runTask, runWorld, spawn, storeMap, text, vaddrOf } from '../helpers/world.js';

/** Non-zero fallback reasons of a world. */
function reasons(world: World): Partial<Record<FallbackReason, number>> {
  return world.counters.nonZeroReasons();
}

/** p maps the 4 MiB file whole, 2 MiB aligned; a read at `offset` through it. */
function readP(world: World, offset = 0x201000, length = 1) {
  return runTask(world, `read-${offset.toString(16)}`, () => loadMap(world, 'p', 'm', offset, length));
}

/** A World over allocated `data` built with `opts` and `prepare`d (hooks, doubles): the fallback reasons of readP at `offset`. */
function reasonsOfRead(
  opts: Partial<WorldOptions>,
  prepare: (world: World) => void = () => {},
  offset?: number,
) {
  const world = makeWorld({ files: ALLOCATED, ...opts });
  prepare(world);
  readP(world, offset);
  return reasons(world);
}

describe('M1-M4: checks before the grab', () => {
  it('M1: a write to a private mapping splits the huge PMD and falls back; COW is per 4 KiB', () => {
    const world = makeWorld({
      files: ALLOCATED,
      processes: [P_PRIVATE],
    });
    readP(world, 0x200000);
    const va = vaddrOf(world, 'p', 'm', 0x200000);
    expect(ptAt(world.process('p'), va).huge).toMatchObject({ kind: 'dax', writable: false });
    expect(runTask(world, 'w', () => storeMap(world, 'p', 'm', 0x200000, 'x'))).toBe('ok');
    expect(reasons(world)).toEqual({ 'cow-write': 1 });
    expect(ptAt(world.process('p'), va)).toMatchObject({
      pmd: 'table',
      pte: { kind: 'anon', writable: true },
    });
    expect(world.counters.cow).toBe(1);
    expect(runWorld(world).violations).toEqual([]);
  });

  it('M2: a 2 MiB block not wholly inside the VMA falls back (vma-bounds)', () => {
    const world = makeWorld({
      files: ALLOCATED,
      processes: [proc('p', 'm', 0, 1 * MiB, { address: Q_ADDRESS })],
    });
    readP(world, 0x1000);
    expect(reasons(world)).toEqual({ 'vma-bounds': 1 });
    expect(world.counters.pte).toBe(1);
  });

  it('M3/H3: a VMA whose start and file offset differ in colour falls back (colour)', () => {
    const world = makeWorld({
      files: ALLOCATED,
      processes: [proc('p', 'm', 0, 4 * MiB, { address: 0x7f0000201000 })],
    });
    // Mapping offset 0x1ff000 is the PMD-aligned address 0x7f0000400000: inside the VMA, wrong colour.
    readP(world, 0x1ff000);
    expect(reasons(world)).toEqual({ colour: 1 });
    expect(treeSummary(world.file('data'))).toEqual(['0x1ff:pte']);
  });

  it('M4: a file ending inside the block falls back (file-size)', () => {
    const files = dataFile({ sizeBytes: 3 * MiB, layout: 'allocated' });
    expect(reasonsOfRead({ files }, () => {}, 0x200000)).toEqual({ 'file-size': 1 });
  });

  it('M4: a block starting past the last page is SIGBUS, not a fallback', () => {
    const world = makeWorld({ files: dataFile({ sizeBytes: 2 * MiB, layout: 'allocated' }) });
    expect(readP(world, 0x200000)).toBe('SIGBUS');
    expect(world.counters.fallback).toBe(0);
    expect(world.counters.sigbus).toBe(1);
  });

  it('M4: an empty file has no valid index: SIGBUS (no unsigned wrap of max_pgoff)', () => {
    const world = makeWorld({ files: dataFile({ sizeBytes: 0 }) });
    expect(readP(world, 0)).toBe('SIGBUS');
    expect(world.counters.fallback).toBe(0);
  });
});

describe('M5/M6: grab and iomapBegin', () => {
  it('M5: a PMD fault falling back over a range with a 4 KiB entry (entry-conflict)', () => {
    const world = makeWorld({
      files: ALLOCATED,
      processes: [P_WHOLE, Q_HIGH],
    });
    runTask(world, 'small', () => loadMap(world, 'q', 's', 0x7000, 1));
    readP(world, 0x201000);
    expect(reasons(world)).toEqual({ 'vma-bounds': 1, 'entry-conflict': 1 });
    expect(treeSummary(world.file('data'))).toEqual(['0x201:pte', '0x207:pte']);
    expect(ptAt(world.process('p'), vaddrOf(world, 'p', 'm', 0x201000)).pmd).toBe('table');
    expect(runWorld(world).violations).toEqual([]);
  });

  it('M6: an iomapBegin error releases the entry and falls back (iomap-error)', () => {
    const world = makeWorld({ files: ALLOCATED });
    world.fs.iomapBeginHook = (_i, _p, len) => (len === PMD ? 'EIO' : null);
    expect(readP(world)).not.toBe('SIGBUS');
    expect(reasons(world)).toEqual({ 'iomap-error': 1 });
    // The released 2 MiB empty entry is downgraded by the 4 KiB retry (G2).
    expect(treeSummary(world.file('data'))).toEqual(['0x201:pte']);
    expect(runWorld(world).violations).toEqual([]);
  });

  it('M6: ENOSPC from a write into a hole (block-alloc injection) is an iomap-error fallback', () => {
    const world = makeWorld({ inject: [{ site: 'block-alloc', nth: 1 }] });
    expect(runTask(world, 'w', () => storeMap(world, 'p', 'm', 0x1000, 'w'))).toBe('ok');
    expect(reasons(world)).toEqual({ 'iomap-error': 1 });
    expect(entryAt(world.file('data'), 1)?.kind).toBe('pte');
  });

  it('M6: an extent shorter than the block releases the entry and falls back (short-extent)', () => {
    const { report, result } = runYaml(
      yamlScenario(
        `size: 2MiB, extents: [
    { offset: 0, length: 1MiB, type: mapped, sector: 0x10000 },
    { offset: 1MiB, length: 1MiB, type: mapped, sector: 0x20000 } ]`,
        [yamlProc('p', 'm', '0', '2MiB')],
        'tasks: [{ name: t, ops: [{ read: { map: m, offset: 0x1000, length: 1 } }] }]',
      ),
    );
    expect(report.faults.fallbackReasons).toEqual({ 'short-extent': 1 });
    expect(result.violations).toEqual([]);
    expect(report.entries).toMatchObject({ pte: 1, empty: 0 });
  });
});

describe('M7: mapped extents and the device', () => {
  it('M7: a read maps a read-only huge PMD over a mapped 2 MiB entry; a write makes it writable and dirty', () => {
    const world = makeWorld({ files: ALLOCATED });
    readP(world, 0x200000);
    const va = vaddrOf(world, 'p', 'm', 0x200000);
    const e = entryAt(world.file('data'), 0x200)!;
    expect(e).toMatchObject({ kind: 'pmd', dirty: false });
    expect(ptAt(world.process('p'), va).huge).toEqual({
      pfn: world.dev.basePfn + e.sector! / 8,
      writable: false,
      kind: 'dax',
    });
    runTask(world, 'w', () => storeMap(world, 'p', 'm', 0x200000, 'w'));
    expect(ptAt(world.process('p'), va).huge?.writable).toBe(true);
    expect(entryAt(world.file('data'), 0x200)?.dirty).toBe(true);
    expect(world.counters.pmd).toBe(2);
  });

  it('M7: a device error falls back (device-error)', () => {
    const deviceError = (world: World) => {
      world.dev.directAccessHook = (_s, len) => (len === PMD ? 'EIO' : null);
    };
    expect(reasonsOfRead({}, deviceError)).toEqual({ 'device-error': 1 });
  });

  it.todo(
    'M7 device-short with the real device: unreachable, since IomapFs hands out only extents inside the ' +
      'device and an M6-checked extent covers the whole block, so directAccess never returns less than 2 MiB',
  );

  it('M7: a device range shorter than 2 MiB falls back (device-short; a double shortens the range)', () => {
    const shortRange = (world: World) =>
      wrapDirectAccess(world, (r) =>
        typeof r === 'string' ? r : { ...r, lengthBytes: Math.min(r.lengthBytes, MiB) },
      );
    expect(reasonsOfRead({}, shortRange)).toEqual({ 'device-short': 1 });
  });

  it('M7: a device base off its 2 MiB colour gives misaligned pfns (pfn-misaligned)', () => {
    expect(reasonsOfRead({ device: { sizeBytes: 1024 * MiB, baseAlignBytes: 4096 } })).toEqual({
      'pfn-misaligned': 1,
    });
  });

  it('M7/F2: 4 KiB-aligned allocation gives misaligned pfns for a write into a hole (pfn-misaligned)', () => {
    const world = makeWorld({ fs: { allocAlignBytes: 4096, extentHintBytes: 2 * MiB } });
    runTask(world, 'w', () => storeMap(world, 'p', 'm', 0x1000, 'w'));
    expect(reasons(world)).toEqual({ 'pfn-misaligned': 1 });
  });

  it('M7: memory without page structures falls back (not-devmap)', () => {
    expect(reasonsOfRead({ device: { sizeBytes: 1024 * MiB, devmap: false } })).toEqual({ 'not-devmap': 1 });
  });

  it.todo(
    'M7/M8 entry-insert: unreachable, since dax_insert_mapping_entry fails (ENOMEM) only when replacing a ' +
      '4 KiB hole page and a 2 MiB grab never returns one (G1 returns EEXIST instead)',
  );
});

describe('M8: holes', () => {
  it('M8: the huge zero page is installed on a read of a 2 MiB hole and replaced on write', () => {
    const world = makeWorld({});
    const va = vaddrOf(world, 'p', 'm', 0x200000);
    expect(text(readP(world, 0x200123, 2))).toBe('\0\0');
    expect(treeSummary(world.file('data'))).toEqual(['0x200:pmd-zero']);
    expect(ptAt(world.process('p'), va).huge).toEqual({
      pfn: world.phys.hugeZeroPfn,
      writable: false,
      kind: 'zero',
    });
    runTask(world, 'w', () => storeMap(world, 'p', 'm', 0x200123, 'hi'));
    expect(treeSummary(world.file('data'))).toEqual(['0x200:pmd']);
    expect(ptAt(world.process('p'), va).huge).toMatchObject({ kind: 'dax', writable: true });
    expect(text(readP(world, 0x200123, 2))).toBe('hi');
    expect(world.counters).toMatchObject({ pmd: 2, fallback: 0, major: 0 }); // no PGMAJFAULT at 2 MiB
    expect(runWorld(world).violations).toEqual([]);
  });

  it.todo(
    'M8 hole-write with the real filesystem: unreachable, since IomapFs allocates (or fails with ENOSPC) ' +
      'on every write iomapBegin, so a write never sees a hole or unwritten extent',
  );

  it('M8: a hole handed back for a write falls back (hole-write; a double answers the write with a hole)', () => {
    const world = makeWorld({});
    wrapIomap(world, (r, _i, pos, len, write) =>
      write && len === PMD ? { type: 'hole', offset: pos, length: len, sector: -1, isNew: false } : r,
    );
    runTask(world, 'w', () => storeMap(world, 'p', 'm', 0x1000, 'w'));
    expect(reasons(world)).toEqual({ 'hole-write': 1 });
    expect(runWorld(world).violations).toEqual([]);
  });

  it('M8: no huge zero page to be had falls back (zero-page-alloc) and maps a 4 KiB hole page', () => {
    const world = makeWorld({ inject: [{ site: 'huge-zero-page', every: true }] });
    readP(world, 0x1000);
    expect(reasons(world)).toEqual({ 'zero-page-alloc': 1 });
    expect(treeSummary(world.file('data'))).toEqual(['0x1:hole-page']);
    expect(runWorld(world).violations).toEqual([]);
  });

  it('M8 (pte-table-alloc=early): a PTE table that appeared in the slot meanwhile makes the zero-page load fall back (pmd-raced)', () => {
    // Two threads of p on a private mapping of a hole: the reader's 2 MiB fault holds the empty
    // entry while the writer (M1: COW is 4 KiB) allocates a PTE table in the same slot, which
    // mm did before the handler ran until 4.8; later the writer waits on the entry instead.
    const world = makeWorld({
      processes: [P_PRIVATE],
      switches: { 'pte-table-alloc': 'early' },
      scheduler: new PhaseScheduler(
        [
          { task: 'reader', until: atPoint('alloc(huge-zero-page)') },
          { task: 'writer', until: blocked },
        ],
        new RoundRobinScheduler(),
      ),
    });
    spawn(world, 'reader', () => loadMap(world, 'p', 'm', 0x1000, 1));
    spawn(world, 'writer', () => storeMap(world, 'p', 'm', 0x2000, 'w'));
    expect(runWorld(world).violations).toEqual([]);
    expect(reasons(world)).toEqual({ 'cow-write': 1, 'pmd-raced': 1 });
    expect(text(runTask(world, 'own', () => loadMap(world, 'p', 'm', 0x2000, 1)))).toBe('w');
  });
});

describe('M9: iomapEnd and the final unlock', () => {
  it('M9 (iomap-end-error=fallback, as the seed): an iomapEnd error turns success into a fallback (iomap-end); the 4 KiB retry maps a PTE', () => {
    const world = makeWorld({ files: ALLOCATED, switches: { 'iomap-end-error': 'fallback' } });
    world.fs.iomapEndHook = (_i, _p, len) => (len === PMD ? 'EIO' : null);
    expect(text(readP(world, 0x201000, 1))).toBe('\x11');
    expect(reasons(world)).toEqual({ 'iomap-end': 1 });
    expect(ptAt(world.process('p'), vaddrOf(world, 'p', 'm', 0x201000)).pmd).toBe('table');
    expect(runWorld(world).violations).toEqual([]);
  });

  it('M9 (iomap-end-error=ignore, 4.10 on): an iomapEnd error is ignored: the huge PMD stays', () => {
    const world = makeWorld({ files: ALLOCATED });
    world.fs.iomapEndHook = (_i, _p, len) => (len === PMD ? 'EIO' : null);
    expect(text(readP(world, 0x201000, 1))).toBe('\x11');
    expect(reasons(world)).toEqual({});
    expect(ptAt(world.process('p'), vaddrOf(world, 'p', 'm', 0x201000)).pmd).toBe('huge');
    expect(runWorld(world).violations).toEqual([]);
  });

  it('M9: iomapEnd follows every successful iomapBegin and the entry is unlocked after every way out', () => {
    const world = makeWorld({ files: ALLOCATED });
    const calls = wrapIomap(world);
    readP(world, 0); // success
    world.dev.directAccessHook = (_s, len) => (len === PMD ? 'EIO' : null);
    readP(world, 0x200000); // device-error after iomapBegin, then a 4 KiB retry
    world.fs.iomapBeginHook = () => 'EIO';
    runTask(world, 'w', () => storeMap(world, 'p', 'm', 0x300000, 'w')); // iomap-error, then SIGBUS
    expect(calls.beginsOk).toBe(calls.ends);
    expect(calls.ends).toBe(3);
    expect(entries(world.file('data')).every((e) => !e.locked)).toBe(true);
    expect(world.file('data').host.iomapsInFlight).toBe(0);
  });
});

describe('every fallback reason', () => {
  it('M1-M9: the 16 reasons of fallback.ts are the ones the tests above reach (or mark todo)', () => {
    expect([...FALLBACK_REASONS].sort()).toEqual(
      [
        'cow-write',
        'vma-bounds',
        'colour',
        'file-size',
        'entry-conflict',
        'iomap-error',
        'short-extent',
        'device-error',
        'device-short',
        'pfn-misaligned',
        'not-devmap',
        'entry-insert',
        'hole-write',
        'zero-page-alloc',
        'pmd-raced',
        'iomap-end',
      ].sort(),
    );
  });
});
