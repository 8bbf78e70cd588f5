/** Byte strings (`equals`, `data`): hex or UTF-8, against TextEncoder and a hex round trip. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatByteString, parseByteString } from '../../src/workload/scenario/byte-string.js';

const bytes = (v: unknown) => {
  const r = parseByteString(v);
  return r.ok ? [...r.value] : r.expected;
};

describe('parseByteString (equals / data)', () => {
  it('reads "0x" hex with an even number of digits as bytes', () => {
    expect(bytes('0x0000')).toEqual([0, 0]);
    expect(bytes('0x5aFF01')).toEqual([0x5a, 0xff, 0x01]);
  });

  it('reads anything else as UTF-8 text', () => {
    expect(bytes('hello')).toEqual([104, 101, 108, 108, 111]);
    expect(bytes('é')).toEqual([0xc3, 0xa9]);
    expect(bytes('0xzz')).toEqual([...new TextEncoder().encode('0xzz')]);
    expect(bytes('')).toEqual([]);
  });

  it('rejects an odd or empty digit count after 0x, and non-strings', () => {
    expect(bytes('0x123')).toMatch(/even, non-zero number of digits/);
    expect(bytes('0x')).toMatch(/even, non-zero number of digits/);
    expect(bytes(12)).toMatch(/hex string/);
  });

  it('round-trips non-empty byte arrays through formatByteString (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (data) => {
        expect(bytes(formatByteString(data))).toEqual([...data]);
      }),
    );
  });

  it('encodes text that is not hex-shaped exactly as TextEncoder does (property)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^0x[0-9a-fA-F]*$/.test(s)),
        (s) => {
          expect(bytes(s)).toEqual([...new TextEncoder().encode(s)]);
        },
      ),
    );
  });
});
