/**
 * The line store behind the device's media and cache views and the data oracle (B2): against
 * a flat reference (bytes plus a set of present lines), for writes, fills, present-only
 * writes, removals and takes that cross chunk boundaries and switch chunks to the dense form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, DENSE_LINES, LINE_BYTES } from '../../src/lib/line-chunk.js';
import { LineStore } from '../../src/lib/line-store.js';

const SIZE = 3 * CHUNK_BYTES;

class Ref {
  bytes = new Uint8Array(SIZE);
  present = new Set<number>();
  lines(off: number, n: number): number[] {
    const out: number[] = [];
    for (let l = Math.floor(off / LINE_BYTES); n > 0 && l * LINE_BYTES < off + n; l++) out.push(l);
    return out;
  }
  put(off: number, data: Uint8Array, init: number | undefined): number {
    let added = 0;
    for (const l of this.lines(off, data.length)) {
      if (this.present.has(l)) continue;
      this.present.add(l);
      added++;
      this.bytes.fill(init ?? 0, l * LINE_BYTES, (l + 1) * LINE_BYTES);
    }
    this.bytes.set(data, off);
    return added;
  }
  putPresent(off: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) {
      if (this.present.has(Math.floor((off + i) / LINE_BYTES))) this.bytes[off + i] = data[i]!;
    }
  }
  removeCovered(off: number, n: number): number {
    let removed = 0;
    for (const l of this.lines(off, n)) {
      if (l * LINE_BYTES >= off && (l + 1) * LINE_BYTES <= off + n && this.present.delete(l)) removed++;
    }
    return removed;
  }
  view(absentAs: number): Uint8Array {
    const out = new Uint8Array(SIZE).fill(absentAs);
    for (const l of this.present)
      out.set(this.bytes.subarray(l * LINE_BYTES, (l + 1) * LINE_BYTES), l * LINE_BYTES);
    return out;
  }
}

const range = fc
  .tuple(
    fc.integer({ min: 0, max: SIZE - 1 }),
    fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2 * CHUNK_BYTES })),
  )
  .map(([off, n]) => [off, Math.min(n, SIZE - off)] as const);
const op = fc.record({
  k: fc.constantFrom('write', 'fill', 'writePresent', 'fillPresent', 'removeCovered', 'take'),
  r: range,
  b: fc.integer({ min: 0, max: 255 }),
  init: fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
});

describe('LineStore (B2)', () => {
  it('matches a flat reference of bytes and present lines', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const s = new LineStore();
        const ref = new Ref();
        for (const { k, r, b, init } of ops) {
          const [off, n] = r;
          const data = new Uint8Array(n).map((_, i) => (b + i) & 0xff);
          const lineInit =
            init === undefined
              ? undefined
              : (_a: number, dst: Uint8Array, at: number) => dst.fill(init, at, at + LINE_BYTES);
          if (k === 'write') expect(s.write(off, data, 0, n, lineInit)).toBe(ref.put(off, data, init));
          else if (k === 'fill')
            expect(s.fill(off, n, b, lineInit)).toBe(ref.put(off, new Uint8Array(n).fill(b), init));
          else if (k === 'writePresent') {
            s.writePresent(off, data, 0, n);
            ref.putPresent(off, data);
          } else if (k === 'fillPresent') {
            s.fillPresent(off, n, b);
            ref.putPresent(off, new Uint8Array(n).fill(b));
          } else if (k === 'removeCovered') expect(s.removeCovered(off, n)).toBe(ref.removeCovered(off, n));
          else {
            const seen: number[] = [];
            const taken = s.take(off, n, (addr) => seen.push(addr));
            const want = ref.lines(off, n).filter((l) => ref.present.delete(l));
            expect(seen).toEqual(want.map((l) => l * LINE_BYTES));
            expect(taken).toBe(want.length);
          }
          expect(s.lines).toBe(ref.present.size);
          expect(s.heldBytes).toBeGreaterThanOrEqual(s.lines * LINE_BYTES);
        }
        const zero = new Uint8Array(SIZE);
        s.readInto(0, zero, 0, SIZE, 'zero');
        expect(Buffer.from(zero).equals(Buffer.from(ref.view(0)))).toBe(true);
        const kept = new Uint8Array(SIZE).fill(0xee);
        s.readInto(0, kept, 0, SIZE, 'keep');
        expect(Buffer.from(kept).equals(Buffer.from(ref.view(0xee)))).toBe(true);
        for (const l of ref.present) expect(s.has(l * LINE_BYTES + 5)).toBe(true);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('memory follows lines: sparse below DENSE_LINES lines per chunk, one 64 KiB array above', () => {
    const s = new LineStore();
    for (let i = 0; i < 16; i++) s.fill(i * 4096, 1, 1);
    expect(s.lines).toBe(16);
    expect(s.heldBytes).toBe(16 * LINE_BYTES);
    for (let l = 0; l <= DENSE_LINES; l++) s.fill(l * LINE_BYTES + 1, 1, 2);
    expect(s.heldBytes).toBe(CHUNK_BYTES);
    const lines = s.lines;
    expect(s.removeCovered(0, CHUNK_BYTES)).toBe(lines);
    expect(s.heldBytes).toBe(0);
  });
});
