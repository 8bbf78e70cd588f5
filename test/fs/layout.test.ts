import { describe, expect, it } from 'vitest';
import { PmemDevice } from '../../src/block/pmem.js';
import { IomapFs } from '../../src/fs/iomap-fs.js';
import { planLayout } from '../../src/fs/layout.js';
import { B, fileBytes, MiB, mkfs, ok, R, TiB, W } from './helpers.js';

describe('planLayout (F1)', () => {
  it('F1: layouts become allocated extents over the whole blocks; sparse is empty', () => {
    expect(planLayout('f', { size: B + 1, layout: 'allocated' })).toEqual([
      { offset: 0, length: 2 * B, type: 'mapped' },
    ]);
    expect(planLayout('f', { size: B, layout: 'unwritten' })).toEqual([
      { offset: 0, length: B, type: 'unwritten' },
    ]);
    expect(planLayout('f', { size: 8 * B })).toEqual([]);
    expect(planLayout('f', { size: 0, layout: 'allocated' })).toEqual([]);
    expect(() => planLayout('f', { size: -1 })).toThrow(RangeError);
  });

  it('F1: explicit extents keep order and sectors, drop holes, reject device overlap', () => {
    expect(
      planLayout('f', {
        size: 3 * B,
        extents: [
          { offset: 0, length: B, type: 'unwritten', sector: 80 },
          { offset: B, length: B, type: 'hole' },
          { offset: 2 * B, length: B, type: 'mapped' },
        ],
      }),
    ).toEqual([
      { offset: 0, length: B, type: 'unwritten', phys: 80 * 512 },
      { offset: 2 * B, length: B, type: 'mapped' },
    ]);
    expect(() =>
      planLayout('f', {
        size: 3 * B,
        extents: [
          { offset: 0, length: 2 * B, type: 'mapped', sector: 80 },
          { offset: 2 * B, length: B, type: 'mapped', sector: 88 },
        ],
      }),
    ).toThrow(/overlap on the device/);
  });
});

describe('IomapFs.createFile (F1)', () => {
  it('F1: explicit extents with a given sector, auto placement, unwritten and holes', () => {
    const fs = mkfs();
    const f = fs.createFile('odd', {
      size: 8 * MiB,
      fill: 0xab,
      extents: [
        { offset: 0, length: 2 * MiB, type: 'mapped' },
        { offset: 2 * MiB, length: 2 * MiB, type: 'mapped', sector: 0x5008 },
        { offset: 4 * MiB, length: 2 * MiB, type: 'unwritten' },
        { offset: 6 * MiB, length: 2 * MiB, type: 'hole' },
      ],
    });
    const ex = fs.extents(f);
    expect(ex.map((e) => e.type)).toEqual(['mapped', 'mapped', 'unwritten', 'hole']);
    expect(ex[1]!.sector).toBe(0x5008);
    expect(ex[0]!.sector * 512).not.toBe(0x5008 * 512);
    expect(fileBytes(fs, f, 2 * MiB - 1, 2)).toEqual(Uint8Array.of(0xab, 0xab));
    expect(fileBytes(fs, f, 4 * MiB, 1)).toEqual(Uint8Array.of(0));
    expect(fs.usedBytes).toBe(6 * MiB);
    expect(() =>
      fs.createFile('clash', {
        size: B,
        extents: [{ offset: 0, length: B, type: 'mapped', sector: 0x5010 }],
      }),
    ).toThrow(/not free/);
    expect(() =>
      fs.createFile('sb', { size: B, extents: [{ offset: 0, length: B, type: 'mapped', sector: 0 }] }),
    ).toThrow(/not free/);
    expect(fs.lookup('clash')).toBeUndefined();
    fs.check();
  });

  it('F1: a partial last block, fill only inside the size', () => {
    const fs = mkfs();
    const f = fs.createFile('f', { size: B + 10, layout: 'allocated', fill: 7 });
    expect(fs.extents(f)).toHaveLength(1);
    expect(fs.extents(f)[0]!.length).toBe(2 * B);
    const m = fs.extents(f)[0]!;
    expect(fs.dev.read(m.sector * 512 + B + 8, 4)).toEqual(Uint8Array.of(7, 7, 0, 0));
    const g = fs.createFile('g', {
      size: B + 10,
      extents: [
        { offset: 0, length: B, type: 'hole' },
        { offset: B, length: 10, type: 'mapped' },
      ],
    });
    expect(fs.extents(g).map((e) => [e.type, e.length])).toEqual([
      ['hole', B],
      ['mapped', B],
    ]);
  });

  it('F1: bad specs throw with the file and extent named', () => {
    const fs = mkfs();
    expect(() =>
      fs.createFile('a', { size: 2 * B, extents: [{ offset: 0, length: B, type: 'mapped' }] }),
    ).toThrow(/cover \[0, 4096\)/);
    expect(() =>
      fs.createFile('a', {
        size: 2 * B,
        extents: [
          { offset: 0, length: B, type: 'mapped' },
          { offset: 2 * B, length: B, type: 'mapped' },
        ],
      }),
    ).toThrow(/extents\[1\]: offset/);
    expect(() =>
      fs.createFile('a', { size: B, extents: [{ offset: 0, length: B, type: 'hole', sector: 8 }] }),
    ).toThrow(/hole has no sector/);
    expect(() =>
      fs.createFile('a', { size: B, extents: [{ offset: 0, length: B, type: 'mapped', sector: 9 }] }),
    ).toThrow(/multiple of 8/);
    expect(() => fs.createFile('a', { size: B, layout: 'sparse', extents: [] })).toThrow(/either/);
    expect(() => fs.createFile('a', { size: 128 * MiB, layout: 'allocated' })).toThrow(/ENOSPC/);
    fs.createFile('a', { size: 0 });
    expect(() => fs.createFile('a', { size: 0 })).toThrow(/exists/);
  });

  it('F1: a 1 TiB allocated file is one extent and costs no device memory', () => {
    const fs = new IomapFs(new PmemDevice({ sizeBytes: 2 * TiB }));
    const f = fs.createFile('big', { size: TiB, layout: 'allocated' });
    expect(fs.extents(f)).toHaveLength(1);
    expect(fs.usedBytes).toBe(TiB);
    expect(fs.dev.bytesAllocated).toBe(0);
    const m = ok(fs.iomapBegin(f, TiB - 2 * MiB, 2 * MiB, R));
    expect(m).toMatchObject({ type: 'mapped', offset: 0, length: TiB });
    fs.truncate(f, TiB / 2);
    expect(fs.usedBytes).toBe(TiB / 2);
  });

  it('F1: extents() rounds the range out to blocks and lists holes explicitly', () => {
    const fs = mkfs({ allocAlignBytes: B, extentHintBytes: B });
    const f = fs.createFile('f', { size: 4 * B });
    ok(fs.iomapBegin(f, B, B, W));
    expect(fs.extents(f, B + 5, 10)).toEqual([
      expect.objectContaining({ type: 'mapped', offset: B, length: B }),
    ]);
    expect(fs.extents(f, 0, 4 * B).map((e) => e.type)).toEqual(['hole', 'mapped', 'hole']);
    expect(fs.extents(f, 5 * B)).toEqual([]);
  });
});
