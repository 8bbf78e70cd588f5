/** Tests of FileRmap and its span walk (vmaSpans) across processes, driving zap and write-protect (D5, F3, W3). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mm, type MmapOptions } from '../../src/mm/mm.js';
import { FileRmap, vmaSpans } from '../../src/mm/rmap.js';
import { PAGE_SIZE, PMD_SIZE } from '../../src/mm/units.js';
import { linearPageIndex, type Vma } from '../../src/mm/vma.js';
import { file, MiB, mmapOk, type TestFile } from './helpers.js';

/** unmap_mapping_range without the locks: zap each VMA's span (what mm/unmap.ts does under them). */
function unmapFileRange(rmap: FileRmap<TestFile>, start: number, len: number, evenCows: boolean): number {
  let removed = 0;
  for (const [vma, span] of vmaSpans(rmap, 'unmapFileRange', start, len, false)) {
    removed += vma.mm.pageTable.zapRange(span.start, span.end, { evenCows });
  }
  return removed;
}

/** The mkclean walk without the locks: write-protect every mapping of each shared VMA's span. */
function wrprotectFileRange(rmap: FileRmap<TestFile>, start: number, len: number): number {
  let changed = 0;
  for (const [vma, span] of vmaSpans(rmap, 'wrprotectFileRange', start, len, true)) {
    changed += vma.mm.pageTable.wrprotectRange(span.start, span.end);
  }
  return changed;
}

const F = file(7);
const DEV = 2 ** 28;

function map(
  mm: Mm<TestFile>,
  rmap: FileRmap<TestFile>,
  over: Partial<MmapOptions<TestFile>>,
): Vma<TestFile> {
  const v = mmapOk(mm, F, over);
  rmap.add(v);
  return v;
}

/** One private 2-page VMA of F whose first page is a COW copy (anon pfn 99, writable). */
function privateCopy() {
  const rmap = new FileRmap<TestFile>();
  const mm = new Mm<TestFile>(1, 'p');
  const v = map(mm, rmap, { shared: false, length: 8192 });
  mm.pageTable.allocPteTable(v.start);
  mm.pageTable.setPte(v.start, 99, true, 'anon');
  return { rmap, mm, v };
}

/** Two processes over one file: A colour-matched (huge PMD possible), B off by one page. */
function twoProcesses() {
  const rmap = new FileRmap<TestFile>();
  const a = new Mm<TestFile>(1, 'a');
  const b = new Mm<TestFile>(2, 'b');
  const va = map(a, rmap, {});
  const vb = map(b, rmap, { address: 0x7e0000001000 });
  a.pageTable.setHugePmd(va.start, DEV, true, 'dax'); // file pages 0-511
  a.pageTable.allocPteTable(va.start + PMD_SIZE);
  a.pageTable.setPte(va.start + PMD_SIZE, DEV + 512, true, 'dax'); // file page 512
  b.pageTable.allocPteTable(vb.start);
  b.pageTable.allocPteTable(vb.start + PMD_SIZE);
  for (const p of [0, 1, 511, 512]) b.pageTable.setPte(vb.start + p * PAGE_SIZE, DEV + p, true, 'dax');
  return { rmap, a, b, va, vb };
}

describe('FileRmap (i_mmap)', () => {
  it('adds, removes and finds overlapping VMAs by inclusive file page range', () => {
    const rmap = new FileRmap<TestFile>();
    const mm = new Mm<TestFile>(1, 'p');
    const v1 = map(mm, rmap, { pgoff: 0, length: 8192 });
    const v2 = map(mm, rmap, { pgoff: 2, length: 8192 });
    expect(rmap.size).toBe(2);
    expect(rmap.vmasOverlapping(1, 1)).toEqual([v1]);
    expect(rmap.vmasOverlapping(1, 2)).toEqual([v1, v2]);
    expect(rmap.vmasOverlapping(4, Number.POSITIVE_INFINITY)).toEqual([]);
    expect(() => rmap.add(v1)).toThrow(/already/);
    rmap.remove(v1);
    expect(rmap.vmas).toEqual([v2]);
    expect(() => rmap.remove(v1)).toThrow(/not in the rmap/);
  });
});

describe('unmapFileRange (unmap_mapping_range, D5)', () => {
  it("D5: over two processes with different colours, zaps each one's own virtual range", () => {
    const { rmap, a, b, va, vb } = twoProcesses();
    // file page 1: A's huge PMD covers it and goes whole; B loses only page 1
    expect(unmapFileRange(rmap, PAGE_SIZE, PAGE_SIZE, false)).toBe(2);
    expect(a.pageTable.pmdKind(va.start)).toBe('none');
    expect(a.pageTable.ptes).toBe(1);
    expect(b.pageTable.ptePfn(vb.start + PAGE_SIZE)).toBe(-1);
    expect(b.pageTable.ptes).toBe(3);
    // length 0: from file page 512 to the end of the file
    expect(unmapFileRange(rmap, 2 * MiB, 0, false)).toBe(2);
    expect(a.pageTable.ptes).toBe(0);
    expect(b.pageTable.ptes).toBe(2);
  });

  it('D5/F3: private COW copies survive unless evenCows', () => {
    const { rmap, mm, v } = privateCopy();
    mm.pageTable.setPte(v.start + PAGE_SIZE, DEV + 1, false, 'dax');
    expect(unmapFileRange(rmap, 0, 0, false)).toBe(1);
    expect(mm.pageTable.ptePfn(v.start)).toBe(99);
    expect(unmapFileRange(rmap, 0, 0, true)).toBe(1);
    expect(mm.pageTable.ptes).toBe(0);
  });

  it('rounds as the kernel does: start down, length up (not the end)', () => {
    const { rmap, b, vb } = twoProcesses();
    expect(unmapFileRange(rmap, 4095, 2, false)).toBe(2); // pages [0, 0]: B page 0, A's huge PMD
    expect(b.pageTable.ptePfn(vb.start + PAGE_SIZE)).toBe(DEV + 1);
    expect(() => unmapFileRange(rmap, -1, 0, false)).toThrow(RangeError);
  });
});

describe('wrprotectFileRange (W3)', () => {
  it('W3: write-protects every mapping of the range in shared VMAs of every process', () => {
    const { rmap, a, b, va, vb } = twoProcesses();
    expect(wrprotectFileRange(rmap, 510 * PAGE_SIZE, 3 * PAGE_SIZE)).toBe(4);
    expect(a.pageTable.pmdWritable(va.start)).toBe(false);
    expect(a.pageTable.pteWritable(va.start + PMD_SIZE)).toBe(false);
    expect(b.pageTable.pteWritable(vb.start + 511 * PAGE_SIZE)).toBe(false);
    expect(b.pageTable.pteWritable(vb.start + 512 * PAGE_SIZE)).toBe(false);
    expect(b.pageTable.pteWritable(vb.start + PAGE_SIZE)).toBe(true);
  });

  it("W3: skips private VMAs (their COW copies are not the file's)", () => {
    const { rmap, mm, v } = privateCopy();
    expect(wrprotectFileRange(rmap, 0, 0)).toBe(0);
    expect(mm.pageTable.pteWritable(v.start)).toBe(true);
  });
});

describe('unmapFileRange property (D5)', () => {
  it('D5: removes exactly the PTEs whose file page is in range (anon only with evenCows)', () => {
    const vmaArb = fc.record({
      pgoff: fc.nat(40),
      pages: fc.integer({ min: 1, max: 40 }),
      slot: fc.nat(3),
      mm: fc.nat(1),
    });
    fc.assert(
      fc.property(
        fc.array(vmaArb, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.nat(90 * PAGE_SIZE),
        fc.nat(50 * PAGE_SIZE),
        fc.boolean(),
        (vmaSpecs, anonBits, startByte, lengthBytes, evenCows) => {
          const rmap = new FileRmap<TestFile>();
          const mms = [new Mm<TestFile>(1, 'a'), new Mm<TestFile>(2, 'b')];
          const vmas: Vma<TestFile>[] = [];
          vmaSpecs.forEach((s, i) => {
            const address = 0x7e0000000000 + s.slot * 0x10000000 + i * 0x100000 + s.pgoff * PAGE_SIZE;
            const mm = mms[s.mm]!;
            const r = mm.mmap({
              file: F,
              pgoff: s.pgoff,
              length: s.pages * PAGE_SIZE,
              shared: false,
              writable: true,
              name: `v${i}`,
              address,
            });
            if (typeof r === 'string') return;
            rmap.add(r);
            vmas.push(r);
          });
          // every page of every VMA gets a PTE, so range edges always meet one; `anonBits` picks COW copies
          const placed: [Vma<TestFile>, number, boolean][] = [];
          for (const v of vmas) {
            for (let vaddr = v.start, i = 0; vaddr < v.end; vaddr += PAGE_SIZE, i++) {
              const anon = ((anonBits >>> (i % 31)) & 1) === 1;
              v.mm.pageTable.allocPteTable(vaddr);
              v.mm.pageTable.setPte(vaddr, 1, true, anon ? 'anon' : 'dax');
              placed.push([v, vaddr, anon]);
            }
          }
          const first = Math.floor(startByte / PAGE_SIZE);
          const last = lengthBytes === 0 ? Infinity : first + Math.ceil(lengthBytes / PAGE_SIZE) - 1;
          const doomed = placed.filter(([v, vaddr, anon]) => {
            const idx = linearPageIndex(v, vaddr);
            return idx >= first && idx <= last && (evenCows || !anon);
          });
          expect(unmapFileRange(rmap, startByte, lengthBytes, evenCows)).toBe(doomed.length);
          for (const [v, vaddr] of placed) {
            expect(v.mm.pageTable.ptePfn(vaddr) < 0).toBe(
              doomed.some(([w, x]) => w.mm === v.mm && x === vaddr),
            );
          }
        },
      ),
    );
  });
});
