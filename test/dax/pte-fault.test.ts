/**
 * P1-P8 (dax_iomap_fault): the 4 KiB fault: end of file, grab errors, iomap errors and short
 * extents, private copies, mapped extents, holes, and the iomapBegin/iomapEnd pairing.
 */
import { describe, expect, it } from 'vitest';
import { isDaxEntry } from '../../src/dax/entry.js';
import { xfsFileReadIter } from '../../src/syscalls/read-write.js';
import type { World, WorldOptions } from '../../src/workload/world.js';
import { dataFile, MiB, proc, Q_LOW } from '../helpers/fixtures.js';
import { entryAt, ptAt, treeSummary } from '../helpers/inspect.js';
import { wrapIomap } from '../helpers/stubs.js';
import { loadMap, makeWorld, runTask, runWorld, storeMap, text, vaddrOf } from '../helpers/world.js';

/** Process q maps the file's first MiB (4 KiB faults only); p maps it privately. */
function small(opts: Partial<WorldOptions> = {}): World {
  return makeWorld({
    processes: [Q_LOW, proc('r', 's', 0, 1 * MiB), proc('p', 'priv', 0, 1 * MiB, { shared: false })],
    ...opts,
  });
}

describe('P1/P2: end of file and grab errors', () => {
  it('P1: a fault at or past the end of file is SIGBUS; the partial last page is not', () => {
    const world = small({ files: dataFile({ sizeBytes: 0x5010, layout: 'allocated' }) });
    expect(runTask(world, 'tail', () => loadMap(world, 'q', 's', 0x5800, 1))).not.toBe('SIGBUS');
    expect(runTask(world, 'past', () => loadMap(world, 'q', 's', 0x6000, 1))).toBe('SIGBUS');
    expect(world.counters.sigbus).toBe(1);
    expect(treeSummary(world.file('data'))).toEqual(['0x5:pte']);
  });

  it('P2: a grab that fails with ENOMEM ends the access with OOM', () => {
    const world = small({ inject: [{ site: 'radix-preload', nth: 1 }] });
    expect(runTask(world, 'read', () => loadMap(world, 'q', 's', 0x1000, 1))).toBe('OOM');
    expect(world.counters.oom).toBe(1);
    expect(world.file('data').tree.size).toBe(0);
  });
});

describe('P3: iomap errors', () => {
  it('P3: an iomapBegin error is SIGBUS, after the entry is released', () => {
    const world = small();
    world.fs.iomapBeginHook = () => 'EIO';
    expect(runTask(world, 'read', () => loadMap(world, 'q', 's', 0x1000, 1))).toBe('SIGBUS');
    expect(entryAt(world.file('data'), 1)).toMatchObject({ kind: 'pte-empty', locked: false });
    expect(runWorld(world).violations).toEqual([]);
  });

  it('P3: ENOMEM from iomapBegin is OOM (dax_fault_return)', () => {
    const world = small();
    world.fs.iomapBeginHook = () => 'ENOMEM';
    expect(runTask(world, 'read', () => loadMap(world, 'q', 's', 0x1000, 1))).toBe('OOM');
  });

  it('P3: an extent that ends before the page ends is EIO, SIGBUS (IomapFs never returns one: a double)', () => {
    const world = small({ files: dataFile({ layout: 'allocated' }) });
    const calls = wrapIomap(world, (r, _i, pos) =>
      typeof r === 'string' ? r : { ...r, offset: pos, length: 2048 },
    );
    expect(runTask(world, 'read', () => loadMap(world, 'q', 's', 0x1000, 1))).toBe('SIGBUS');
    expect(calls).toEqual({ begins: 1, beginsOk: 1, ends: 1 });
    expect(entryAt(world.file('data'), 1)).toMatchObject({ kind: 'pte-empty', locked: false });
    expect(runWorld(world).violations).toEqual([]);
  });
});

describe('P4: private copies', () => {
  it('P4: a private write copies the device page into an anonymous page; the file is untouched', () => {
    const world = small({ files: dataFile({ layout: 'allocated', fill: 0x61 }) });
    expect(runTask(world, 'cow', () => storeMap(world, 'p', 'priv', 0x2001, 'Z'))).toBe('ok');
    expect(world.counters.cow).toBe(1);
    const va = vaddrOf(world, 'p', 'priv', 0x2000);
    expect(ptAt(world.process('p'), va).pte).toMatchObject({ kind: 'anon', writable: true });
    expect(text(runTask(world, 'own', () => loadMap(world, 'p', 'priv', 0x2000, 3)))).toBe('aZa');
    const file = runTask(world, 'pread', () => xfsFileReadIter(world, world.file('data'), 0x2000, 3));
    expect(text(file)).toBe('aaa');
    expect(text(runTask(world, 'shared', () => loadMap(world, 'q', 's', 0x2000, 3)))).toBe('aaa');
    expect(runWorld(world).violations).toEqual([]);
  });

  it('P4: a private write over a hole copies zeros and allocates no blocks', () => {
    const world = small();
    expect(runTask(world, 'cow', () => storeMap(world, 'p', 'priv', 0x3000, 'Z'))).toBe('ok');
    expect(text(runTask(world, 'own', () => loadMap(world, 'p', 'priv', 0x3000, 2)))).toBe('Z\0');
    expect(world.fs.usedBytes).toBe(0);
    expect(world.counters.cow).toBe(1);
  });
});

describe('P5: mapped extents', () => {
  it('P5: a write fault the filesystem allocates for is a major fault and maps the pfn writable', () => {
    const world = small();
    runTask(world, 'write', () => storeMap(world, 'q', 's', 0x4000, 'w'));
    expect(world.counters.major).toBe(1);
    const e = entryAt(world.file('data'), 4)!;
    expect(e).toMatchObject({ kind: 'pte', dirty: true });
    expect(ptAt(world.process('q'), vaddrOf(world, 'q', 's', 0x4000)).pte).toEqual({
      pfn: world.dev.basePfn + e.sector! / 8,
      writable: true,
      kind: 'dax',
    });
  });

  it('P5: a read fault of an allocated extent maps it read-only and is not major', () => {
    const world = small({ files: dataFile({ layout: 'allocated' }) });
    runTask(world, 'read', () => loadMap(world, 'q', 's', 0x4000, 1));
    expect(world.counters.major).toBe(0);
    expect(ptAt(world.process('q'), vaddrOf(world, 'q', 's', 0x4000)).pte).toMatchObject({
      writable: false,
      kind: 'dax',
    });
  });
});

describe('P6/P7: holes', () => {
  it('P6: a read of a hole maps a zeroed hole page read-only; another process maps the same page', () => {
    const world = small();
    expect(text(runTask(world, 'q', () => loadMap(world, 'q', 's', 0x6000, 2)))).toBe('\0\0');
    const page = world.file('data').tree.lookup(6);
    if (page === undefined || isDaxEntry(page)) throw new Error('hole page expected');
    runTask(world, 'r', () => loadMap(world, 'r', 's', 0x6000, 1));
    for (const proc of ['q', 'r']) {
      expect(ptAt(world.process(proc), vaddrOf(world, proc, 's', 0x6000)).pte).toEqual({
        pfn: page.pfn,
        writable: false,
        kind: 'hole',
      });
    }
    expect(world.file('data').nrpages).toBe(1);
  });

  it('P6: an unwritten extent reads as a hole page too', () => {
    const world = small({ files: dataFile({ layout: 'unwritten' }) });
    runTask(world, 'q', () => loadMap(world, 'q', 's', 0x6000, 1));
    expect(treeSummary(world.file('data'))).toEqual(['0x6:hole-page']);
  });

  it('P7: a hole handed back for a write is SIGBUS (IomapFs always allocates: a double)', () => {
    const world = small();
    const calls = wrapIomap(world, (r, _inode, pos, len, write) => {
      if (!write || typeof r === 'string') return r;
      return { type: 'hole', offset: pos, length: len, sector: -1, isNew: false };
    });
    expect(runTask(world, 'write', () => storeMap(world, 'q', 's', 0x1000, 'w'))).toBe('SIGBUS');
    expect(calls.beginsOk).toBe(calls.ends);
    expect(runWorld(world).violations).toEqual([]);
  });
});

describe('P8: iomapEnd and the final put', () => {
  it('P8: every successful iomapBegin is followed by one iomapEnd, on success and on error', () => {
    const world = small({ files: dataFile({ sizeBytes: 0x5000, layout: 'allocated' }) });
    const calls = wrapIomap(world);
    runTask(world, 'read', () => loadMap(world, 'q', 's', 0x1000, 1));
    runTask(world, 'write', () => storeMap(world, 'q', 's', 0x2000, 'w'));
    runTask(world, 'cow', () => storeMap(world, 'p', 'priv', 0x3000, 'c'));
    world.fs.iomapBeginHook = () => 'EIO';
    runTask(world, 'eio', () => loadMap(world, 'q', 's', 0x4000, 1));
    expect(calls).toEqual({ begins: 4, beginsOk: 3, ends: 3 });
    expect(world.file('data').host.iomapsInFlight).toBe(0);
  });

  it('P8: the hole page is handed to the mm layer locked and released after it is mapped', () => {
    const world = small();
    runTask(world, 'read', () => loadMap(world, 'q', 's', 0x1000, 1));
    const page = world.file('data').tree.lookup(1);
    if (page === undefined || isDaxEntry(page)) throw new Error('hole page expected');
    expect(page.lock.holder).toBeNull();
    expect(page.refcount).toBe(1);
    expect(runWorld(world).violations).toEqual([]);
  });
});
