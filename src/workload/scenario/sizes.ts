/**
 * Sizes, offsets, byte values and names as scenario files write them (scenario-format.md, "Values").
 *
 * Invariants:
 * - every accepted size is a non-negative safe integer (at most 2^53 - 1, `Number.MAX_SAFE_INTEGER`):
 *   above it JS numbers stop being exact, so a size there could silently change;
 * - only binary units are accepted (`KiB`, `MiB`, `GiB`, `TiB`): `2MB` is a typo for 2 MiB more often
 *   than a wish for 2,000,000 bytes, so it is an error rather than a guess;
 * - parsers never throw: they return `{ ok: false, expected }`, the phrase a message puts after "expected".
 */

/** The largest accepted size: above it JS numbers are not exact. */
export const MAX_SIZE = Number.MAX_SAFE_INTEGER;

/** Binary units, in the order `formatSize` prefers them (largest first). */
export const SIZE_UNITS = { TiB: 2 ** 40, GiB: 2 ** 30, MiB: 2 ** 20, KiB: 2 ** 10 } as const;
/** A binary unit name. */
export type SizeUnit = keyof typeof SIZE_UNITS;

/** What a size string may look like, for the JSON Schema (`0x` hex, decimal, decimal + binary unit). */
export const SIZE_STRING_PATTERN = '^(?:[0-9]+(?:KiB|MiB|GiB|TiB)?|0x[0-9a-fA-F]+)$';
/** Names of processes, tasks and mappings. */
export const NAME_PATTERN = '^[a-z][a-z0-9-]*$';

const NAME_RE = new RegExp(NAME_PATTERN);
const DECIMAL_RE = /^[0-9]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const UNIT_RE = /^([0-9]+)(KiB|MiB|GiB|TiB)$/;
const NEGATIVE_RE = /^\s*-/;
const FRACTION_RE = /^[0-9]*\.[0-9]+\s*[A-Za-z]*$/;
const ANY_UNIT_RE = /^[0-9]+\s*[A-Za-z]+$/;

/** A parse result: the value, or the phrase that follows "expected" in an error message. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

/** The generic description of a size, used when nothing more precise applies. */
export const SIZE_EXPECTED = 'a size (integer, "0x" hex, or a KiB/MiB/GiB/TiB multiple)';

function fail<T>(expected: string): Parsed<T> {
  return { ok: false, expected };
}

function checkNumber(n: number): Parsed<number> {
  if (!Number.isFinite(n)) return fail(SIZE_EXPECTED);
  if (n < 0) return fail('a non-negative size');
  if (!Number.isInteger(n)) return fail('a whole number of bytes (no fractions)');
  if (n > MAX_SIZE) return fail(`a size of at most 2^53 - 1 bytes (${MAX_SIZE})`);
  return { ok: true, value: n };
}

function parseSizeString(s: string): Parsed<number> {
  if (DECIMAL_RE.test(s)) return checkNumber(Number(s));
  if (HEX_RE.test(s)) return checkNumber(Number.parseInt(s.slice(2), 16));
  const unit = UNIT_RE.exec(s);
  if (unit) return checkNumber(Number(unit[1]) * SIZE_UNITS[unit[2] as SizeUnit]);
  if (NEGATIVE_RE.test(s)) return fail('a non-negative size');
  if (FRACTION_RE.test(s)) return fail('a whole number of bytes or units (no fractions)');
  if (ANY_UNIT_RE.test(s)) return fail('a size with a binary unit written KiB, MiB, GiB or TiB (no space)');
  return fail(SIZE_EXPECTED);
}

/** Parse a size or offset: a number, a decimal or `0x` hex string, or `<n>KiB|MiB|GiB|TiB`. */
export function parseSize(value: unknown): Parsed<number> {
  if (typeof value === 'number') return checkNumber(value);
  if (typeof value === 'string') return parseSizeString(value);
  return fail(SIZE_EXPECTED);
}

/** Parse a byte value: 0..255 as a number (`0x5a` in YAML is a number) or a `0x` hex string. */
export function parseByte(value: unknown): Parsed<number> {
  const n = typeof value === 'string' && HEX_RE.test(value) ? Number.parseInt(value.slice(2), 16) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 255) return { ok: true, value: n };
  return fail('a byte value 0..255 (e.g. 90 or 0x5a)');
}

/** True when `value` is a name: `[a-z][a-z0-9-]*`. */
export function isName(value: unknown): value is string {
  return typeof value === 'string' && NAME_RE.test(value);
}

/** Render a size in the largest binary unit that divides it exactly, else as a byte count. */
export function formatSize(bytes: number): string {
  if (bytes > 0) {
    for (const [unit, factor] of Object.entries(SIZE_UNITS)) {
      if (bytes % factor === 0) return `${bytes / factor}${unit}`;
    }
  }
  return `${bytes}`;
}

/** Round `n` up to a multiple of `align` (a power of two or any positive integer). */
export function alignUp(n: number, align: number): number {
  if (!(align > 0)) throw new RangeError(`alignUp: align must be positive, got ${align}`);
  return Math.ceil(n / align) * align;
}

/** True when `n` is a power of two (1, 2, 4, ...), exact for any safe integer. */
export function isPowerOfTwo(n: number): boolean {
  if (!Number.isSafeInteger(n) || n < 1) return false;
  let m = n;
  while (m % 2 === 0) m /= 2;
  return m === 1;
}
