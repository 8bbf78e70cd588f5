import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PmemDevice } from '../../src/block/pmem.js';
import { CHUNK_BYTES, LINE_BYTES } from '../../src/lib/line-chunk.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;

/** mulberry32: a tiny seeded PRNG with the { float() } shape crash() wants. */
function seeded(seed: number): { float(): number } {
  let a = seed >>> 0;
  return {
    float() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

const bytes = (n: number, b: number): Uint8Array => new Uint8Array(n).fill(b);

describe('PmemDevice.directAccess (B1)', () => {
  it('B1: maps a sector to basePfn + page and reports the length up to the device end', () => {
    const dev = new PmemDevice({ sizeBytes: 8 * MiB });
    const r = dev.directAccess((2 * MiB) / 512, 2 * MiB);
    expect(r).toEqual({ pfn: dev.basePfn + 512, lengthBytes: 2 * MiB, devmap: true });
    // 1 MiB before the end: only 1 MiB is available (M7 device-short)
    expect(dev.directAccess((7 * MiB) / 512, 2 * MiB)).toEqual({
      pfn: dev.basePfn + (7 * MiB) / 4096,
      lengthBytes: MiB,
      devmap: true,
    });
  });

  it('B1: EIO at or past the device end and for a sector that is not page aligned', () => {
    const dev = new PmemDevice({ sizeBytes: 8 * MiB });
    expect(dev.directAccess((8 * MiB) / 512, 4096)).toBe('EIO');
    expect(dev.directAccess(1, 4096)).toBe('EIO');
    expect(dev.directAccess(8 * MiB, 4096)).toBe('EIO');
  });

  it('B1: misuse throws a RangeError', () => {
    const dev = new PmemDevice({ sizeBytes: 8 * MiB });
    expect(() => dev.directAccess(-8, 4096)).toThrow(RangeError);
    expect(() => dev.directAccess(0, 0)).toThrow(RangeError);
    expect(() => dev.directAccess(0.5, 4096)).toThrow(RangeError);
  });

  it('M7 device-error: the hook fails directAccess with its errno', () => {
    const dev = new PmemDevice({ sizeBytes: 8 * MiB });
    const seen: number[] = [];
    dev.directAccessHook = (sector) => {
      seen.push(sector);
      return sector === 0 ? 'EIO' : null;
    };
    expect(dev.directAccess(0, 4096)).toBe('EIO');
    expect(dev.directAccess(8, 4096)).not.toBe('EIO');
    expect(seen).toEqual([0, 8]);
  });

  it('M7 pfn-misaligned: baseAlign 2 MiB gives 2 MiB aligned pfns, 4 KiB gives none', () => {
    const aligned = new PmemDevice({ sizeBytes: 16 * MiB, baseAlignBytes: 2 * MiB });
    const off = new PmemDevice({ sizeBytes: 16 * MiB, baseAlignBytes: 4 * KiB });
    for (let blk = 0; blk < 8; blk++) {
      const sector = (blk * 2 * MiB) / 512;
      const a = aligned.directAccess(sector, 2 * MiB);
      const b = off.directAccess(sector, 2 * MiB);
      if (typeof a === 'string' || typeof b === 'string') throw new Error('unexpected errno');
      expect(a.pfn % 512).toBe(0);
      expect(b.pfn % 512).not.toBe(0);
    }
  });

  it('B1: the base is aligned to baseAlign and to no larger power of two', () => {
    for (const align of [4 * KiB, 64 * KiB, 2 * MiB, GiB]) {
      const dev = new PmemDevice({ sizeBytes: 4 * MiB, baseAlignBytes: align });
      expect(dev.basePhys % align).toBe(0);
      expect(dev.basePhys % (2 * align)).toBe(align);
      expect(dev.basePfn * 4096).toBe(dev.basePhys);
    }
    expect(() => new PmemDevice({ sizeBytes: 4 * MiB, baseAlignBytes: 3 * 4096 })).toThrow(RangeError);
    expect(() => new PmemDevice({ sizeBytes: 4 * MiB, baseAlignBytes: 2048 })).toThrow(RangeError);
    expect(() => new PmemDevice({ sizeBytes: 4 * MiB + 1 })).toThrow(RangeError);
  });

  it('M7 not-devmap: devmap false is reported by directAccess', () => {
    const dev = new PmemDevice({ sizeBytes: 4 * MiB, devmap: false });
    expect(dev.devmap).toBe(false);
    expect(dev.directAccess(0, 4096)).toMatchObject({ devmap: false });
  });

  it('B1: ownsPfn and pfnToOffset agree with directAccess', () => {
    const dev = new PmemDevice({ sizeBytes: 4 * MiB, baseAlignBytes: 4 * KiB });
    const r = dev.directAccess(24, 4096);
    if (typeof r === 'string') throw new Error(r);
    expect(dev.ownsPfn(r.pfn)).toBe(true);
    expect(dev.pfnToOffset(r.pfn)).toBe(24 * 512);
    const lastPfn = dev.basePfn + (4 * MiB) / 4096 - 1;
    expect(dev.ownsPfn(lastPfn)).toBe(true);
    expect(dev.ownsPfn(lastPfn + 1)).toBe(false);
    expect(dev.ownsPfn(dev.basePfn - 1)).toBe(false);
    expect(() => dev.pfnToOffset(lastPfn + 1)).toThrow(RangeError);
  });
});

describe('PmemDevice persistence (B2)', () => {
  it('B2/F4: a store is visible at once but volatile until flushed (writeback)', () => {
    const dev = new PmemDevice({ sizeBytes: 4 * MiB });
    dev.store(100, Uint8Array.of(1, 2, 3));
    expect(dev.read(100, 3)).toEqual(Uint8Array.of(1, 2, 3));
    expect(dev.readMedia(100, 3)).toEqual(new Uint8Array(3));
    expect(dev.dirtyLines).toBe(1);
    expect(dev.flush(0, 4096)).toBe(1);
    expect(dev.readMedia(100, 3)).toEqual(Uint8Array.of(1, 2, 3));
    expect(dev.dirtyLines).toBe(0);
    expect(dev.flush(0, 4096)).toBe(0);
  });

  it('B2: a store straddling lines and chunks dirties each line once', () => {
    const dev = new PmemDevice({ sizeBytes: 4 * MiB });
    dev.store(CHUNK_BYTES - 10, bytes(20, 7));
    expect(dev.dirtyLines).toBe(2);
    dev.store(CHUNK_BYTES - 5, bytes(2, 8));
    expect(dev.dirtyLines).toBe(2);
    expect(dev.flush(CHUNK_BYTES, 1)).toBe(1);
    expect(dev.readMedia(CHUNK_BYTES - 10, 20)).toEqual(Uint8Array.of(...bytes(10, 0), ...bytes(10, 7)));
  });

  it("B2: crash('all') reverts exactly the unflushed lines", () => {
    const dev = new PmemDevice({ sizeBytes: 4 * MiB });
    dev.store(0, bytes(LINE_BYTES, 1)); // line 0: flushed below
    dev.store(3 * LINE_BYTES, bytes(8, 2)); // line 3: lost
    dev.flush(0, LINE_BYTES);
    dev.store(MiB, bytes(2 * LINE_BYTES, 3)); // two lines at 1 MiB: lost
    expect(dev.dirtyLines).toBe(3);
    expect(dev.crash('all')).toBe(3);
    expect(dev.dirtyLines).toBe(0);
    expect(dev.read(0, LINE_BYTES)).toEqual(bytes(LINE_BYTES, 1));
    expect(dev.read(3 * LINE_BYTES, 8)).toEqual(new Uint8Array(8));
    expect(dev.read(MiB, 2 * LINE_BYTES)).toEqual(new Uint8Array(2 * LINE_BYTES));
  });

  it('B2: writeDurable survives a crash; a partly overwritten dirty line loses only its stored bytes', () => {
    const dev = new PmemDevice({ sizeBytes: 4 * MiB });
    dev.store(0, bytes(LINE_BYTES, 9));
    dev.writeDurable(8, bytes(8, 5)); // partial line: stays dirty
    dev.writeDurable(4096, bytes(4096, 6));
    expect(dev.dirtyLines).toBe(1);
    dev.crash('all');
    expect(dev.read(0, 24)).toEqual(Uint8Array.of(...bytes(8, 0), ...bytes(8, 5), ...bytes(8, 0)));
    expect(dev.read(4096, 4096)).toEqual(bytes(4096, 6));
  });

  it('B2: a durable write covering a whole dirty line cleans it', () => {
    const dev = new PmemDevice({ sizeBytes: 4 * MiB });
    dev.store(0, bytes(2 * LINE_BYTES, 1));
    dev.writeDurable(0, bytes(LINE_BYTES, 2));
    expect(dev.dirtyLines).toBe(1);
    dev.fill(LINE_BYTES, LINE_BYTES, 4, true);
    expect(dev.dirtyLines).toBe(0);
    expect(dev.crash('all')).toBe(0);
    expect(dev.read(0, 2 * LINE_BYTES)).toEqual(
      Uint8Array.of(...bytes(LINE_BYTES, 2), ...bytes(LINE_BYTES, 4)),
    );
  });

  it('B2: crash with a seeded PRNG is deterministic and loses a subset', () => {
    const run = (seed: number) => {
      const dev = new PmemDevice({ sizeBytes: 4 * MiB });
      for (let i = 0; i < 64; i++) dev.store(i * 3 * LINE_BYTES, bytes(LINE_BYTES, i + 1));
      const lost = dev.crash({ prng: seeded(seed) });
      return { lost, media: dev.readMedia(0, 64 * 3 * LINE_BYTES) };
    };
    const a = run(42);
    const b = run(42);
    expect(a).toEqual(b);
    expect(a.lost).toBeGreaterThan(0);
    expect(a.lost).toBeLessThan(64);
    // each line either survived whole or was lost whole
    let survived = 0;
    for (let i = 0; i < 64; i++) {
      const line = a.media.subarray(i * 3 * LINE_BYTES, i * 3 * LINE_BYTES + LINE_BYTES);
      if (line[0] !== 0) {
        expect(line).toEqual(bytes(LINE_BYTES, i + 1));
        survived++;
      } else expect(line).toEqual(new Uint8Array(LINE_BYTES));
    }
    expect(survived + a.lost).toBe(64);
  });

  it('B2: crash consults the PRNG once per dirty line, in ascending address order', () => {
    const dev = new PmemDevice({ sizeBytes: 4 * MiB });
    dev.store(2 * MiB, Uint8Array.of(3));
    dev.store(0, Uint8Array.of(1));
    dev.store(MiB, Uint8Array.of(2));
    const draws = [0.9, 0.1, 0.9]; // keep, lose, keep
    let n = 0;
    expect(dev.crash({ prng: { float: () => draws[n++]! } })).toBe(1);
    expect(n).toBe(3);
    expect([dev.readMedia(0, 1)[0], dev.readMedia(MiB, 1)[0], dev.readMedia(2 * MiB, 1)[0]]).toEqual([
      1, 0, 3,
    ]);
  });

  it('B2: lazy storage: 4 KiB written at 1 TiB holds 4 KiB; a 1-byte store one line; zeroing frees them', () => {
    const dev = new PmemDevice({ sizeBytes: 2 * TiB });
    expect(dev.bytesAllocated).toBe(0);
    dev.writeDurable(TiB, bytes(4096, 0xab));
    expect(dev.bytesAllocated).toBe(4096);
    dev.store(TiB + 8, Uint8Array.of(1));
    expect(dev.bytesAllocated).toBeGreaterThan(4096); // the dirty line in the cache view
    expect(dev.bytesAllocated).toBeLessThanOrEqual(4096 + 4 * LINE_BYTES);
    expect(dev.read(TiB, 8)).toEqual(bytes(8, 0xab));
    expect(dev.read(TiB - 4096, 4096)).toEqual(new Uint8Array(4096));
    dev.fill(0, 2 * TiB, 0, true); // walks only existing chunks
    expect(dev.bytesAllocated).toBe(0);
    expect(dev.dirtyLines).toBe(0);
    expect(dev.flush(0, 2 * TiB)).toBe(0);
  });

  it('B2: host memory follows the lines written: one byte stored per page costs a line, not a page', () => {
    const dev = new PmemDevice({ sizeBytes: 64 * MiB });
    for (let off = 0; off < 64 * MiB; off += 4096) dev.store(off, Uint8Array.of(7));
    expect(dev.dirtyLines).toBe(16384);
    // 16384 lines of 64 bytes, plus slack of the growing slabs: far below the 64 MiB a page each costs.
    expect(dev.bytesAllocated).toBeLessThanOrEqual(2 * 16384 * LINE_BYTES);
    expect(dev.flush(0, 64 * MiB)).toBe(16384);
    expect(dev.bytesAllocated).toBeLessThanOrEqual(2 * 16384 * LINE_BYTES);
    expect(dev.readMedia(4096, 2)).toEqual(Uint8Array.of(7, 0));
  });

  it('B2: a whole-chunk write is stored densely, in one copy', () => {
    const dev = new PmemDevice({ sizeBytes: 4 * MiB });
    dev.writeDurable(0, bytes(MiB, 3));
    expect(dev.bytesAllocated).toBe(MiB);
    expect(dev.read(MiB - 1, 2)).toEqual(Uint8Array.of(3, 0));
    expect(CHUNK_BYTES).toBe(64 * 1024);
  });

  it('B2: readInto copies into the destination window only', () => {
    const dev = new PmemDevice({ sizeBytes: 4 * MiB });
    dev.writeDurable(4096, Uint8Array.of(1, 2, 3, 4));
    const dst = bytes(8, 0xff);
    dev.readInto(4097, dst, 2, 3);
    expect(dst).toEqual(Uint8Array.of(0xff, 0xff, 2, 3, 4, 0xff, 0xff, 0xff));
    expect(() => dev.readInto(0, dst, 6, 3)).toThrow(RangeError);
  });

  it('B2: accesses outside the device throw', () => {
    const dev = new PmemDevice({ sizeBytes: 4 * MiB });
    expect(() => dev.read(4 * MiB - 1, 2)).toThrow(RangeError);
    expect(() => dev.store(-1, Uint8Array.of(1))).toThrow(RangeError);
    expect(() => dev.fill(0, 1, 256, true)).toThrow(RangeError);
    expect(() => dev.flush(4 * MiB, 1)).toThrow(RangeError);
    expect(() => dev.crash({ prng: {} as never })).toThrow(RangeError);
  });
});

/** Reference: plain media and cache arrays plus a set of dirty line numbers. */
class RefDevice {
  media: Uint8Array;
  cache: Uint8Array;
  dirty = new Set<number>();
  constructor(size: number) {
    this.media = new Uint8Array(size);
    this.cache = new Uint8Array(size);
  }
  lines(off: number, len: number): number[] {
    const out: number[] = [];
    if (len === 0) return out;
    for (let l = Math.floor(off / LINE_BYTES); l * LINE_BYTES < off + len; l++) out.push(l);
    return out;
  }
  store(off: number, data: Uint8Array) {
    this.cache.set(data, off);
    for (const l of this.lines(off, data.length)) this.dirty.add(l);
  }
  durable(off: number, data: Uint8Array) {
    this.cache.set(data, off);
    this.media.set(data, off);
    for (const l of this.lines(off, data.length)) {
      if (l * LINE_BYTES >= off && (l + 1) * LINE_BYTES <= off + data.length) this.dirty.delete(l);
    }
  }
  flush(off: number, len: number): number {
    let n = 0;
    for (const l of this.lines(off, len)) {
      if (!this.dirty.delete(l)) continue;
      this.media.set(this.cache.subarray(l * LINE_BYTES, (l + 1) * LINE_BYTES), l * LINE_BYTES);
      n++;
    }
    return n;
  }
  crash(lose: () => boolean): number {
    let n = 0;
    for (const l of [...this.dirty].sort((a, b) => a - b)) {
      const r = [l * LINE_BYTES, (l + 1) * LINE_BYTES] as const;
      if (lose()) {
        this.cache.set(this.media.subarray(...r), r[0]);
        n++;
      } else this.media.set(this.cache.subarray(...r), r[0]);
    }
    this.dirty.clear();
    return n;
  }
}

describe('PmemDevice against a flat reference (B2 property)', () => {
  const SIZE = 3 * CHUNK_BYTES;
  const range = fc
    .tuple(fc.integer({ min: 0, max: SIZE - 1 }), fc.integer({ min: 0, max: 2 * CHUNK_BYTES }))
    .map(([off, len]) => [off, Math.min(len, SIZE - off)] as const);
  const op = fc.oneof(
    fc.record({ k: fc.constant('store' as const), r: range, b: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ k: fc.constant('durable' as const), r: range, b: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ k: fc.constant('fillStore' as const), r: range, b: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ k: fc.constant('fillDurable' as const), r: range, b: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ k: fc.constant('flush' as const), r: range, b: fc.constant(0) }),
    fc.record({ k: fc.constant('crash' as const), r: range, b: fc.integer({ min: 0, max: 1000 }) }),
  );

  it('B2: views, dirty lines, flush counts and crash losses match the reference', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const dev = new PmemDevice({ sizeBytes: SIZE });
        const ref = new RefDevice(SIZE);
        for (const { k, r, b } of ops) {
          const [off, len] = r;
          const data = bytes(len, b);
          if (k === 'store' || k === 'fillStore') {
            if (k === 'store') dev.store(off, data);
            else dev.fill(off, len, b, false);
            ref.store(off, data);
          } else if (k === 'durable' || k === 'fillDurable') {
            if (k === 'durable') dev.writeDurable(off, data);
            else dev.fill(off, len, b, true);
            ref.durable(off, data);
          } else if (k === 'flush') {
            expect(dev.flush(off, len)).toBe(ref.flush(off, len));
          } else {
            const p1 = seeded(b);
            const p2 = seeded(b);
            const lose = b % 3 === 0 ? 'all' : { prng: p1 };
            expect(dev.crash(lose)).toBe(ref.crash(b % 3 === 0 ? () => true : () => p2.float() < 0.5));
          }
          expect(dev.dirtyLines).toBe(ref.dirty.size);
        }
        // Buffer.equals keeps the 192 KiB comparison cheap; toEqual only renders a failure.
        if (!Buffer.from(dev.read(0, SIZE)).equals(ref.cache)) expect(dev.read(0, SIZE)).toEqual(ref.cache);
        if (!Buffer.from(dev.readMedia(0, SIZE)).equals(ref.media))
          expect(dev.readMedia(0, SIZE)).toEqual(ref.media);
        expect(dev.bytesAllocated).toBeLessThanOrEqual(2 * SIZE);
      }),
      { numRuns: 200 },
    );
  });
});
