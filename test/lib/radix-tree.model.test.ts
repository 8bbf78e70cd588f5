/**
 * Model-based test of the radix tree: random operation sequences (fc.commands) run against a
 * plain list of entries, with check() (V3) after every step. Indices are clustered in four
 * 8 Ki windows (at 0, 2^20, above 2^32, and just below 2^52) so that multi-order entries of
 * orders 0..12 collide often and both offset paths (int32 and float) are exercised.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RadixEntry, RadixTree, type Tag } from '../../src/lib/radix-tree.js';

interface ModelEntry {
  index: number;
  order: number;
  item: number;
  tags: [boolean, boolean, boolean];
}

/** The reference: entries sorted by index, searched linearly. */
class Model {
  entries: ModelEntry[] = [];

  covering(index: number): ModelEntry | undefined {
    return this.entries.find((e) => e.index <= index && index < e.index + 2 ** e.order);
  }

  overlapping(first: number, last: number): ModelEntry[] {
    return this.entries.filter((e) => e.index <= last && first < e.index + 2 ** e.order);
  }

  add(e: ModelEntry): void {
    this.entries.push(e);
    this.entries.sort((a, b) => a.index - b.index);
  }
}

/** The system under test, wrapped so commands read `s.tree`. */
interface Sut {
  tree: RadixTree<number>;
}

const WINDOW = 2 ** 13;
const BASES = [0, 2 ** 20, 2 ** 33 + 2 ** 14, 2 ** 52 - 2 ** 14];
const indexArb = fc
  .tuple(fc.constantFrom(...BASES), fc.integer({ min: 0, max: WINDOW - 1 }))
  .map(([base, off]) => base + off);
const tagArb = fc.constantFrom<Tag>(0, 1, 2);

/**
 * An index chosen at run time: half the time a raw clustered index, else an index inside an
 * existing entry (entry number and inner offset taken modulo what exists), so deletes, tag
 * changes and walks starting inside multi-order entries happen often.
 */
interface Pick {
  raw: number;
  targeted: boolean;
  entry: number;
  inner: number;
}

const pickArb: fc.Arbitrary<Pick> = fc.record({
  raw: indexArb,
  targeted: fc.boolean(),
  entry: fc.nat(),
  inner: fc.nat(),
});

function resolve(m: Model, p: Pick): number {
  const e = m.entries[p.entry % Math.max(1, m.entries.length)];
  return !p.targeted || e === undefined ? p.raw : e.index + (p.inner % 2 ** e.order);
}

function showPick(p: Pick): string {
  return p.targeted ? `entry#${p.entry}+${p.inner}` : String(p.raw);
}

function view(e: RadixEntry<number>): string {
  return `${e.index}/${e.order}=${e.item}`;
}

function modelView(e: ModelEntry): string {
  return `${e.index}/${e.order}=${e.item}`;
}

type Cmd = fc.Command<Model, Sut>;

function cmd(name: string, run: (m: Model, s: Sut) => void): Cmd {
  return {
    check: () => true,
    run: (m, s) => {
      run(m, s);
      s.tree.check();
      expect(s.tree.size).toBe(m.entries.length);
      for (const tag of [0, 1, 2] as Tag[])
        expect(s.tree.tagged(tag)).toBe(m.entries.some((e) => e.tags[tag]));
    },
    toString: () => name,
  };
}

const insertCmd = fc
  .tuple(indexArb, fc.integer({ min: 0, max: 12 }), fc.integer())
  .map(([raw, order, item]) => {
    const index = raw - (raw % 2 ** order);
    return cmd(`insert(${index}, ${order}, ${item})`, (m, s) => {
      const clash = m.overlapping(index, index + 2 ** order - 1).length > 0;
      expect(s.tree.insert(index, order, item)).toBe(clash ? 'EEXIST' : null);
      if (!clash) m.add({ index, order, item, tags: [false, false, false] });
    });
  });

const deleteCmd = pickArb.map((pick) =>
  cmd(`delete(${showPick(pick)})`, (m, s) => {
    const index = resolve(m, pick);
    const e = m.covering(index);
    expect(s.tree.delete(index)).toBe(e?.item);
    if (e !== undefined) m.entries = m.entries.filter((x) => x !== e);
  }),
);

const lookupCmd = pickArb.map((pick) =>
  cmd(`lookup(${showPick(pick)})`, (m, s) => {
    const index = resolve(m, pick);
    const e = m.covering(index);
    expect(s.tree.lookup(index)).toBe(e?.item);
    const got = s.tree.lookupEntry(index);
    expect(got === undefined ? undefined : view(got)).toBe(e === undefined ? undefined : modelView(e));
    for (const tag of [0, 1, 2] as Tag[]) expect(s.tree.tagGet(index, tag)).toBe(e?.tags[tag] ?? false);
  }),
);

const replaceCmd = fc.tuple(pickArb, fc.integer()).map(([pick, item]) =>
  cmd(`replace(${showPick(pick)}, ${item})`, (m, s) => {
    const index = resolve(m, pick);
    const e = m.covering(index);
    if (e === undefined) {
      expect(() => s.tree.replace(index, item)).toThrow(/no entry covers/);
    } else {
      s.tree.replace(index, item);
      e.item = item;
    }
  }),
);

const tagSetCmd = fc.tuple(pickArb, tagArb).map(([pick, tag]) =>
  cmd(`tagSet(${showPick(pick)}, ${tag})`, (m, s) => {
    const index = resolve(m, pick);
    const e = m.covering(index);
    if (e === undefined) {
      expect(() => s.tree.tagSet(index, tag)).toThrow(/no entry covers/);
    } else {
      s.tree.tagSet(index, tag);
      e.tags[tag] = true;
    }
  }),
);

const tagClearCmd = fc.tuple(pickArb, tagArb).map(([pick, tag]) =>
  cmd(`tagClear(${showPick(pick)}, ${tag})`, (m, s) => {
    const index = resolve(m, pick);
    s.tree.tagClear(index, tag);
    const e = m.covering(index);
    if (e !== undefined) e.tags[tag] = false;
  }),
);

const tagRangeCmd = fc
  .tuple(pickArb, fc.integer({ min: 0, max: 3 * WINDOW }), tagArb, tagArb, fc.option(fc.nat(3)))
  .map(([pick, len, from, to, max]) =>
    cmd(`tagRange(${showPick(pick)}, +${len}, ${from}->${to}, max ${max})`, (m, s) => {
      const first = resolve(m, pick);
      const last = first + len;
      const hits = m.overlapping(first, last).filter((e) => e.tags[from]);
      const chosen = max === null ? hits : hits.slice(0, max);
      const got =
        max === null ? s.tree.tagRange(first, last, from, to) : s.tree.tagRange(first, last, from, to, max);
      expect(got).toBe(chosen.length);
      for (const e of chosen) e.tags[to] = true;
    }),
  );

const gangCmd = fc.tuple(pickArb, fc.nat(8), fc.option(tagArb)).map(([pick, max, tag]) =>
  cmd(`gang(${showPick(pick)}, ${max}, tag ${tag})`, (m, s) => {
    const first = resolve(m, pick);
    const from = m.entries.filter((e) => e.index + 2 ** e.order > first && (tag === null || e.tags[tag]));
    const want = from.slice(0, max).map(modelView);
    const got = tag === null ? s.tree.gangLookup(first, max) : s.tree.gangLookupTag(first, max, tag);
    expect(got.map(view)).toEqual(want);
  }),
);

const forEachCmd = fc
  .tuple(pickArb, fc.integer({ min: 0, max: 2 * WINDOW }), fc.option(tagArb))
  .map(([pick, len, tag]) =>
    cmd(`forEach(${showPick(pick)}, +${len}, tag ${tag})`, (m, s) => {
      const first = resolve(m, pick);
      const want = m
        .overlapping(first, first + len)
        .filter((e) => tag === null || e.tags[tag])
        .map(modelView);
      const got: string[] = [];
      const visit = (index: number, order: number, item: number) => {
        got.push(view({ index, order, item }));
      };
      if (tag === null) s.tree.forEach(first, first + len, visit);
      else s.tree.forEachTagged(first, first + len, tag, visit);
      expect(got).toEqual(want);
    }),
  );

/** Tag every entry (a burst of dirtying stores), so walks and tagRange meet many tagged entries. */
const tagAllCmd = tagArb.map((tag) =>
  cmd(`tagAll(${tag})`, (m, s) => {
    for (const e of m.entries) {
      s.tree.tagSet(e.index + ((e.item >>> 0) % 2 ** e.order), tag);
      e.tags[tag] = true;
    }
  }),
);

/** Delete every entry of one cluster (a truncate): empties subtrees, shrinking the height. */
const truncateCmd = fc.constantFrom(...BASES).map((base) =>
  cmd(`truncate(window ${base})`, (m, s) => {
    for (const e of m.entries.filter((x) => x.index >= base && x.index < base + WINDOW)) {
      expect(s.tree.delete(e.index + 2 ** e.order - 1)).toBe(e.item);
    }
    m.entries = m.entries.filter((x) => x.index < base || x.index >= base + WINDOW);
  }),
);

const commands = [
  insertCmd,
  insertCmd,
  insertCmd,
  deleteCmd,
  lookupCmd,
  replaceCmd,
  tagSetCmd,
  tagSetCmd,
  tagSetCmd,
  tagClearCmd,
  tagRangeCmd,
  gangCmd,
  forEachCmd,
  tagAllCmd,
  truncateCmd,
];

describe('RadixTree against a list model', () => {
  it('E2/E4/W1: random operation sequences agree with the model and keep check() (V3) clean', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 150, size: 'medium' }), (cmds) => {
        fc.modelRun(() => ({ model: new Model(), real: { tree: new RadixTree<number>() } }), cmds);
      }),
      { numRuns: 200 },
    );
  });
});
