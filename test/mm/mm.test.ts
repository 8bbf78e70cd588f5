/** Tests of Mm: mmap address choice (M3, H3), validation, findVma and munmap (D1). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mm, type MmapOptions } from '../../src/mm/mm.js';
import { MMAP_BASE, MMAP_MIN_ADDR, PAGE_SIZE, PMD_SIZE, TASK_SIZE } from '../../src/mm/units.js';
import type { Vma } from '../../src/mm/vma.js';
import { file, KiB, MiB, mmapOk, mmapOptions, type TestFile } from './helpers.js';

const F = file(1);

const opts = (over: Partial<MmapOptions<TestFile>>) => mmapOptions(F, over);
const map = (mm: Mm<TestFile>, over: Partial<MmapOptions<TestFile>>): Vma<TestFile> => mmapOk(mm, F, over);

const colour = (x: number): number => ((x % PMD_SIZE) + PMD_SIZE) % PMD_SIZE;

describe('Mm.mmap address: auto (thp_get_unmapped_area, M3/H3)', () => {
  it('M3: pgoff 0, 4 MiB: a 2 MiB aligned start, top-down below MMAP_BASE', () => {
    const mm = new Mm<TestFile>(1, 'p');
    const v = map(mm, {});
    expect(colour(v.start)).toBe(0);
    expect(v.end).toBeLessThanOrEqual(MMAP_BASE);
    expect(v.start).toBeGreaterThanOrEqual(MMAP_BASE - 6 * MiB);
  });

  it('M3: odd page offsets give the start the file offset colour', () => {
    const mm = new Mm<TestFile>(1, 'p');
    for (const pgoff of [1, 3, 513, 1023]) {
      const v = map(mm, { pgoff, length: 8 * MiB });
      expect(colour(v.start - pgoff * PAGE_SIZE)).toBe(0);
    }
    const vmas = mm.vmas;
    for (let i = 1; i < vmas.length; i++) expect(vmas[i]!.start).toBeGreaterThanOrEqual(vmas[i - 1]!.end);
  });

  it('length < 2 MiB: only page aligned (the first area directly below MMAP_BASE)', () => {
    const mm = new Mm<TestFile>(1, 'p');
    const v = map(mm, { pgoff: 1, length: 12 * KiB });
    expect(v.start).toBe(MMAP_BASE - 12 * KiB);
    const w = map(mm, { pgoff: 0, length: 100 });
    expect([w.start, w.end]).toEqual([v.start - 4 * KiB, v.start]);
  });

  it('like 4.10, colouring needs a whole aligned 2 MiB file block inside the range', () => {
    const mm = new Mm<TestFile>(1, 'p');
    const v = map(mm, { pgoff: 1, length: 2 * MiB });
    expect(v.start).toBe(MMAP_BASE - 2 * MiB);
    expect(colour(v.start - PAGE_SIZE)).not.toBe(0);
    const w = map(mm, { pgoff: 1, length: 4 * MiB });
    expect(colour(w.start - PAGE_SIZE)).toBe(0);
  });

  it('falls back to bottom-up above MMAP_BASE, then ENOMEM', () => {
    const mm = new Mm<TestFile>(1, 'p');
    const low = map(mm, { length: MMAP_BASE - MMAP_MIN_ADDR, pgoff: 1 });
    expect(low.start).toBe(MMAP_MIN_ADDR);
    const high = map(mm, { length: 2 * MiB });
    expect(high.start).toBe(MMAP_BASE);
    const top = map(mm, { length: TASK_SIZE - MMAP_BASE - 2 * MiB, pgoff: 1 });
    expect(top.end).toBe(TASK_SIZE);
    expect(mm.mmap(opts({ length: 4096 }))).toBe('ENOMEM');
  });
});

describe('Mm.mmap address: explicit', () => {
  it('accepts a free page-aligned address of any colour and rounds the length up to pages', () => {
    const mm = new Mm<TestFile>(1, 'p');
    const v = map(mm, { address: 0x7e0000001000, length: 4097 });
    expect([v.start, v.end]).toEqual([0x7e0000001000, 0x7e0000003000]);
  });

  it('EINVAL: misaligned, below mmap_min_addr, overlapping, zero length, bad pgoff; ENOMEM past TASK_SIZE', () => {
    const mm = new Mm<TestFile>(1, 'p');
    map(mm, { address: 0x7e0000200000, length: 2 * MiB });
    expect(mm.mmap(opts({ address: 0x7e0000000800 }))).toBe('EINVAL');
    expect(mm.mmap(opts({ address: 0x1000 }))).toBe('EINVAL');
    expect(mm.mmap(opts({ address: 0x7e0000000000, length: 2 * MiB + 4096 }))).toBe('EINVAL');
    expect(mm.mmap(opts({ address: 0x7e00003ff000 }))).toBe('EINVAL');
    expect(mm.mmap(opts({ address: 0x7e0000100000, length: 8 * MiB }))).toBe('EINVAL');
    expect(mm.mmap(opts({ length: 0 }))).toBe('EINVAL');
    expect(mm.mmap(opts({ pgoff: -1 }))).toBe('EINVAL');
    expect(mm.mmap(opts({ pgoff: 0.5 }))).toBe('EINVAL');
    expect(mm.mmap(opts({ address: TASK_SIZE - 2 * MiB, length: 4 * MiB }))).toBe('ENOMEM');
    expect(mm.vmas).toHaveLength(1);
    const adj = map(mm, { address: 0x7e0000000000, length: 2 * MiB });
    expect(adj.end).toBe(0x7e0000200000);
  });
});

describe('Mm.findVma and munmap (D1)', () => {
  it('D1: findVma finds the containing VMA or undefined (SIGSEGV)', () => {
    const mm = new Mm<TestFile>(1, 'p');
    const a = map(mm, { address: 0x10000000, length: 8192, name: 'a' });
    const b = map(mm, { address: 0x10003000, length: 4096, name: 'b' });
    expect(mm.findVma(0x10000000)).toBe(a);
    expect(mm.findVma(0x10001fff)).toBe(a);
    expect(mm.findVma(0x10002000)).toBeUndefined();
    expect(mm.findVma(0x10003000)).toBe(b);
    expect(mm.findVma(0x10004000)).toBeUndefined();
    expect(mm.findVmaByName('b')).toBe(b);
  });

  it('munmap zaps COW copies too and frees tables unless a neighbour shares the 2 MiB block', () => {
    const mm = new Mm<TestFile>(1, 'p');
    const pt = mm.pageTable;
    const a = map(mm, { address: 0x40000000, length: 8192, name: 'a' });
    const b = map(mm, { address: 0x40002000, length: 3 * MiB, name: 'b', shared: false });
    pt.allocPteTable(a.start);
    pt.setPte(a.start, 10, false, 'dax');
    pt.setPte(b.start, 11, true, 'anon');
    pt.allocPteTable(b.start + 2 * MiB);
    pt.setPte(b.start + 2 * MiB, 12, false, 'hole');
    mm.munmap(b);
    expect(mm.vmas).toEqual([a]);
    expect(pt.ptes).toBe(1);
    expect(pt.pteTables).toBe(1);
    expect(pt.ptePfn(a.start)).toBe(10);
    mm.munmap(a);
    expect([pt.ptes, pt.pteTables, mm.vmas.length]).toEqual([0, 0, 0]);
    expect(() => mm.munmap(a)).toThrow(/not mapped/);
  });

  it('munmap removes a huge PMD and frees interior tables of a large VMA', () => {
    const mm = new Mm<TestFile>(1, 'p');
    const pt = mm.pageTable;
    const v = map(mm, { length: 8 * MiB });
    pt.setHugePmd(v.start, 2 ** 28, true, 'dax');
    for (const off of [2 * MiB, 4 * MiB, 6 * MiB]) pt.allocPteTable(v.start + off);
    pt.setPte(v.start + 4 * MiB, 1, false, 'dax');
    mm.munmapAll();
    expect([pt.hugePmds, pt.ptes, pt.pteTables]).toEqual([0, 0, 0]);
  });
});

describe('Mm properties', () => {
  it('D1: VMAs stay sorted and disjoint; auto areas are coloured; findVma agrees with a scan', () => {
    const cmd = fc.oneof(
      fc.record({
        t: fc.constant('mmap' as const),
        pgoff: fc.nat(2048),
        pages: fc.integer({ min: 1, max: 3000 }),
        at: fc.option(fc.nat(4096), { nil: undefined }),
      }),
      fc.record({ t: fc.constant('munmap' as const), i: fc.nat(20) }),
    );
    fc.assert(
      fc.property(
        fc.array(cmd, { maxLength: 30 }),
        fc.array(fc.nat(8192), { maxLength: 20 }),
        (cmds, probes) => {
          const mm = new Mm<TestFile>(1, 'p');
          for (const c of cmds) {
            if (c.t === 'munmap') {
              const v = mm.vmas[c.i % Math.max(1, mm.vmas.length)];
              if (v) mm.munmap(v);
              continue;
            }
            const length = c.pages * PAGE_SIZE;
            const address = c.at === undefined ? 'auto' : MMAP_BASE - 8192 * PAGE_SIZE + c.at * PAGE_SIZE;
            const r = mm.mmap(opts({ pgoff: c.pgoff, length, address }));
            const clash =
              address !== 'auto' &&
              mm.vmas.some((v) => v !== r && v.start < address + length && address < v.end);
            if (address !== 'auto') expect(typeof r === 'string').toBe(clash);
            if (typeof r === 'string') continue;
            const off = c.pgoff * PAGE_SIZE;
            if (address === 'auto' && off + length - Math.ceil(off / PMD_SIZE) * PMD_SIZE >= PMD_SIZE) {
              expect(colour(r.start - off)).toBe(0);
            }
          }
          const vmas = mm.vmas;
          for (let i = 1; i < vmas.length; i++)
            expect(vmas[i]!.start).toBeGreaterThanOrEqual(vmas[i - 1]!.end);
          for (const p of probes) {
            const vaddr = MMAP_BASE - 8192 * PAGE_SIZE + p * PAGE_SIZE - 1;
            expect(mm.findVma(vaddr)).toBe(vmas.find((v) => v.start <= vaddr && vaddr < v.end));
          }
        },
      ),
    );
  });
});
