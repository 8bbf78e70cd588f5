/**
 * The zod building blocks of the scenario schema: sizes, bytes, names, byte strings, counts.
 *
 * Invariants:
 * - each field is `z.unknown()` piped through one of the `sizes.ts` / `byte-string.ts` parsers, so the
 *   accepted forms live in one place and the message (`issue.message`) is the parser's "expected" phrase;
 * - a missing required value reaches the parser as `undefined` and is reported as "... (required)";
 * - each field carries an `id` and its JSON Schema shape in its metadata, because zod cannot derive a JSON
 *   Schema from a transform: `z.toJSONSchema` then emits one `definitions` entry per field and refers to it.
 */
import { z } from 'zod';
import { BYTE_STRING_EXPECTED, parseByteString } from './byte-string.js';
import {
  MAX_SIZE,
  NAME_PATTERN,
  type Parsed,
  parseByte,
  parseSize,
  SIZE_STRING_PATTERN,
  SIZE_UNITS,
} from './sizes.js';

/** The JSON Schema fragment of a field, merged into its `definitions` entry. */
type JsonFragment = Record<string, unknown>;

/** A field parsed by `parse`; `what` names it in "(required)" messages. */
function parsedField<T>(id: string, what: string, parse: (v: unknown) => Parsed<T>, json: JsonFragment) {
  return z
    .unknown()
    .transform((value, ctx): T => {
      const parsed =
        value === undefined ? { ok: false as const, expected: `${what} (required)` } : parse(value);
      if (parsed.ok) return parsed.value;
      ctx.issues.push({ code: 'custom', message: parsed.expected, input: value });
      return z.NEVER;
    })
    .meta({ id, ...json });
}

const sizeJson: JsonFragment = {
  title: 'size',
  description: `Bytes: an integer, a "0x" hex string, or a whole number of ${Object.keys(SIZE_UNITS).join('/')} (binary units only).`,
  anyOf: [
    { type: 'integer', minimum: 0, maximum: MAX_SIZE },
    { type: 'string', pattern: SIZE_STRING_PATTERN },
  ],
  examples: [4096, '0x200000', '4KiB', '2MiB', '1GiB'],
};

/** A size or offset in bytes (sizes.ts forms). */
export const sizeField = parsedField('size', 'a size', parseSize, sizeJson);

function parseAddress(value: unknown): Parsed<'auto' | number> {
  if (value === 'auto') return { ok: true, value };
  const size = parseSize(value);
  return size.ok ? size : { ok: false, expected: `"auto" or ${size.expected}` };
}

/** A mapping address: `auto` or an explicit (page-aligned, checked later) address. */
export const addressField = parsedField('address', 'an address', parseAddress, {
  title: 'address',
  description:
    'auto: colour-matched as thp_get_unmapped_area picks; or an explicit page-aligned address such as "0x7f0000201000".',
  anyOf: [{ const: 'auto' }, ...(sizeJson.anyOf as JsonFragment[])],
});

/** A byte value 0..255. */
export const byteField = parsedField('byte', 'a byte value', parseByte, {
  title: 'byte',
  description: 'A byte value 0..255, e.g. 90 or 0x5a.',
  anyOf: [
    { type: 'integer', minimum: 0, maximum: 255 },
    { type: 'string', pattern: '^0x[0-9a-fA-F]{1,2}$' },
  ],
});

/** Bytes written as `0x` hex or UTF-8 text. */
export const byteStringField = parsedField('byteString', 'a byte string', parseByteString, {
  title: 'byte string',
  description: `Bytes: ${BYTE_STRING_EXPECTED} (UTF-8).`,
  type: 'string',
  examples: ['0x0000000000000000', 'hello'],
});

function parseCount(value: unknown): Parsed<number> {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return { ok: true, value };
  return { ok: false, expected: 'a non-negative integer' };
}

/** A non-negative integer (seeds, expected counts, `nth`). */
export const countField = parsedField('count', 'a count', parseCount, {
  title: 'count',
  type: 'integer',
  minimum: 0,
  maximum: MAX_SIZE,
});

function parseProbability(value: unknown): Parsed<number> {
  if (typeof value === 'number' && value >= 0 && value <= 1) return { ok: true, value };
  return { ok: false, expected: 'a probability between 0 and 1' };
}

/** A probability in [0, 1]. */
export const probabilityField = parsedField('probability', 'a probability', parseProbability, {
  title: 'probability',
  type: 'number',
  minimum: 0,
  maximum: 1,
});

/** The message for a bad name, shared with record keys (which zod types as plain strings). */
export const NAME_EXPECTED = 'a name matching [a-z][a-z0-9-]*';

/** A process, task or mapping name. */
export const nameField = z
  .string({ error: NAME_EXPECTED })
  .regex(new RegExp(NAME_PATTERN), { error: NAME_EXPECTED })
  .meta({ id: 'name', title: 'name', description: 'A name: [a-z][a-z0-9-]*.' });

/** The message for a bad file path. */
const PATH_EXPECTED = 'a file name or an absolute path (data, /mnt/pmem0/data)';

/** A file path as `files[].path` declares it and ops refer to it. */
export const pathField = z
  .string({ error: PATH_EXPECTED })
  .regex(/^(?:[^/\0]+|(?:\/[^/\0]+)+)$/, { error: PATH_EXPECTED })
  .meta({
    id: 'path',
    title: 'file path',
    description: 'A file name or an absolute path (data, /mnt/pmem0/data).',
  });
