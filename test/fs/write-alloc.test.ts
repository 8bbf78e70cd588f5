import { describe, expect, it } from 'vitest';
import { BlockAllocator } from '../../src/fs/allocator.js';
import { allocateForWrite, hintedRange } from '../../src/fs/write-alloc.js';
import { B, MiB } from './helpers.js';

describe('write allocation policy (F2)', () => {
  it('F2: the hinted range is the hint-aligned blocks around the write, clipped to the hole', () => {
    expect(hintedRange(3 * MiB, B, 2 * MiB, 0, 64 * MiB)).toEqual([2 * MiB, 4 * MiB]);
    expect(hintedRange(3 * MiB, 2 * MiB, 2 * MiB, 0, 64 * MiB)).toEqual([2 * MiB, 6 * MiB]);
    expect(hintedRange(3 * MiB, B, 2 * MiB, 2 * MiB + B, 3 * MiB + 2 * B)).toEqual([
      2 * MiB + B,
      3 * MiB + 2 * B,
    ]);
    expect(hintedRange(5 * B + 1, 1, B, 0, 100 * B)).toEqual([5 * B, 6 * B]);
  });

  it('F2: the whole range when it fits, placed congruent to the file offset', () => {
    const a = new BlockAllocator(64 * MiB, 64 * MiB);
    const e = allocateForWrite(a, 2 * MiB, 2 * MiB, 4 * MiB, 3 * MiB, B)!;
    expect(e).toMatchObject({ offset: 2 * MiB, length: 2 * MiB, type: 'mapped' });
    expect(e.phys % (2 * MiB)).toBe(0);
  });

  it('F2/M6: short of space: the blocks under the write, then the longest run, then null', () => {
    const a = new BlockAllocator(64 * MiB, 3 * B);
    expect(allocateForWrite(a, B, 0, 16 * B, 4 * B + 10, 2 * B)).toMatchObject({
      offset: 4 * B,
      length: 3 * B,
    });
    const b = new BlockAllocator(64 * MiB, 2 * B);
    expect(allocateForWrite(b, B, 0, 16 * B, 4 * B + 10, 2 * B)).toMatchObject({
      offset: 4 * B,
      length: 2 * B,
    });
    expect(b.freeBytes).toBe(0);
    expect(allocateForWrite(b, B, 0, 16 * B, 8 * B, B)).toBeNull();
    expect(b.usedBytes).toBe(2 * B);
  });
});
