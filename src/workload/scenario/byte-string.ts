/**
 * Byte strings in scenario ops (`equals`, `data`): a `0x` hex string or plain UTF-8 text.
 *
 * Invariants:
 * - a string that is `0x` followed only by hex digits is hex, and must have an even, non-zero number of
 *   digits: an odd count is a typo (a nibble went missing), not text that happens to look like hex;
 * - anything else is encoded as UTF-8, so `"hello"` is the five bytes a C string literal would hold;
 * - the result is a fresh `Uint8Array` that the caller owns.
 */
import type { Parsed } from './sizes.js';

const HEX_LIKE_RE = /^0x[0-9a-fA-F]*$/;

/** What a byte string may be, for messages and the JSON Schema. */
export const BYTE_STRING_EXPECTED = 'a "0x" hex string with an even number of digits, or plain text';

/** Parse `equals` / `data`: `0x`-prefixed hex (even number of digits) or UTF-8 text. */
export function parseByteString(value: unknown): Parsed<Uint8Array> {
  if (typeof value !== 'string') return { ok: false, expected: BYTE_STRING_EXPECTED };
  if (!HEX_LIKE_RE.test(value)) return { ok: true, value: new TextEncoder().encode(value) };
  const digits = value.slice(2);
  if (digits.length === 0 || digits.length % 2 !== 0) {
    return { ok: false, expected: 'a "0x" hex string with an even, non-zero number of digits' };
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return { ok: true, value: bytes };
}

/** Render bytes as the `0x` hex string `parseByteString` reads back. */
export function formatByteString(bytes: Uint8Array): string {
  let s = '0x';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
