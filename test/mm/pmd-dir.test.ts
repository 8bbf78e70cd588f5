import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PmdDirectory } from '../../src/mm/pmd-dir.js';
import { HugePmd, type Slot } from '../../src/mm/pt-slot.js';

describe('PmdDirectory (D1: the PMD level in 512-slot tables)', () => {
  it('D1: get/set/delete/size/collect agree with a Map of slots (reference model)', () => {
    // Indices cluster around table boundaries and span far-apart GiBs, like real mappings.
    const index = fc.oneof(
      fc.integer({ min: 0, max: 2047 }),
      fc.integer({ min: 2 ** 26 - 1024, max: 2 ** 26 - 1 }),
    );
    const op = fc.oneof(
      fc.record({ set: index }),
      fc.record({ del: index }),
      fc.record({ first: index, span: fc.nat(3000) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const dir = new PmdDirectory();
        const ref = new Map<number, Slot>();
        for (const o of ops) {
          if ('set' in o) {
            const slot = new HugePmd(o.set * 512, 0);
            dir.set(o.set, slot);
            ref.set(o.set, slot);
          } else if ('del' in o) {
            expect(dir.delete(o.del)).toBe(ref.delete(o.del));
          } else {
            const last = o.first + o.span;
            const want = [...ref.keys()].filter((k) => k >= o.first && k <= last).sort((a, b) => a - b);
            const got = dir.collect(o.first, last);
            expect(got.indices).toEqual(want);
            expect(got.slots).toEqual(want.map((k) => ref.get(k)));
          }
          expect(dir.size).toBe(ref.size);
        }
        for (const [k, v] of ref) expect(dir.get(k)).toBe(v);
        expect(dir.get(12345)).toBe(ref.get(12345));
      }),
      { numRuns: 300 },
    );
  });
});
