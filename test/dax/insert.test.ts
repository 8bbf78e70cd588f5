/**
 * I1-I5 (dax_insert_mapping_entry): inode dirtying, replacing a hole page, replacing the huge
 * zero page, swapping zero/empty entries in place while leaving mapped 2 MiB entries, DIRTY.
 */
import { describe, expect, it } from 'vitest';
import { describeEntry, isEntryLocked } from '../../src/dax/entry.js';
import { putLockedMappingEntry } from '../../src/dax/entry-lock.js';
import { grabMappingEntry, isGrabError } from '../../src/dax/grab.js';
import { daxInsertMappingEntry } from '../../src/dax/insert.js';
import { xfsFileFsync } from '../../src/syscalls/fsync.js';
import type { World, WorldOptions } from '../../src/workload/world.js';
import { dataFile, MiB, P_WHOLE, proc, Q_HIGH } from '../helpers/fixtures.js';
import { entries, entryAt, ptAt, treeSummary } from '../helpers/inspect.js';
import { loadMap, makeWorld, runTask, runWorld, storeMap, text, vaddrOf } from '../helpers/world.js';

/** p maps `data` whole; q and r map its MiB at 2 MiB (4 KiB faults in block 0x200). */
function world3(opts: Partial<WorldOptions> = {}): World {
  return makeWorld({ processes: [P_WHOLE, Q_HIGH, proc('r', 's', 2 * MiB, 1 * MiB)], ...opts });
}

describe('I1: the inode', () => {
  it('I1: a write fault marks the inode dirty, a read fault does not, fsync cleans it', () => {
    const world = world3({ files: dataFile({ layout: 'allocated' }) });
    const mapping = world.file('data');
    runTask(world, 'read', () => loadMap(world, 'q', 's', 0x1000, 1));
    expect(mapping.inodeDirty).toBe(false);
    runTask(world, 'write', () => storeMap(world, 'q', 's', 0x2000, 'w'));
    expect(mapping.inodeDirty).toBe(true);
    runTask(world, 'fsync', () => xfsFileFsync(world, mapping));
    expect(mapping.inodeDirty).toBe(false);
  });
});

describe('I2: replacing a hole page', () => {
  it('I2: a write over a hole page unmaps it everywhere and puts a mapped entry in its slot', () => {
    const world = world3();
    const mapping = world.file('data');
    runTask(world, 'q-read', () => loadMap(world, 'q', 's', 0x3000, 1));
    runTask(world, 'r-read', () => loadMap(world, 'r', 's', 0x3000, 1));
    const page = mapping.tree.lookup(0x203);
    if (typeof page !== 'object') throw new Error('hole page expected');
    const rAddr = vaddrOf(world, 'r', 's', 0x3000);
    expect(ptAt(world.process('r'), rAddr).pte).toMatchObject({ kind: 'hole', pfn: page.pfn });
    const ramBefore = world.phys.pagesInUse;
    runTask(world, 'q-write', () => storeMap(world, 'q', 's', 0x3000, 'new'));
    expect(treeSummary(mapping)).toEqual(['0x203:pte']);
    expect([mapping.nrexceptional, mapping.nrpages]).toEqual([1, 0]);
    expect(ptAt(world.process('r'), rAddr).pte).toBeUndefined();
    expect(page.mapping).toBeNull();
    expect(page.lock.holder).toBeNull();
    expect(world.phys.pagesInUse).toBe(ramBefore - 1);
    expect(text(runTask(world, 'r-again', () => loadMap(world, 'r', 's', 0x3000, 3)))).toBe('new');
    expect(runWorld(world).violations).toEqual([]);
  });

  it('I2: a preload failure while replacing the hole page fails the fault with OOM and leaves the page', () => {
    // Preloads: 1 = the read fault's G3 insert; 2 = the write fault's I2 replacement.
    const world = world3({ inject: [{ site: 'radix-preload', nth: 2 }] });
    const mapping = world.file('data');
    runTask(world, 'read', () => loadMap(world, 'q', 's', 0x3000, 1));
    expect(runTask(world, 'write', () => storeMap(world, 'q', 's', 0x3000, 'x'))).toBe('OOM');
    expect(entryAt(mapping, 0x203)).toMatchObject({ kind: 'hole-page', locked: false });
    expect(runWorld(world).violations).toEqual([]);
  });
});

describe('I3: replacing the huge zero page', () => {
  it('I3: a write fault that allocates under a 2 MiB zero entry unmaps the huge zero page everywhere', () => {
    const world = world3({
      processes: [P_WHOLE, proc('r', 'm', 0, 4 * MiB)],
    });
    const mapping = world.file('data');
    runTask(world, 'p-read', () => loadMap(world, 'p', 'm', 0x200000, 1));
    runTask(world, 'r-read', () => loadMap(world, 'r', 'm', 0x201000, 1));
    const rAddr = vaddrOf(world, 'r', 'm', 0x200000);
    expect(ptAt(world.process('r'), rAddr).huge?.kind).toBe('zero');
    runTask(world, 'p-write', () => storeMap(world, 'p', 'm', 0x200010, 'data'));
    expect(treeSummary(mapping)).toEqual(['0x200:pmd']);
    expect(ptAt(world.process('r'), rAddr)).toEqual({ pmd: 'none' });
    expect(ptAt(world.process('p'), vaddrOf(world, 'p', 'm', 0x200000)).huge).toMatchObject({
      kind: 'dax',
      writable: true,
    });
    expect(text(runTask(world, 'r-again', () => loadMap(world, 'r', 'm', 0x200010, 4)))).toBe('data');
    expect(runWorld(world).violations).toEqual([]);
  });
});

describe('I4/I5: swapping in place', () => {
  it('I4/I5: a zero or empty entry is replaced in place; the result is locked; a write sets DIRTY', () => {
    const world = world3();
    const mapping = world.file('data');
    const out = runTask(world, 'insert', function* () {
      const e = yield* grabMappingEntry(world, mapping, 5, 'pte');
      if (isGrabError(e)) throw new Error(e);
      const r = yield* daxInsertMappingEntry(world, mapping, 5, true, e, 0x4000, 'pte', 'mapped');
      if (r === 'ENOMEM') throw new Error(r);
      const seen = { entry: describeEntry(r), locked: isEntryLocked(r), count: mapping.nrexceptional };
      yield* putLockedMappingEntry(world, mapping, 5, r);
      return seen;
    });
    expect(out).toEqual({ entry: 'pte sector=0x4000 locked', locked: true, count: 1 });
    expect(entryAt(mapping, 5)).toMatchObject({ kind: 'pte', locked: false, dirty: true, sector: 0x4000 });
    expect(mapping.inodeDirty).toBe(true);
  });

  it('I4/I5: a read fault installs without DIRTY', () => {
    const world = world3({ files: dataFile({ layout: 'allocated' }) });
    runTask(world, 'read', () => loadMap(world, 'p', 'm', 0, 1));
    expect(entries(world.file('data'))).toEqual([expect.objectContaining({ kind: 'pmd', dirty: false })]);
  });

  it('I4: a 4 KiB fault inside a mapped 2 MiB entry leaves it in the tree, maps its page, and dirties it', () => {
    const world = world3({ files: dataFile({ layout: 'allocated' }) });
    const mapping = world.file('data');
    runTask(world, 'huge', () => loadMap(world, 'p', 'm', 0x200000, 1));
    const before = entryAt(mapping, 0x200);
    expect(before).toMatchObject({ kind: 'pmd', dirty: false });
    runTask(world, 'small-write', () => storeMap(world, 'q', 's', 0x5000, 'from q'));
    expect(entries(mapping)).toEqual([{ ...before, dirty: true }]);
    const hugePfn = ptAt(world.process('p'), vaddrOf(world, 'p', 'm', 0x200000)).huge!.pfn;
    expect(ptAt(world.process('q'), vaddrOf(world, 'q', 's', 0x5000)).pte).toEqual({
      pfn: hugePfn + 5,
      writable: true,
      kind: 'dax',
    });
    expect(text(runTask(world, 'huge-read', () => loadMap(world, 'p', 'm', 0x205000, 6)))).toBe('from q');
    expect(runWorld(world).violations).toEqual([]);
  });
});
