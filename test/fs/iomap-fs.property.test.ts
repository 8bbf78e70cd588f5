/**
 * Model-based test of IomapFs (F1-F3, R1) against a per-block reference: each file is a map from
 * block number to { type, device block } plus its size and expected bytes. The reference predicts
 * every iomap (type, range, isNew), allocation failure and hook call; the device placement is the
 * one thing it records from the filesystem, and it then checks that placement (never twice, never
 * the superblock, congruent to the file offset).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PmemDevice } from '../../src/block/pmem.js';
import type { Inode } from '../../src/fs/inode.js';
import { type Iomap, MAX_FILE_BYTES } from '../../src/fs/iomap.js';
import { IomapFs } from '../../src/fs/iomap-fs.js';
import type { Errno } from '../../src/lib/errno.js';

const B = 4096;
const MAXB = 40; // file blocks the ops touch
const DEV_BLOCKS = 2048; // 8 MiB: always a long free run at the tail, so placement is never forced short
const W = { write: true };
const R = { write: false };

type Kind = 'mapped' | 'unwritten';
interface RefBlock {
  t: Kind;
  p: number;
}

const up = (x: number, a: number) => Math.ceil(x / a) * a;
const down = (x: number, a: number) => Math.floor(x / a) * a;

class RefFile {
  blocks = new Map<number, RefBlock>();
  size = 0;
  content = new Uint8Array(MAXB * B);

  /** Maximal run around block b of present blocks of one type on consecutive device blocks. */
  run(b: number): { start: number; end: number; blk: RefBlock } {
    const blk = this.blocks.get(b)!;
    let s = b;
    let e = b + 1;
    const same = (x: number, d: number) => {
      const o = this.blocks.get(x);
      return o !== undefined && o.t === blk.t && o.p === blk.p + d;
    };
    while (same(s - 1, s - 1 - b)) s--;
    while (same(e, e - b)) e++;
    return { start: s * B, end: e * B, blk: this.blocks.get(s)! };
  }

  /** The gap around absent block b, in bytes (unbounded above when nothing follows). */
  gap(b: number): { start: number; end: number } {
    let s = b;
    while (s > 0 && !this.blocks.has(s - 1)) s--;
    const after = [...this.blocks.keys()].filter((k) => k > b);
    return { start: s * B, end: after.length > 0 ? Math.min(...after) * B : MAX_FILE_BYTES };
  }
}

interface Params {
  align: number;
  hint: number;
  limitBlocks: number;
}

type Op =
  | { k: 'write'; f: number; pos: number; len: number; byte: number; fail: boolean }
  | { k: 'read'; f: number; pos: number }
  | { k: 'truncate'; f: number; size: number }
  | { k: 'punch'; f: number; off: number; len: number }
  | { k: 'fallocate'; f: number; off: number; len: number; fail: boolean };

class Harness {
  fs: IomapFs;
  inodes: Inode[];
  refs = [new RefFile(), new RefFile()];
  hookCalls = 0;
  hookFails = false;

  constructor(readonly p: Params) {
    const dev = new PmemDevice({ sizeBytes: DEV_BLOCKS * B });
    this.fs = new IomapFs(dev, {
      allocAlignBytes: p.align,
      extentHintBytes: p.hint,
      freeSpaceBytes: p.limitBlocks * B,
    });
    this.fs.blockAllocHook = () => {
      this.hookCalls++;
      return this.hookFails;
    };
    this.inodes = [this.fs.createFile('a', { size: 0 }), this.fs.createFile('b', { size: 0 })];
  }

  get used(): number {
    return this.refs.reduce((s, r) => s + r.blocks.size, 0) * B;
  }

  get free(): number {
    return Math.min(this.p.limitBlocks, DEV_BLOCKS - 1) * B - this.used;
  }

  /** What iomapBegin(write) must return at p for rem bytes, and what kind of change it makes. */
  predictWrite(ref: RefFile, p: number, rem: number): (Iomap & { kind: string }) | 'ENOSPC' {
    const b = Math.floor(p / B);
    const ws = down(p, this.p.hint);
    const we = up(p + rem, this.p.hint);
    const blk = ref.blocks.get(b);
    if (blk !== undefined) {
      const r = ref.run(b);
      if (blk.t === 'mapped') {
        return {
          type: 'mapped',
          offset: r.start,
          length: r.end - r.start,
          sector: r.blk.p * 8,
          isNew: false,
          kind: 'none',
        };
      }
      const s = Math.max(ws, r.start);
      const t = Math.min(we, r.end);
      const sector = (r.blk.p + (s - r.start) / B) * 8;
      return { type: 'mapped', offset: s, length: t - s, sector, isNew: true, kind: 'convert' };
    }
    this.hookCalls--; // the fs consults the hook exactly once here
    if (this.hookFails) return 'ENOSPC';
    const g = ref.gap(b);
    const s = Math.max(ws, g.start);
    const t = Math.min(we, g.end);
    const s2 = down(p, B);
    const t2 = Math.min(t, up(p + rem, B));
    const free = this.free;
    let range: [number, number];
    if (t - s <= free) range = [s, t];
    else if (t2 - s2 <= free) range = [s2, t2];
    else if (free >= B) range = [s2, s2 + down(free, B)];
    else return 'ENOSPC';
    return {
      type: 'mapped',
      offset: range[0],
      length: range[1] - range[0],
      sector: -2,
      isNew: true,
      kind: 'alloc',
    };
  }

  write(o: Extract<Op, { k: 'write' }>): void {
    const inode = this.inodes[o.f]!;
    const ref = this.refs[o.f]!;
    this.hookFails = o.fail;
    const data = new Uint8Array(o.len).fill(o.byte);
    let done = 0;
    while (done < o.len) {
      const p = o.pos + done;
      const rem = o.len - done;
      const want = this.predictWrite(ref, p, rem);
      const got = this.fs.iomapBegin(inode, p, rem, W);
      if (want === 'ENOSPC') {
        expect(got).toBe('ENOSPC');
        break;
      }
      const m = got as Iomap;
      const { kind, ...iomap } = want;
      expect(m).toEqual({ ...iomap, sector: kind === 'alloc' ? m.sector : iomap.sector });
      if (kind === 'alloc') {
        expect(Math.abs((m.sector * 512 - m.offset) % this.p.align)).toBe(0); // congruent placement (F2)
        for (let i = 0; i < m.length / B; i++)
          ref.blocks.set(m.offset / B + i, { t: 'mapped', p: m.sector / 8 + i });
      } else if (kind === 'convert') {
        for (let i = 0; i < m.length / B; i++) ref.blocks.get(m.offset / B + i)!.t = 'mapped';
      }
      const n = Math.min(rem, m.offset + m.length - p);
      this.fs.dev.writeDurable(m.sector * 512 + (p - m.offset), data.subarray(done, done + n));
      expect(this.fs.iomapEnd(inode, p, rem, n, W, m)).toBeNull();
      ref.content.set(data.subarray(done, done + n), p);
      done += n;
    }
    if (o.pos + done > inode.size) inode.size = o.pos + done;
    ref.size = Math.max(ref.size, o.pos + done);
  }

  read(o: Extract<Op, { k: 'read' }>): void {
    const inode = this.inodes[o.f]!;
    const ref = this.refs[o.f]!;
    const m = this.fs.iomapBegin(inode, o.pos, B, R) as Iomap;
    const eofBlock = up(ref.size, B);
    const b = Math.floor(o.pos / B);
    let want: Iomap;
    if (o.pos >= eofBlock)
      want = { type: 'hole', offset: eofBlock, length: MAX_FILE_BYTES - eofBlock, sector: -1, isNew: false };
    else if (ref.blocks.has(b)) {
      const r = ref.run(b);
      want = { type: r.blk.t, offset: r.start, length: r.end - r.start, sector: r.blk.p * 8, isNew: false };
    } else {
      const g = ref.gap(b);
      want = { type: 'hole', offset: g.start, length: g.end - g.start, sector: -1, isNew: false };
    }
    expect(m).toEqual(want);
    this.fs.iomapEnd(inode, o.pos, B, 0, R, m);
  }

  truncate(o: Extract<Op, { k: 'truncate' }>): void {
    const ref = this.refs[o.f]!;
    this.fs.truncate(this.inodes[o.f]!, o.size);
    if (o.size < ref.size) {
      for (const b of [...ref.blocks.keys()]) if (b * B >= up(o.size, B)) ref.blocks.delete(b);
      ref.content.fill(0, o.size);
    }
    ref.size = o.size;
  }

  punch(o: Extract<Op, { k: 'punch' }>): void {
    const ref = this.refs[o.f]!;
    this.fs.punchHole(this.inodes[o.f]!, o.off, o.len);
    for (let b = up(o.off, B) / B; (b + 1) * B <= o.off + o.len; b++) ref.blocks.delete(b);
    ref.content.fill(0, o.off, Math.min(o.off + o.len, ref.content.length));
  }

  fallocate(o: Extract<Op, { k: 'fallocate' }>): void {
    const inode = this.inodes[o.f]!;
    const ref = this.refs[o.f]!;
    this.hookFails = o.fail;
    const holes: number[] = [];
    for (let b = down(o.off, B) / B; b * B < o.off + o.len; b++) if (!ref.blocks.has(b)) holes.push(b);
    let want: Errno | null = null;
    if (holes.length > 0) {
      this.hookCalls--;
      if (o.fail || holes.length * B > this.free) want = 'ENOSPC';
    }
    expect(this.fs.fallocate(inode, o.off, o.len)).toBe(want);
    if (want !== null) return;
    const all = inode.extents.all();
    for (const b of holes) {
      const e = all.find((x) => x.offset <= b * B && b * B < x.offset + x.length)!;
      expect(e.type).toBe('unwritten');
      ref.blocks.set(b, { t: 'unwritten', p: (e.phys + b * B - e.offset) / B });
    }
    ref.size = Math.max(ref.size, o.off + o.len);
  }

  /** Everything the reference knows must hold in the filesystem. */
  compare(): void {
    this.fs.check();
    expect(this.hookCalls).toBe(0);
    expect(this.fs.usedBytes).toBe(this.used);
    expect(this.fs.freeBytes).toBe(this.free);
    const owners = new Set<number>();
    this.refs.forEach((ref, i) => {
      const inode = this.inodes[i]!;
      expect(inode.size).toBe(ref.size);
      expect(inode.iomapsInFlight).toBe(0);
      const got = new Map<number, RefBlock>();
      for (const e of inode.extents.all()) {
        for (let k = 0; k < e.length / B; k++) got.set(e.offset / B + k, { t: e.type, p: e.phys / B + k });
      }
      expect([...got.entries()].sort((a, b) => a[0] - b[0])).toEqual(
        [...ref.blocks.entries()].sort((a, b) => a[0] - b[0]),
      );
      for (const blk of ref.blocks.values()) {
        expect(blk.p).toBeGreaterThan(0); // never the superblock
        expect(owners.has(blk.p)).toBe(false); // never owned twice
        owners.add(blk.p);
      }
      const bytes = new Uint8Array(ref.size);
      for (const m of this.fs.extents(inode, 0, ref.size)) {
        if (m.type !== 'mapped') continue;
        const len = Math.min(m.length, ref.size - m.offset);
        bytes.set(this.fs.dev.read(m.sector * 512, len), m.offset);
      }
      if (!Buffer.from(bytes).equals(ref.content.subarray(0, ref.size))) {
        expect(bytes).toEqual(ref.content.subarray(0, ref.size));
      }
    });
  }
}

const file = fc.integer({ min: 0, max: 1 });
const offset = fc.integer({ min: 0, max: MAXB * B - 1 });
/** An injected failure, one time in ten. */
const failing = fc.integer({ min: 0, max: 9 }).map((n) => n === 0);
/** `len` cut so that [at, at + len) ends inside the largest file. */
const clampLen = (at: number, len: number): number => Math.min(len, MAXB * B - at);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        f: file,
        pos: offset,
        len: fc.integer({ min: 1, max: 3 * B }),
        byte: fc.integer({ min: 1, max: 255 }),
        fail: failing,
      })
      .map((r) => ({ k: 'write' as const, ...r, len: clampLen(r.pos, r.len) })),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('read' as const), f: file, pos: offset }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('truncate' as const),
      f: file,
      size: fc.integer({ min: 0, max: MAXB * B }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ f: file, off: offset, len: fc.integer({ min: 0, max: 8 * B }) })
      .map((r) => ({ k: 'punch' as const, ...r })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ f: file, off: offset, len: fc.integer({ min: 1, max: 8 * B }), fail: failing })
      .map((r) => ({ k: 'fallocate' as const, ...r, len: clampLen(r.off, r.len) })),
  },
);

const paramsArb: fc.Arbitrary<Params> = fc
  .record({
    align: fc.constantFrom(B, 2 * B, 4 * B),
    hintMul: fc.constantFrom(1, 2, 4),
    limitBlocks: fc.constantFrom(6, 20, 1000),
  })
  .map(({ align, hintMul, limitBlocks }) => ({ align, hint: align * hintMul, limitBlocks }));

describe('IomapFs against a per-block reference (F1-F3 property)', () => {
  it('F1/F2/F3: writes, reads, punches, truncates, fallocates keep the map exact, placement unique, space accounted', () => {
    fc.assert(
      fc.property(paramsArb, fc.array(opArb, { maxLength: 30 }), (params, ops) => {
        const h = new Harness(params);
        for (const o of ops) {
          if (o.k === 'write') h.write(o);
          else if (o.k === 'read') h.read(o);
          else if (o.k === 'truncate') h.truncate(o);
          else if (o.k === 'punch') h.punch(o);
          else h.fallocate(o);
          h.compare();
        }
      }),
      { numRuns: 400 },
    );
  });
});
