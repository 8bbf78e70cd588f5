/**
 * Model-based test of PageTable against a reference Map<pageVaddr, {pfn, writable, kind}>
 * in which a huge PMD is 512 page entries. Three slots at the top of user space (the last whole
 * 2 MiB blocks below TASK_SIZE), so addresses exceed 32 bits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PageTable } from '../../src/mm/page-table.js';
import {
  FAULT_NOT_PRESENT,
  FAULT_WRITE_PROTECT,
  type MapKind,
  type PmdMapKind,
  type PteKind,
} from '../../src/mm/pt-entry.js';
import { PAGE_SIZE, PMD_SIZE, pmdAlignDown, TASK_SIZE } from '../../src/mm/units.js';

const SLOTS = 3;
const TOP = pmdAlignDown(TASK_SIZE);
const BASE = TOP - SLOTS * PMD_SIZE;
const PAGES = SLOTS * 512;
const DEV = 2 ** 28;

interface RefPage {
  pfn: number;
  writable: boolean;
  kind: MapKind;
  huge: boolean;
}

class Ref {
  readonly pages = new Map<number, RefPage>();
  readonly tables = new Set<number>();
  readonly huge = new Set<number>();

  slotPages(s: number): number[] {
    return Array.from({ length: 512 }, (_, i) => BASE + s * PMD_SIZE + i * PAGE_SIZE);
  }
  ptesIn(s: number): number {
    return this.slotPages(s).filter((v) => this.pages.has(v)).length;
  }
  clearSlot(s: number): number {
    let n = this.huge.has(s) ? 1 : this.ptesIn(s);
    for (const v of this.slotPages(s)) this.pages.delete(v);
    if (!this.huge.has(s) && !this.tables.has(s)) n = 0;
    this.huge.delete(s);
    this.tables.delete(s);
    return n;
  }
}

const pteKind = fc.constantFrom<PteKind>('dax', 'hole', 'anon');
const pmdKind = fc.constantFrom<PmdMapKind>('dax', 'zero');
const slot = fc.nat(SLOTS - 1);
/** Pages cluster on a few offsets per slot so that PTEs sit at range edges often. */
const HOT = [0, 1, 255, 256, 511];
const hotPage = fc.tuple(slot, fc.constantFrom(...HOT)).map(([s, i]) => s * 512 + i);
const page = fc.oneof({ weight: 3, arbitrary: hotPage }, { weight: 1, arbitrary: fc.nat(PAGES - 1) });
const edge = fc.oneof(
  { weight: 2, arbitrary: hotPage },
  { weight: 2, arbitrary: hotPage.map((p) => p + 1) },
  { weight: 1, arbitrary: fc.nat(PAGES) },
);
/** Pages whose translation is checked after every command: the hot pages and their neighbours. */
const CHECKED = [
  ...new Set([0, 1, 2, 3].flatMap((s) => HOT.flatMap((i) => [i - 1, i, i + 1].map((j) => s * 512 + j)))),
]
  .filter((p) => p >= 0 && p < PAGES)
  .sort((a, b) => a - b);
const CHECKED_DESC = [...CHECKED].reverse();
const range = fc.tuple(edge, edge).map(([a, b]): readonly [number, number] => (a <= b ? [a, b] : [b, a]));

const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('alloc' as const), s: slot }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('zap' as const), r: range, cows: fc.boolean() }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('set' as const),
      p: page,
      pfn: fc.nat(1000),
      w: fc.boolean(),
      k: pteKind,
    }),
  },
  fc.record({ t: fc.constant('insert' as const), p: page, pfn: fc.nat(1000), w: fc.boolean(), k: pteKind }),
  fc.record({ t: fc.constant('clearPte' as const), p: page }),
  fc.record({ t: fc.constant('huge' as const), s: slot, blk: fc.nat(8), w: fc.boolean(), k: pmdKind }),
  fc.record({ t: fc.constant('clearPmd' as const), s: slot }),
  fc.record({ t: fc.constantFrom('wpPte' as const, 'mkwPte' as const), p: page }),
  fc.record({ t: fc.constantFrom('wpPmd' as const, 'mkwPmd' as const), s: slot }),
  fc.record({ t: fc.constantFrom('wpRange' as const, 'freeTables' as const), r: range }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

const va = (p: number): number => BASE + p * PAGE_SIZE;
const slotOf = (p: number): number => Math.floor(p / 512);

/** Apply `o` to both; return [actual, expected] results (thrown errors as 'throw'). */
function step(pt: PageTable, ref: Ref, o: Op): [unknown, unknown] {
  const attempt = (f: () => unknown): unknown => {
    try {
      return f();
    } catch {
      return 'throw';
    }
  };
  switch (o.t) {
    case 'alloc': {
      const free = !ref.tables.has(o.s) && !ref.huge.has(o.s);
      if (free) ref.tables.add(o.s);
      return [pt.allocPteTable(BASE + o.s * PMD_SIZE), free];
    }
    case 'set':
    case 'insert': {
      const hasTable = ref.tables.has(slotOf(o.p));
      const fresh = !ref.pages.has(va(o.p));
      const act = attempt(() =>
        o.t === 'set' ? pt.setPte(va(o.p), o.pfn, o.w, o.k) : pt.insertPte(va(o.p), o.pfn, o.w, o.k),
      );
      if (hasTable && (o.t === 'set' || fresh)) {
        ref.pages.set(va(o.p), { pfn: o.pfn, writable: o.w, kind: o.k, huge: false });
      }
      return [act, !hasTable ? 'throw' : o.t === 'set' ? undefined : fresh];
    }
    case 'clearPte': {
      const had = ref.tables.has(slotOf(o.p)) && ref.pages.delete(va(o.p));
      return [pt.clearPte(va(o.p)), had];
    }
    case 'huge': {
      const w = o.k === 'zero' ? false : o.w;
      ref.clearSlot(o.s);
      ref.huge.add(o.s);
      ref.slotPages(o.s).forEach((v, i) => {
        ref.pages.set(v, { pfn: DEV + o.blk * 512 + i, writable: w, kind: o.k, huge: true });
      });
      return [pt.setHugePmd(BASE + o.s * PMD_SIZE, DEV + o.blk * 512, w, o.k), undefined];
    }
    case 'clearPmd':
      return [pt.clearPmd(BASE + o.s * PMD_SIZE + 4096), ref.clearSlot(o.s)];
    case 'wpPte':
    case 'mkwPte': {
      const e = ref.tables.has(slotOf(o.p)) ? ref.pages.get(va(o.p)) : undefined;
      if (e) e.writable = o.t === 'mkwPte';
      return [o.t === 'wpPte' ? pt.wrprotectPte(va(o.p)) : pt.mkwritePte(va(o.p)), e !== undefined];
    }
    case 'wpPmd':
    case 'mkwPmd': {
      const isHuge = ref.huge.has(o.s);
      const pages = ref.slotPages(o.s).map((v) => ref.pages.get(v));
      const zero = isHuge && pages[0]!.kind === 'zero' && o.t === 'mkwPmd';
      if (isHuge && !zero) for (const e of pages) e!.writable = o.t === 'mkwPmd';
      const vaddr = BASE + o.s * PMD_SIZE;
      return [
        attempt(() => (o.t === 'wpPmd' ? pt.wrprotectPmd(vaddr) : pt.mkwritePmd(vaddr))),
        zero ? 'throw' : isHuge,
      ];
    }
    case 'zap':
      return [pt.zapRange(va(o.r[0]), va(o.r[1]), { evenCows: o.cows }), refZap(ref, o.r[0], o.r[1], o.cows)];
    case 'wpRange':
      return [pt.wrprotectRange(va(o.r[0]), va(o.r[1])), refWrprotect(ref, o.r[0], o.r[1])];
    case 'freeTables':
      return [pt.freeEmptyTables(va(o.r[0]), va(o.r[1])), refFreeTables(ref, o.r[0], o.r[1])];
  }
}

function slotsOverlapping(a: number, b: number): number[] {
  if (a === b) return [];
  const out: number[] = [];
  for (let s = slotOf(a); s <= slotOf(b - 1); s++) out.push(s);
  return out;
}

function refZap(ref: Ref, a: number, b: number, cows: boolean): number {
  let n = 0;
  for (const s of slotsOverlapping(a, b)) {
    if (ref.huge.has(s)) n += ref.clearSlot(s);
  }
  for (let p = a; p < b; p++) {
    const e = ref.pages.get(va(p));
    if (e && (cows || e.kind !== 'anon') && ref.pages.delete(va(p))) n++;
  }
  return n;
}

function refWrprotect(ref: Ref, a: number, b: number): number {
  let n = 0;
  for (const s of slotsOverlapping(a, b)) {
    if (!ref.huge.has(s)) continue;
    const pages = ref.slotPages(s).map((v) => ref.pages.get(v)!);
    if (pages[0]!.writable) n++;
    for (const e of pages) e.writable = false;
  }
  for (let p = a; p < b; p++) {
    const e = ref.pages.get(va(p));
    if (e && !e.huge && e.writable) {
      e.writable = false;
      n++;
    }
  }
  return n;
}

function refFreeTables(ref: Ref, a: number, b: number): number {
  let n = 0;
  for (const s of slotsOverlapping(a, b)) {
    if (ref.tables.has(s) && ref.ptesIn(s) === 0) {
      ref.tables.delete(s);
      n++;
    }
  }
  return n;
}

/** Translations are checked in alternating order, so each check starts in the slot the last one
 * ended in: a stale translate cache (a slot changed between the two) would be seen. */
function checkAgainst(pt: PageTable, ref: Ref, step: number): void {
  const ptes = [...ref.pages.values()].filter((e) => !e.huge).length;
  expect([pt.hugePmds, pt.ptes, pt.pteTables]).toEqual([ref.huge.size, ptes, ref.tables.size]);
  expect(pt.mappedPages).toBe(ref.pages.size);
  for (let s = 0; s < SLOTS; s++) {
    const kind = ref.huge.has(s) ? 'huge' : ref.tables.has(s) ? 'table' : 'none';
    expect(pt.pmdKind(BASE + s * PMD_SIZE)).toBe(kind);
  }
  for (const p of step % 2 === 0 ? CHECKED : CHECKED_DESC) {
    const e = ref.pages.get(va(p));
    const read = e ? e.pfn : FAULT_NOT_PRESENT;
    const write = e ? (e.writable ? e.pfn : FAULT_WRITE_PROTECT) : FAULT_NOT_PRESENT;
    if (pt.translate(va(p), false) !== read || pt.translate(va(p), true) !== write) {
      expect([p, pt.translate(va(p), false), pt.translate(va(p), true)]).toEqual([p, read, write]);
    }
  }
  let visited = 0;
  pt.forEachMapping(BASE, TOP, (v, size, pfn, writable, kind) => {
    for (let i = 0; i < size / PAGE_SIZE; i++) {
      const e = ref.pages.get(v + i * PAGE_SIZE);
      const ok =
        e?.pfn === pfn + i && e.writable === writable && e.kind === kind && e.huge === (size === PMD_SIZE);
      if (!ok) expect([v + i * PAGE_SIZE, pfn + i, writable, kind]).toEqual(e);
      visited++;
    }
  });
  expect(visited).toBe(ref.pages.size);
}

describe('PageTable model-based (D1, D2, D5, W3, V4)', () => {
  it('D1/D2/D5/W3/V4: every command agrees with the page-map reference, counts and walks included', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60, size: 'max' }), (ops) => {
        const pt = new PageTable();
        const ref = new Ref();
        ops.forEach((o, i) => {
          const [actual, expected] = step(pt, ref, o);
          expect(actual).toEqual(expected);
          checkAgainst(pt, ref, i);
        });
      }),
      { numRuns: 200 },
    );
  });
});
