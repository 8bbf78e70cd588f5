/** Unit tests of PageTable: slots, counts, translate, zap, write-protect, walks (D1-D5, W3, V4). */
import { describe, expect, it } from 'vitest';
import { PageTable } from '../../src/mm/page-table.js';
import { FAULT_NOT_PRESENT, FAULT_WRITE_PROTECT, type MapKind } from '../../src/mm/pt-entry.js';
import { PAGE_SIZE, PMD_SIZE, TASK_SIZE } from '../../src/mm/units.js';

const BASE = 0x7f0000000000; // above 2^32: catches 32-bit address arithmetic
const DEV = 2 ** 28; // a 2 MiB aligned device pfn

type Seen = [vaddr: number, size: number, pfn: number, writable: boolean, kind: MapKind];

function mappings(pt: PageTable, start = 0, end = TASK_SIZE): Seen[] {
  const out: Seen[] = [];
  pt.forEachMapping(start, end, (v, s, p, w, k) => out.push([v, s, p, w, k]));
  return out;
}

describe('PageTable slots (D1, D2)', () => {
  it('a slot is none, huge or table, never both, and counts follow', () => {
    const pt = new PageTable();
    expect(pt.pmdKind(BASE)).toBe('none');
    pt.setHugePmd(BASE + 4096, DEV, false, 'dax');
    expect(pt.pmdKind(BASE)).toBe('huge');
    expect(pt.allocPteTable(BASE)).toBe(false);
    expect(pt.allocPteTable(BASE + PMD_SIZE)).toBe(true);
    expect(pt.allocPteTable(BASE + PMD_SIZE + 8192)).toBe(false);
    expect(pt.pmdKind(BASE + PMD_SIZE + 4096)).toBe('table');
    pt.setPte(BASE + PMD_SIZE, DEV + 600, true, 'dax');
    pt.setPte(BASE + PMD_SIZE + 4096, 77, false, 'hole');
    expect([pt.hugePmds, pt.ptes, pt.pteTables, pt.mappedPages]).toEqual([1, 2, 1, 514]);
    expect(pt.pmdPfn(BASE + 5000)).toBe(DEV);
    expect(pt.pmdPfn(BASE + PMD_SIZE)).toBe(-1);
    expect(pt.ptePfn(BASE)).toBe(-1);
    expect(pt.ptePfn(BASE + PMD_SIZE + 4096)).toBe(77);
    expect(pt.pteKind(BASE + PMD_SIZE + 4096)).toBe('hole');
    expect(pt.pte(BASE + PMD_SIZE)).toEqual({ pfn: DEV + 600, writable: true, kind: 'dax' });
    expect(pt.hugePmd(BASE)).toEqual({ pfn: DEV, writable: false, kind: 'dax' });
  });

  it('D2: setPte into an empty or huge slot throws; allocPteTable first', () => {
    const pt = new PageTable();
    expect(() => pt.setPte(BASE, 1, false, 'dax')).toThrow(/empty; allocPteTable first/);
    pt.setHugePmd(BASE, DEV, false, 'dax');
    expect(() => pt.setPte(BASE, 1, false, 'dax')).toThrow(/huge PMD/);
  });

  it('insertPte refuses a present PTE (insert_pfn -EBUSY); setPte replaces it (COW)', () => {
    const pt = new PageTable();
    pt.allocPteTable(BASE);
    expect(pt.insertPte(BASE, 5, false, 'dax')).toBe(true);
    expect(pt.insertPte(BASE, 6, true, 'dax')).toBe(false);
    expect(pt.ptePfn(BASE)).toBe(5);
    pt.setPte(BASE, 9, true, 'anon');
    expect(pt.pte(BASE)).toEqual({ pfn: 9, writable: true, kind: 'anon' });
    expect(pt.ptes).toBe(1);
    expect(pt.clearPte(BASE)).toBe(true);
    expect(pt.clearPte(BASE)).toBe(false);
    expect(pt.ptes).toBe(0);
    expect(pt.pteTables).toBe(1);
  });

  it('H8: a huge PMD set over a PTE table drops the table and its PTEs from the counts', () => {
    const pt = new PageTable();
    pt.allocPteTable(BASE);
    pt.setPte(BASE, 1, false, 'dax');
    pt.setPte(BASE + 4096, 2, false, 'dax');
    pt.setHugePmd(BASE, DEV, false, 'dax');
    expect([pt.hugePmds, pt.ptes, pt.pteTables]).toEqual([1, 0, 0]);
    pt.setHugePmd(BASE, DEV + 512, true, 'dax');
    expect(pt.hugePmds).toBe(1);
    expect(pt.clearPmd(BASE)).toBe(1);
    expect(pt.clearPmd(BASE)).toBe(0);
    expect(pt.hugePmds).toBe(0);
  });

  it('clearPmd of a table frees it and returns the PTEs removed', () => {
    const pt = new PageTable();
    pt.allocPteTable(BASE);
    for (let i = 0; i < 3; i++) pt.setPte(BASE + i * PAGE_SIZE, i, false, 'dax');
    expect(pt.clearPmd(BASE + 4096)).toBe(3);
    expect([pt.ptes, pt.pteTables, pt.pmdKind(BASE)]).toEqual([0, 0, 'none']);
  });

  it('validates kinds, alignment and addresses', () => {
    const pt = new PageTable();
    pt.allocPteTable(BASE);
    expect(() => pt.setPte(BASE, 1, false, 'zero' as never)).toThrow(/cannot be mapped by a 4 KiB PTE/);
    expect(() => pt.setHugePmd(BASE + PMD_SIZE, 1, false, 'dax')).toThrow(/not 2 MiB aligned/);
    expect(() => pt.setHugePmd(BASE + PMD_SIZE, DEV, false, 'anon' as never)).toThrow(/huge PMD/);
    expect(() => pt.setHugePmd(BASE + PMD_SIZE, DEV, true, 'zero')).toThrow(/read-only/);
    expect(() => pt.setPte(BASE, -1, false, 'dax')).toThrow(RangeError);
    expect(() => pt.translate(TASK_SIZE, false)).toThrow(RangeError);
    expect(() => pt.pmdKind(-1)).toThrow(RangeError);
    expect(() => pt.zapRange(BASE + 1, BASE + PAGE_SIZE, { evenCows: true })).toThrow(/page aligned/);
    expect(() => pt.wrprotectRange(BASE + PAGE_SIZE, BASE)).toThrow(/ordered/);
  });

  it('a huge-only mapping allocates no PTE table (memory: structure, not bytes)', () => {
    const pt = new PageTable();
    for (let i = 0; i < 64; i++) pt.setHugePmd(BASE + i * PMD_SIZE, DEV + i * 512, false, 'dax');
    expect(pt.pteTables).toBe(0);
    expect(pt.hugePmds).toBe(64);
    expect(pt.mappedPages).toBe(64 * 512);
    expect(pt.bytesUsed).toBeLessThan(64 * 512);
  });
});

describe('PageTable.translate (the hardware walk)', () => {
  const pt = new PageTable();
  pt.allocPteTable(BASE);
  pt.setPte(BASE + 0x3000, 100, true, 'dax');
  pt.setPte(BASE + 0x4000, 200, false, 'hole');
  pt.setHugePmd(BASE + PMD_SIZE, DEV, false, 'zero');
  pt.setHugePmd(BASE + 2 * PMD_SIZE, DEV + 512, true, 'dax');

  it('present and permitted: the pfn of the 4 KiB page', () => {
    expect(pt.translate(BASE + 0x3fff, true)).toBe(100);
    expect(pt.translate(BASE + 0x4000, false)).toBe(200);
    expect(pt.translate(BASE + PMD_SIZE + 0x5123, false)).toBe(DEV + 5);
    expect(pt.translate(BASE + 3 * PMD_SIZE - 1, true)).toBe(DEV + 512 + 511);
  });

  it('D4/D3: a write to a read-only PTE or huge PMD is a protection fault', () => {
    expect(pt.translate(BASE + 0x4000, true)).toBe(FAULT_WRITE_PROTECT);
    expect(pt.translate(BASE + PMD_SIZE, true)).toBe(FAULT_WRITE_PROTECT);
  });

  it('absent: no PTE in a table, or an empty slot', () => {
    expect(pt.translate(BASE + 0x5000, false)).toBe(FAULT_NOT_PRESENT);
    expect(pt.translate(BASE + 3 * PMD_SIZE, false)).toBe(FAULT_NOT_PRESENT);
    expect(pt.translate(0, true)).toBe(FAULT_NOT_PRESENT);
  });
});

describe('PageTable.translate cache', () => {
  it('sees every slot change made between two walks of the same slot', () => {
    const pt = new PageTable();
    pt.setHugePmd(BASE, DEV, true, 'dax');
    expect(pt.translate(BASE + 0x1000, true)).toBe(DEV + 1);
    pt.clearPmd(BASE);
    expect(pt.translate(BASE + 0x1000, true)).toBe(FAULT_NOT_PRESENT);
    pt.allocPteTable(BASE);
    pt.setPte(BASE + 0x1000, 7, false, 'hole');
    expect(pt.translate(BASE + 0x1000, false)).toBe(7);
    pt.zapRange(BASE, BASE + PMD_SIZE, { evenCows: true });
    pt.freeEmptyTables(BASE, BASE + PMD_SIZE);
    pt.setHugePmd(BASE, DEV + 512, false, 'zero');
    expect(pt.translate(BASE + 0x1000, false)).toBe(DEV + 513);
    pt.wrprotectRange(BASE, BASE + PAGE_SIZE);
    expect(pt.translate(BASE + 0x1000, true)).toBe(FAULT_WRITE_PROTECT);
  });
});

describe('PageTable.zapRange (D5, F3)', () => {
  function populated(): PageTable {
    const pt = new PageTable();
    pt.allocPteTable(BASE);
    pt.setPte(BASE, 1, false, 'dax');
    pt.setPte(BASE + 0x1000, 2, true, 'anon');
    pt.setPte(BASE + 0x2000, 3, false, 'hole');
    pt.setHugePmd(BASE + PMD_SIZE, DEV, true, 'dax');
    return pt;
  }

  it('D5: evenCows false keeps anon COW copies; evenCows true removes them', () => {
    const pt = populated();
    expect(pt.zapRange(BASE, BASE + 0x3000, { evenCows: false })).toBe(2);
    expect(pt.ptePfn(BASE + 0x1000)).toBe(2);
    expect([pt.ptes, pt.pteTables]).toEqual([1, 1]);
    expect(pt.zapRange(BASE, BASE + 0x3000, { evenCows: true })).toBe(1);
    expect([pt.ptes, pt.pteTables]).toEqual([0, 1]);
  });

  it('D5: a huge PMD only partly inside the range is removed whole', () => {
    const pt = populated();
    expect(pt.zapRange(BASE + PMD_SIZE + 0x7000, BASE + PMD_SIZE + 0x8000, { evenCows: false })).toBe(1);
    expect(pt.pmdKind(BASE + PMD_SIZE)).toBe('none');
    expect(pt.hugePmds).toBe(0);
    expect(pt.ptes).toBe(3);
  });

  it('only touches [start, end): neighbours survive, an empty range zaps nothing', () => {
    const pt = populated();
    expect(pt.zapRange(BASE + 0x1000, BASE + 0x2000, { evenCows: true })).toBe(1);
    expect(mappings(pt).map((m) => m[0])).toEqual([BASE, BASE + 0x2000, BASE + PMD_SIZE]);
    expect(pt.zapRange(BASE, BASE, { evenCows: true })).toBe(0);
  });

  it('frees empty tables only when asked (free_pgtables)', () => {
    const pt = populated();
    pt.zapRange(BASE, BASE + PMD_SIZE, { evenCows: true });
    expect(pt.pteTables).toBe(1);
    expect(pt.freeEmptyTables(BASE, BASE + PAGE_SIZE)).toBe(1);
    expect(pt.pteTables).toBe(0);
    pt.allocPteTable(BASE);
    pt.setPte(BASE, 1, false, 'dax');
    expect(pt.freeEmptyTable(BASE)).toBe(false);
  });
});

describe('PageTable write protection (W3, D4)', () => {
  it('W3: wrprotectRange clears every overlapping PTE and huge PMD, mkwrite restores one', () => {
    const pt = new PageTable();
    pt.allocPteTable(BASE);
    pt.setPte(BASE, 1, true, 'dax');
    pt.setPte(BASE + 0x1000, 2, true, 'dax');
    pt.setPte(BASE + 0x2000, 3, false, 'dax');
    pt.setHugePmd(BASE + PMD_SIZE, DEV, true, 'dax');
    expect(pt.wrprotectRange(BASE + 0x1000, BASE + PMD_SIZE + PAGE_SIZE)).toBe(2);
    expect(pt.pteWritable(BASE)).toBe(true);
    expect(pt.pteWritable(BASE + 0x1000)).toBe(false);
    expect(pt.pmdWritable(BASE + PMD_SIZE)).toBe(false);
    expect(pt.translate(BASE + PMD_SIZE + 0x10000, true)).toBe(FAULT_WRITE_PROTECT);
    expect(pt.mkwritePte(BASE + 0x1000)).toBe(true);
    expect(pt.translate(BASE + 0x1000, true)).toBe(2);
    expect(pt.mkwritePmd(BASE + PMD_SIZE)).toBe(true);
    expect(pt.pmdWritable(BASE + PMD_SIZE)).toBe(true);
    expect(pt.wrprotectPte(BASE)).toBe(true);
    expect(pt.wrprotectPmd(BASE + PMD_SIZE)).toBe(true);
    expect(pt.wrprotectRange(BASE, BASE + 2 * PMD_SIZE)).toBe(1); // only BASE + 0x1000 was writable
    expect(pt.wrprotectRange(BASE, BASE + 2 * PMD_SIZE)).toBe(0);
  });

  it('D4: mkwrite of a missing PTE reports false (the access retries); the zero page never becomes writable', () => {
    const pt = new PageTable();
    expect(pt.mkwritePte(BASE)).toBe(false);
    expect(pt.mkwritePmd(BASE)).toBe(false);
    pt.setHugePmd(BASE, DEV, false, 'zero');
    expect(() => pt.mkwritePmd(BASE)).toThrow(/read-only/);
    expect(pt.wrprotectPmd(BASE)).toBe(true);
  });
});

describe('PageTable.forEachMapping', () => {
  it('V4: visits in address order (the walk V4 checks use), huge PMDs at their aligned address when they overlap the range', () => {
    const pt = new PageTable();
    pt.setHugePmd(BASE + 3 * PMD_SIZE, DEV, false, 'dax');
    pt.allocPteTable(BASE);
    pt.setPte(BASE + 0x5000, 9, true, 'anon');
    pt.setPte(BASE + 0x1000, 8, false, 'hole');
    expect(mappings(pt)).toEqual([
      [BASE + 0x1000, PAGE_SIZE, 8, false, 'hole'],
      [BASE + 0x5000, PAGE_SIZE, 9, true, 'anon'],
      [BASE + 3 * PMD_SIZE, PMD_SIZE, DEV, false, 'dax'],
    ]);
    expect(mappings(pt, BASE + 0x2000, BASE + 3 * PMD_SIZE + PAGE_SIZE).map((m) => m[0])).toEqual([
      BASE + 0x5000,
      BASE + 3 * PMD_SIZE,
    ]);
    expect(mappings(pt, BASE + 0x2000, BASE + 0x5000)).toEqual([]);
  });
});
