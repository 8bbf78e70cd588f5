/** Sizes, bytes and names: accepted forms, precise rejections, round trips (properties). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alignUp,
  formatSize,
  isName,
  isPowerOfTwo,
  MAX_SIZE,
  parseByte,
  parseSize,
  SIZE_STRING_PATTERN,
  SIZE_UNITS,
} from '../../src/workload/scenario/sizes.js';

const value = (s: unknown) => {
  const r = parseSize(s);
  return r.ok ? r.value : `error: ${r.expected}`;
};

describe('parseSize (scenario-format.md "Values")', () => {
  it('accepts integers, decimal and hex strings, and binary units', () => {
    expect(value(4096)).toBe(4096);
    expect(value(0)).toBe(0);
    expect(value('4096')).toBe(4096);
    expect(value('0x200000')).toBe(0x200000);
    expect(value('0xABcd')).toBe(0xabcd);
    expect(value('4KiB')).toBe(4096);
    expect(value('2MiB')).toBe(2 * 2 ** 20);
    expect(value('1GiB')).toBe(2 ** 30);
    expect(value('1TiB')).toBe(2 ** 40);
    expect(value('0KiB')).toBe(0);
  });

  it('rejects decimal units, negatives, fractions and sizes above 2^53 - 1, each with its own phrase', () => {
    expect(value('2MB')).toMatch(/binary unit written KiB, MiB, GiB or TiB/);
    expect(value('4kib')).toMatch(/binary unit/);
    expect(value('4 KiB')).toMatch(/no space/);
    expect(value(-1)).toBe('error: a non-negative size');
    expect(value('-4KiB')).toBe('error: a non-negative size');
    expect(value(1.5)).toMatch(/no fractions/);
    expect(value('1.5MiB')).toMatch(/no fractions/);
    expect(value(2 ** 53)).toMatch(/at most 2\^53 - 1/);
    expect(value('9007199254740992')).toMatch(/at most 2\^53 - 1/);
    expect(value('8192TiB')).toMatch(/at most 2\^53 - 1/);
    expect(value('0x20000000000000')).toMatch(/at most 2\^53 - 1/);
    expect(value(MAX_SIZE)).toBe(MAX_SIZE);
  });

  it('rejects non-sizes with the generic phrase', () => {
    for (const bad of [
      true,
      null,
      undefined,
      [],
      {},
      'abc',
      '',
      '0x',
      '0xg',
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]) {
      expect(value(bad)).toMatch(/^error: a (size|non-negative size)/);
    }
  });

  it('round-trips any n through its decimal, hex and largest-unit forms that divides it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_SIZE }), (n) => {
        expect(value(n)).toBe(n);
        expect(value(`${n}`)).toBe(n);
        expect(value(`0x${n.toString(16)}`)).toBe(n);
        expect(value(`0x${n.toString(16).toUpperCase()}`)).toBe(n);
        expect(value(formatSize(n))).toBe(n);
      }),
    );
  });

  it('round-trips k units for every unit and k that fits (property)', () => {
    const units = Object.entries(SIZE_UNITS);
    fc.assert(
      fc.property(fc.constantFrom(...units), fc.nat(), ([unit, factor], raw) => {
        const k = raw % Math.floor(MAX_SIZE / factor + 1);
        expect(value(`${k}${unit}`)).toBe(k * factor);
      }),
    );
  });

  it('accepts a string iff it has the JSON Schema pattern shape and fits in 2^53 - 1 (property)', () => {
    const pattern = new RegExp(SIZE_STRING_PATTERN);
    const sizeLike = fc.oneof(
      fc.stringMatching(/^[0-9]{1,6}(KiB|MiB|GiB|TiB|MB|kb|B)?$/),
      fc.stringMatching(/^0x[0-9a-fA-F]{1,8}$/),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(sizeLike, (s) => {
        const r = parseSize(s);
        const tooBig = !r.ok && r.expected.includes('2^53');
        expect(r.ok || tooBig).toBe(pattern.test(s));
      }),
    );
  });
});

describe('formatSize', () => {
  it('uses the largest exact binary unit', () => {
    expect(formatSize(0)).toBe('0');
    expect(formatSize(4096)).toBe('4KiB');
    expect(formatSize(2 * 2 ** 20)).toBe('2MiB');
    expect(formatSize(3 * 2 ** 40)).toBe('3TiB');
    expect(formatSize(4097)).toBe('4097');
    expect(formatSize(1536 * 1024)).toBe('1536KiB');
  });
});

describe('parseByte', () => {
  it('accepts 0..255 as numbers or 0x hex strings', () => {
    expect(parseByte(0x5a)).toEqual({ ok: true, value: 90 });
    expect(parseByte('0x5a')).toEqual({ ok: true, value: 90 });
    expect(parseByte(0)).toEqual({ ok: true, value: 0 });
    expect(parseByte(255)).toEqual({ ok: true, value: 255 });
  });

  it('rejects everything else', () => {
    for (const bad of [256, -1, 1.5, '90', '0x100', 'a', null, true]) expect(parseByte(bad).ok).toBe(false);
  });

  it('accepts exactly the integers 0..255 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        expect(parseByte(n).ok).toBe(n >= 0 && n <= 255);
      }),
    );
  });
});

describe('isName', () => {
  it('is [a-z][a-z0-9-]*', () => {
    for (const ok of ['p', 't1', 'review-downgrade-wake-one', 'a-']) expect(isName(ok)).toBe(true);
    for (const bad of ['', '1t', 'T', 'a_b', 'a b', '-a', 3]) expect(isName(bad)).toBe(false);
  });
});

describe('alignUp and isPowerOfTwo', () => {
  it('alignUp rounds up to a multiple and rejects a non-positive alignment', () => {
    expect(alignUp(0, 4096)).toBe(0);
    expect(alignUp(1, 4096)).toBe(4096);
    expect(alignUp(4096, 4096)).toBe(4096);
    expect(() => alignUp(1, 0)).toThrow(RangeError);
  });

  it('isPowerOfTwo matches a bit-count reference on safe integers (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -4, max: MAX_SIZE }), (n) => {
        const reference = n >= 1 && BigInt(n).toString(2).replace(/0/g, '') === '1';
        expect(isPowerOfTwo(n)).toBe(reference);
      }),
    );
    for (let k = 0; k <= 52; k++) expect(isPowerOfTwo(2 ** k)).toBe(true);
  });
});
