/** Tests of the VMA file-offset arithmetic (D1, M2). */
import { describe, expect, it } from 'vitest';
import { Mm } from '../../src/mm/mm.js';
import { PMD_SIZE } from '../../src/mm/units.js';
import { linearPageIndex, vmaContains, vmaOffsetOf, vmaPages } from '../../src/mm/vma.js';
import { file, MiB } from './helpers.js';

describe('VMA file-offset arithmetic (D1)', () => {
  const mm = new Mm(1, 'p');
  const vma = mm.mmap({
    file: file(1),
    pgoff: 3,
    length: 4 * MiB,
    shared: true,
    writable: true,
    name: 'm',
    address: 0x7e0000000000,
  });
  if (typeof vma === 'string') throw new Error(vma);

  it('linearPageIndex maps the VMA linearly onto file pages from pgoff', () => {
    expect(vmaPages(vma)).toBe(1024);
    expect(linearPageIndex(vma, vma.start)).toBe(3);
    expect(linearPageIndex(vma, vma.start + 0x1fff)).toBe(4);
    expect(linearPageIndex(vma, vma.end - 1)).toBe(3 + 1023);
  });

  it('M2: linearPageIndex does no bounds check (the PMD-aligned address may lie below vm_start)', () => {
    expect(linearPageIndex(vma, vma.start - PMD_SIZE)).toBe(3 - 512);
  });

  it('vmaOffsetOf inverts linearPageIndex inside the VMA and is undefined outside', () => {
    expect(vmaOffsetOf(vma, 3 * 4096 + 5)).toBe(vma.start + 5);
    expect(vmaOffsetOf(vma, 1026 * 4096 + 4095)).toBe(vma.end - 1);
    expect(vmaOffsetOf(vma, 3 * 4096 - 1)).toBeUndefined();
    expect(vmaOffsetOf(vma, 1027 * 4096)).toBeUndefined();
    expect(vmaContains(vma, vma.start)).toBe(true);
    expect(vmaContains(vma, vma.end)).toBe(false);
  });
});
