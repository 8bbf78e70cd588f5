import { describe, expect, it } from 'vitest';
import { Inode } from '../../src/fs/inode.js';
import { MAX_FILE_BYTES } from '../../src/fs/iomap.js';

describe('Inode (F1)', () => {
  it('F1: blockEnd rounds the size up to a 4 KiB block', () => {
    const i = new Inode(7, 'f', 0);
    expect(i.blockEnd).toBe(0);
    i.size = 1;
    expect(i.blockEnd).toBe(4096);
    i.size = 8192;
    expect(i.blockEnd).toBe(8192);
    expect(i.extents.count).toBe(0);
    expect(i.iomapsInFlight).toBe(0);
  });

  it('F1: a size outside [0, MAX_FILE_BYTES] or not an integer throws', () => {
    const i = new Inode(1, 'f', 10);
    expect(() => {
      i.size = -1;
    }).toThrow(RangeError);
    expect(() => {
      i.size = 1.5;
    }).toThrow(RangeError);
    expect(() => new Inode(2, 'g', MAX_FILE_BYTES + 4096)).toThrow(RangeError);
    expect(i.size).toBe(10);
  });
});
