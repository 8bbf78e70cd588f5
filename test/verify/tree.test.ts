import { describe, expect, it } from 'vitest';
import { makeLockedEntry, unlockedEntry } from '../../src/dax/entry.js';
import { HolePage } from '../../src/dax/hole-page.js';
import { PageLock } from '../../src/sim/page-lock.js';
import { checkV3, type TreeMemo } from '../../src/verify/tree.js';
import { makeWorld } from '../helpers/world.js';

describe('V3 with its caller-owned memo of tree facts', () => {
  it('V3: a clean World passes, and the facts are memoised in the memo given', () => {
    const world = makeWorld();
    const memo: TreeMemo = new Map();
    expect(checkV3(world, memo)).toEqual([]);
    expect(memo.size).toBe(1);
    expect(checkV3(world, memo)).toEqual([]);
    expect(memo.size).toBe(1);
  });

  it('V3/E4: a tree change after a clean check is seen (facts follow the tree generation)', () => {
    const world = makeWorld();
    const m = world.file('data');
    expect(checkV3(world)).toEqual([]);
    // A DAX entry stored without counting it in nrexceptional breaks E4.
    expect(m.tree.insert(0, 0, unlockedEntry(makeLockedEntry(0, 'pte', 'empty')))).toBeNull();
    expect(checkV3(world).map((v) => v.message)).toEqual([
      'mapping data: nrexceptional 0 but 1 DAX entries (E4)',
    ]);
    m.nrexceptional = 1;
    expect(checkV3(world)).toEqual([]);
    m.tree.delete(0);
    expect(checkV3(world).map((v) => v.message)).toEqual([
      'mapping data: nrexceptional 1 but 0 DAX entries (E4)',
    ]);
  });

  it('V3/E2: a 2 MiB entry at an unaligned index is reported', () => {
    const world = makeWorld();
    const m = world.file('data');
    // Order 9 at index 0x200 is aligned; the tree itself refuses misaligned inserts, so the
    // check sees a PMD entry stored at order 0 instead (order mismatch).
    expect(m.tree.insert(0x201, 0, unlockedEntry(makeLockedEntry(0, 'pmd', 'zero')))).toBeNull();
    m.nrexceptional = 1;
    const msgs = checkV3(world).map((v) => v.message);
    expect(msgs).toContain('mapping data: index 0x201: 2 MiB entry not PMD aligned');
    expect(msgs.some((s) => s.includes('stored at order 0'))).toBe(true);
  });

  it('V3: hole-page fields changed beside the tree are checked on every call (no stale memo)', () => {
    const world = makeWorld();
    const m = world.file('data');
    const page = new HolePage(123, m, 5, new PageLock(world.rt, 'page:5'));
    expect(m.tree.insert(5, 0, page)).toBeNull();
    m.nrpages = 1;
    expect(checkV3(world)).toEqual([]);
    // Truncation clears page->mapping without touching the tree generation here.
    page.mapping = null;
    expect(checkV3(world).map((v) => v.message)).toEqual([
      'mapping data: index 0x5: hole page claims no mapping index 0x5',
    ]);
  });
});
