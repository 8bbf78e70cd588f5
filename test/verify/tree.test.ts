import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeLockedEntry, unlockedEntry } from '../../src/dax/entry.js';
import { HolePage } from '../../src/dax/hole-page.js';
import { TAG_DIRTY } from '../../src/lib/radix-tree.js';
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

  it('V3: with a memo, every change is judged as by a fresh memo (replacements walk the entries only)', () => {
    const op = fc.tuple(fc.constantFrom('insert', 'replace', 'delete', 'tag'), fc.nat(7), fc.boolean());
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.option(fc.nat(29)), (ops, corruptAt) => {
        const world = makeWorld();
        const m = world.file('data');
        const memo: TreeMemo = new Map();
        const item = (i: number, hole: boolean) =>
          hole
            ? new HolePage(100 + i, m, i * 0x40, new PageLock(world.rt, `page:${i}`))
            : unlockedEntry(makeLockedEntry(i, 'pte', 'mapped'));
        ops.forEach(([kind, i, hole], k) => {
          const index = i * 0x40;
          if (kind === 'insert') m.tree.insert(index, 0, item(i, hole));
          else if (m.tree.lookup(index) !== undefined) {
            if (kind === 'replace') m.tree.replace(index, item(i, hole));
            else if (kind === 'delete') m.tree.delete(index);
            else m.tree.tagSet(index, TAG_DIRTY);
          }
          // Break the node counts once (as a tree bug would, through a change that moves the
          // structure generation): the memo must not hide the verdict or carry it on.
          if (k === corruptAt && m.tree.size > 0) {
            (m.tree as unknown as { store: { count: Uint8Array } }).store.count[1]! += 1;
            m.tree.tagClear(0, TAG_DIRTY);
          }
          expect(checkV3(world, memo)).toEqual(checkV3(world, new Map()));
        });
      }),
      { numRuns: 200 },
    );
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
