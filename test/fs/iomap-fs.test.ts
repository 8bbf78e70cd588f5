import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/fs/iomap.js';
import { B, fileBytes, MiB, mkfs, ok, R, W } from './helpers.js';

describe('IomapFs.iomapBegin reads (F2)', () => {
  it('F2: a mapped file returns the whole extent, 2 MiB aligned on the device', () => {
    const fs = mkfs();
    const f = fs.createFile('data', { size: 4 * MiB, layout: 'allocated' });
    const m = ok(fs.iomapBegin(f, 2 * MiB + 5, 4096, R));
    expect(m).toMatchObject({ type: 'mapped', offset: 0, length: 4 * MiB, isNew: false });
    expect((m.sector * 512) % (2 * MiB)).toBe(0);
    expect(fs.iomapEnd(f, 2 * MiB, 4096, 0, R, m)).toBeNull();
  });

  it('F2/R1: hole and unwritten extents; beyond the EOF block a hole', () => {
    const fs = mkfs();
    const sparse = fs.createFile('sparse', { size: 8 * MiB });
    expect(ok(fs.iomapBegin(sparse, MiB, B, R))).toEqual({
      type: 'hole',
      offset: 0,
      length: MAX_FILE_BYTES,
      sector: -1,
      isNew: false,
    });
    const unw = fs.createFile('unw', { size: 4 * MiB, layout: 'unwritten' });
    const u = ok(fs.iomapBegin(unw, 3 * MiB, B, R));
    expect(u).toMatchObject({ type: 'unwritten', offset: 0, length: 4 * MiB, isNew: false });
    expect(u.sector).toBeGreaterThan(0);
    const small = fs.createFile('small', { size: 100, layout: 'allocated' });
    expect(ok(fs.iomapBegin(small, 200, 8, R))).toMatchObject({ type: 'mapped', offset: 0, length: B });
    expect(ok(fs.iomapBegin(small, B, 8, R))).toMatchObject({ type: 'hole', offset: B, sector: -1 });
    expect(fs.usedBytes).toBe(4 * MiB + B);
  });

  it('F2: EFBIG past the maximum file size', () => {
    const fs = mkfs();
    const f = fs.createFile('f', { size: B });
    expect(fs.iomapBegin(f, MAX_FILE_BYTES - B, 2 * B, W)).toBe('EFBIG');
    expect(fs.iomapBegin(f, MAX_FILE_BYTES, B, R)).toBe('EFBIG');
    expect(ok(fs.iomapBegin(f, MAX_FILE_BYTES - B, 2 * B, R)).type).toBe('hole');
    expect(fs.fallocate(f, MAX_FILE_BYTES - B, 2 * B)).toBe('EFBIG');
    expect(() => fs.truncate(f, MAX_FILE_BYTES + 1)).toThrow(RangeError);
    expect(f.iomapsInFlight).toBe(1);
  });

  it('F2: misuse throws', () => {
    const fs = mkfs();
    const f = fs.createFile('f', { size: B });
    expect(() => fs.iomapBegin(f, -1, B, R)).toThrow(RangeError);
    expect(() => fs.iomapBegin(f, 0, 0, R)).toThrow(RangeError);
    const other = mkfs().createFile('f', { size: B });
    expect(() => fs.iomapBegin(other, 0, B, R)).toThrow(/does not belong/);
  });
});

describe('IomapFs.iomapBegin writes (F2, M6, M7)', () => {
  it('F2/M7: 2 MiB hint + 2 MiB alignment: a 4 KiB write allocates the aligned 2 MiB block, new', () => {
    const fs = mkfs();
    const f = fs.createFile('f', { size: 8 * MiB });
    const m = ok(fs.iomapBegin(f, 2 * MiB + 4 * B, B, W));
    expect(m).toMatchObject({ type: 'mapped', offset: 2 * MiB, length: 2 * MiB, isNew: true });
    const dax = fs.dev.directAccess(m.sector, 2 * MiB);
    if (typeof dax === 'string') throw new Error(dax);
    expect(dax.pfn % 512).toBe(0);
    expect(dax.lengthBytes).toBe(2 * MiB);
    expect(fs.usedBytes).toBe(2 * MiB);
    fs.iomapEnd(f, 2 * MiB, B, B, W, m);
    // the same range again: mapped, not new
    expect(ok(fs.iomapBegin(f, 3 * MiB, B, W))).toEqual({ ...m, isNew: false });
  });

  it('F2: a write past EOF allocates too (write(2) extension), size is the caller’s business', () => {
    const fs = mkfs();
    const f = fs.createFile('f', { size: 0 });
    expect(ok(fs.iomapBegin(f, 0, 100, W))).toMatchObject({ type: 'mapped', offset: 0, length: 2 * MiB });
    expect(f.size).toBe(0);
  });

  it('M7 pfn-misaligned: 4 KiB alignment puts the first extent at device offset 4 KiB', () => {
    const fs = mkfs({ allocAlignBytes: B, extentHintBytes: 2 * MiB });
    const f = fs.createFile('f', { size: 4 * MiB });
    const m = ok(fs.iomapBegin(f, 0, 2 * MiB, W));
    expect(m).toMatchObject({ offset: 0, length: 2 * MiB, sector: 8, isNew: true });
    const dax = fs.dev.directAccess(m.sector, 2 * MiB);
    if (typeof dax === 'string') throw new Error(dax);
    expect(dax.pfn % 512).toBe(1);
  });

  it('F2: a 4 KiB hint allocates only the blocks under the write', () => {
    const fs = mkfs({ allocAlignBytes: B, extentHintBytes: B });
    const f = fs.createFile('f', { size: 8 * MiB });
    expect(ok(fs.iomapBegin(f, 5 * B + 10, 2 * B, W))).toMatchObject({ offset: 5 * B, length: 3 * B });
    // next to it: merged into one extent on the device (congruent first fit)
    ok(fs.iomapBegin(f, 8 * B, B, W));
    expect(fs.extents(f, 0, 16 * B).map((e) => [e.type, e.offset, e.length])).toEqual([
      ['hole', 0, 5 * B],
      ['mapped', 5 * B, 4 * B],
      ['hole', 9 * B, 7 * B],
    ]);
  });

  it('F2: allocation is clipped to the hole and never touches mapped neighbours', () => {
    const fs = mkfs();
    const f = fs.createFile('f', {
      size: 4 * MiB,
      extents: [
        { offset: 0, length: MiB, type: 'mapped' },
        { offset: MiB, length: MiB, type: 'hole' },
        { offset: 2 * MiB, length: 2 * MiB, type: 'mapped' },
      ],
    });
    const before = fs.extents(f).filter((e) => e.type === 'mapped');
    const m = ok(fs.iomapBegin(f, MiB + B, B, W));
    expect(m).toMatchObject({ offset: MiB, length: MiB, isNew: true });
    expect(fs.extents(f).every((e) => e.type === 'mapped')).toBe(true);
    for (const e of before) expect(fs.extents(f, e.offset, e.length)).toEqual([e]);
    fs.check();
  });

  it('F2: new blocks are zeroed durably even when the device held stale data', () => {
    const fs = mkfs();
    const f = fs.createFile('f', { size: 2 * MiB, layout: 'allocated', fill: 0x5a });
    const sector = ok(fs.iomapBegin(f, 0, B, R)).sector;
    fs.truncate(f, 0); // frees the block, data stays on the device
    const g = fs.createFile('g', { size: 2 * MiB });
    const m = ok(fs.iomapBegin(g, 0, B, W));
    expect(m.sector).toBe(sector); // reused
    expect(fs.dev.readMedia(m.sector * 512, 2 * MiB).every((b) => b === 0)).toBe(true);
  });

  it('F2: ENOSPC past the free-space limit, with nothing changed', () => {
    const fs = mkfs({ freeSpaceBytes: 2 * MiB });
    const f = fs.createFile('f', { size: 8 * MiB });
    ok(fs.iomapBegin(f, 0, B, W));
    const extents = fs.extents(f);
    expect(fs.iomapBegin(f, 4 * MiB, B, W)).toBe('ENOSPC');
    expect(fs.extents(f)).toEqual(extents);
    expect(fs.usedBytes).toBe(2 * MiB);
    expect(fs.freeBytes).toBe(0);
    expect(f.iomapsInFlight).toBe(1);
  });

  it('F2/M6: near the limit the extent is short: the blocks under the write, then what is left', () => {
    const fs = mkfs({ freeSpaceBytes: 2 * MiB + 2 * B });
    const f = fs.createFile('f', { size: 8 * MiB });
    ok(fs.iomapBegin(f, 0, B, W));
    expect(ok(fs.iomapBegin(f, 2 * MiB, B, W))).toMatchObject({ offset: 2 * MiB, length: B, isNew: true });
    // a 2 MiB (PMD) request gets a 4 KiB extent: shorter than the block, the fault falls back (M6)
    expect(ok(fs.iomapBegin(f, 2 * MiB + B, 2 * MiB - B, W))).toMatchObject({
      offset: 2 * MiB + B,
      length: B,
    });
    expect(fs.iomapBegin(f, 2 * MiB + 2 * B, B, W)).toBe('ENOSPC');
    fs.check();
  });

  it('S4 block-alloc: the hook fails an allocation with ENOSPC and changes nothing', () => {
    const fs = mkfs();
    const f = fs.createFile('f', { size: 4 * MiB, layout: 'allocated' });
    const g = fs.createFile('g', { size: 4 * MiB });
    let calls = 0;
    fs.blockAllocHook = () => {
      calls++;
      return true;
    };
    expect(ok(fs.iomapBegin(f, 0, B, W)).isNew).toBe(false); // mapped: no allocation, no hook
    expect(ok(fs.iomapBegin(g, 0, B, R)).type).toBe('hole');
    expect(calls).toBe(0);
    expect(fs.iomapBegin(g, 0, B, W)).toBe('ENOSPC');
    expect(fs.fallocate(g, 0, B)).toBe('ENOSPC');
    expect(calls).toBe(2);
    expect(fs.extents(g)).toEqual([{ type: 'hole', offset: 0, length: 4 * MiB, sector: -1, isNew: false }]);
    expect(fs.usedBytes).toBe(4 * MiB);
  });

  it('F2: writing into an unwritten extent converts the hinted part and zeroes it', () => {
    const fs = mkfs();
    const f = fs.createFile('f', { size: 8 * MiB, layout: 'unwritten' });
    const u = ok(fs.iomapBegin(f, 0, B, R));
    fs.dev.writeDurable(u.sector * 512 + 2 * MiB + 7, Uint8Array.of(1, 2, 3)); // stale device bytes
    const used = fs.usedBytes;
    const m = ok(fs.iomapBegin(f, 2 * MiB + 3 * B, B, W));
    expect(m).toEqual({
      type: 'mapped',
      offset: 2 * MiB,
      length: 2 * MiB,
      sector: u.sector + 4096,
      isNew: true,
    });
    expect(fs.dev.read(m.sector * 512, 16).every((b) => b === 0)).toBe(true);
    expect(fs.usedBytes).toBe(used);
    expect(fs.extents(f).map((e) => [e.type, e.offset / MiB, e.length / MiB])).toEqual([
      ['unwritten', 0, 2],
      ['mapped', 2, 2],
      ['unwritten', 4, 4],
    ]);
  });

  it('P8/M9: iomapEnd pairs with iomapBegin; the hooks inject errors', () => {
    const fs = mkfs();
    const f = fs.createFile('f', { size: 4 * MiB, layout: 'allocated' });
    const m = ok(fs.iomapBegin(f, 0, B, R));
    fs.iomapEndHook = () => 'EIO';
    expect(fs.iomapEnd(f, 0, B, 0, R, m)).toBe('EIO');
    expect(f.iomapsInFlight).toBe(0);
    expect(() => fs.iomapEnd(f, 0, B, 0, R, m)).toThrow(/no iomapBegin in flight/);
    fs.iomapBeginHook = (_i, pos, _len, write) => (write && pos === 0 ? 'EIO' : null);
    expect(fs.iomapBegin(f, 0, B, W)).toBe('EIO');
    expect(f.iomapsInFlight).toBe(0);
    expect(ok(fs.iomapBegin(f, 0, B, R)).type).toBe('mapped');
  });
});

describe('IomapFs truncate, punch hole, fallocate (F3)', () => {
  it('F3: shrinking frees the blocks past the new EOF block and zeroes the partial tail', () => {
    const fs = mkfs();
    const f = fs.createFile('f', { size: 4 * MiB, layout: 'allocated', fill: 0xab });
    fs.truncate(f, MiB + 100);
    expect(f.size).toBe(MiB + 100);
    expect(fs.usedBytes).toBe(MiB + B);
    expect(fs.extents(f, 0, 4 * MiB).map((e) => [e.type, e.length])).toEqual([
      ['mapped', MiB + B],
      ['hole', 3 * MiB - B],
    ]);
    const tail = fileBytes(fs, f, MiB, B);
    expect(tail.subarray(0, 100).every((b) => b === 0xab)).toBe(true);
    expect(tail.subarray(100).every((b) => b === 0)).toBe(true);
    fs.check();
  });

  it('F3: growing adds a hole and zeroes what a store left past the old EOF', () => {
    const fs = mkfs();
    const f = fs.createFile('f', { size: 100, layout: 'allocated', fill: 1 });
    const m = ok(fs.iomapBegin(f, 0, B, R));
    fs.dev.store(m.sector * 512 + 200, Uint8Array.of(9, 9)); // mmap store into the EOF page
    fs.truncate(f, 3 * B);
    expect(fileBytes(fs, f, 0, 3 * B)).toEqual(
      Uint8Array.from({ length: 3 * B }, (_, i) => (i < 100 ? 1 : 0)),
    );
    expect(fs.extents(f).map((e) => [e.type, e.offset, e.length])).toEqual([
      ['mapped', 0, B],
      ['hole', B, 2 * B],
    ]);
    expect(() => fs.truncate(f, -1)).toThrow(RangeError);
  });

  it('F3: punch hole frees whole blocks and zeroes the partial edges; size unchanged', () => {
    const fs = mkfs({ allocAlignBytes: B, extentHintBytes: B });
    const f = fs.createFile('f', { size: 4 * B, layout: 'allocated', fill: 0xab });
    fs.punchHole(f, 100, 3 * B - 50);
    expect(f.size).toBe(4 * B);
    expect(fs.usedBytes).toBe(2 * B);
    expect(fs.extents(f).map((e) => [e.type, e.offset])).toEqual([
      ['mapped', 0],
      ['hole', B],
      ['mapped', 3 * B],
    ]);
    const data = fileBytes(fs, f, 0, 4 * B);
    const end = 100 + 3 * B - 50;
    data.forEach((b, i) => {
      expect(b).toBe(i >= 100 && i < end ? 0 : 0xab);
    });
    fs.punchHole(f, 3 * B + 100, 2); // inside one block
    expect(fileBytes(fs, f, 3 * B + 99, 4)).toEqual(Uint8Array.of(0xab, 0, 0, 0xab));
    fs.punchHole(f, 0, 0);
    expect(fs.usedBytes).toBe(2 * B);
    fs.check();
  });

  it('F2: fallocate covers holes with unwritten extents and extends the size', () => {
    const fs = mkfs({ allocAlignBytes: B, extentHintBytes: B });
    const f = fs.createFile('f', {
      size: 2 * B,
      extents: [
        { offset: 0, length: B, type: 'hole' },
        { offset: B, length: B, type: 'mapped' },
      ],
    });
    expect(fs.fallocate(f, 10, 4 * B)).toBeNull();
    expect(f.size).toBe(4 * B + 10);
    expect(fs.extents(f).map((e) => [e.type, e.offset, e.length])).toEqual([
      ['unwritten', 0, B],
      ['mapped', B, B],
      ['unwritten', 2 * B, 3 * B],
    ]);
    expect(fs.usedBytes).toBe(5 * B);
    expect(fs.fallocate(f, 0, 0)).toBe('EINVAL');
    expect(fs.fallocate(f, 0, B)).toBeNull(); // nothing to do
    expect(fs.usedBytes).toBe(5 * B);
  });

  it('F2: fallocate ENOSPC changes nothing', () => {
    const fs = mkfs({ allocAlignBytes: B, extentHintBytes: B, freeSpaceBytes: 3 * B });
    const f = fs.createFile('f', { size: B, layout: 'allocated' });
    expect(fs.fallocate(f, 0, 4 * B)).toBe('ENOSPC');
    expect(f.size).toBe(B);
    expect(fs.usedBytes).toBe(B);
    expect(fs.fallocate(f, 0, 3 * B)).toBeNull();
    expect(fs.freeBytes).toBe(0);
  });
});
