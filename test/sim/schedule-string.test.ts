import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scheduleHash } from '../../src/check/explore/execute.js';
import {
  decodeSchedule,
  encodeSchedule,
  parseScheduleRuns,
  ScheduleRecorder,
  type ScheduleToken,
} from '../../src/sim/schedule-string.js';

const token: fc.Arbitrary<ScheduleToken> = fc.oneof(
  fc.integer({ min: 0, max: 12 }),
  fc.constant<'F'>('F'),
  fc.constant<'S'>('S'),
);

describe('schedule strings (S2, S6)', () => {
  it('S6: decode(encode(t)) is t for every token list', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (t) => {
        expect(decodeSchedule(encodeSchedule(t))).toEqual(t);
      }),
    );
  });

  it('S2: the encoding is run-length compressed and shell-safe', () => {
    expect(encodeSchedule([0, 0, 0, 1, 'F', 2, 2])).toBe('0x3.1.F.2x2');
    expect(encodeSchedule([])).toBe('');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (t) => {
        const s = encodeSchedule(t);
        expect(s).toMatch(/^[0-9FSx.]*$/);
        // Canonical: no two adjacent runs carry the same token.
        const runs = parseScheduleRuns(s).toks;
        for (let i = 1; i < runs.length; i++) expect(runs[i]).not.toBe(runs[i - 1]);
      }),
    );
  });

  it('the recorder matches encodeSchedule and renders prefixes', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 200 }), fc.nat(), (t, cut) => {
        const r = new ScheduleRecorder();
        for (const x of t) r.push(x);
        expect(r.toString()).toBe(encodeSchedule(t));
        expect(r.tokens()).toEqual(t);
        expect(r.length).toBe(t.length);
        const k = t.length === 0 ? 0 : cut % (t.length + 1);
        expect(r.toString(k)).toBe(encodeSchedule(t.slice(0, k)));
      }),
    );
  });

  it('the recorder hashes its string without rendering it (FNV-1a, as scheduleHash)', () => {
    const big = fc.oneof(token, fc.integer({ min: 0, max: 2 ** 31 - 1 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(big, fc.integer({ min: 1, max: 40 })), { maxLength: 40 }), (runs) => {
        const r = new ScheduleRecorder();
        for (const [x, n] of runs) for (let i = 0; i < n; i++) r.push(x);
        expect(r.hash()).toBe(scheduleHash(r.toString()));
      }),
    );
    const r = new ScheduleRecorder();
    for (let i = 0; i < 12_345_678; i++) r.push(7);
    expect(r.hash()).toBe(scheduleHash('7x12345678'));
  });

  it('decode accepts "-" as empty and rejects malformed runs with the run named', () => {
    expect(decodeSchedule('-')).toEqual([]);
    expect(decodeSchedule(' 1x2 ')).toEqual([1, 1]);
    expect(() => decodeSchedule('0.q.1')).toThrow(/run 2 'q'/);
    expect(() => decodeSchedule('1x0')).toThrow(/bad count/);
    expect(() => encodeSchedule([-1])).toThrow(RangeError);
  });
});
