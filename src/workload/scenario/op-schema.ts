/**
 * The zod schema of one task op as a scenario file writes it: a one-key mapping (`- read: {...}`).
 *
 * Invariants:
 * - an op item is a strict object whose keys are op kinds; exactly one must be present. Modelling it as
 *   an object (not a union of one-key objects) keeps zod's messages precise: a bad field inside `read`
 *   is reported at `ops[i].read.field`, not as "no union branch matched";
 * - bodies are strict (unknown keys are errors); cross-references (map, file) and value ranges are
 *   checked after parsing (check-names.ts, check-values.ts), where the whole scenario is known;
 * - `data` vs `length` + `byte` (write, pwrite) is decided here, so later stages see one form.
 */
import { z } from 'zod';
import { ERRNOS } from '../../lib/errno.js';
import { addressField, byteField, byteStringField, nameField, pathField, sizeField } from './fields.js';

/** The op kinds, in the order scenario-format.md lists them. */
export const OP_KINDS = [
  'read',
  'write',
  'touch',
  'pread',
  'pwrite',
  'fsync',
  'msync',
  'truncate',
  'punch',
  'fallocate',
  'mmap',
  'munmap',
  'crash',
] as const;

const errno = z
  .enum(ERRNOS)
  .describe('Expect the call to fail with this errno (an expect failure otherwise).');
const equals = byteStringField.optional().describe('Expected bytes: "0x" hex (even digits) or plain text.');

/** A mapping, as `processes[].mappings[]` and the `mmap` op declare it. */
export const MappingSchema = z
  .strictObject({
    name: nameField,
    file: pathField.describe('The file mapped: a path from `files`.'),
    offset: sizeField.describe('File offset, page aligned.'),
    length: sizeField.describe('Bytes mapped.'),
    shared: z.boolean().default(true).describe('true: MAP_SHARED; false: MAP_PRIVATE.'),
    address: addressField.prefault('auto'),
  })
  .describe('A mapping of a file into the process.');

interface DataForm {
  data?: unknown;
  length?: unknown;
  byte?: unknown;
}

/** write/pwrite carry either `data` or `length` + `byte`; say which combination was given otherwise. */
function checkDataForm(ctx: { value: DataForm; issues: unknown[] }): void {
  const given = (['data', 'length', 'byte'] as const).filter((k) => ctx.value[k] !== undefined);
  const form = given.join(',');
  if (form === 'data' || form === 'length,byte') return;
  (ctx.issues as object[]).push({
    code: 'custom',
    message: 'either data, or length with byte',
    input: ctx.value,
    params: { got: given.length === 0 ? 'neither' : given.join(' and ') },
  });
}

const dataFormJson = {
  anyOf: [
    { required: ['data'], not: { anyOf: [{ required: ['length'] }, { required: ['byte'] }] } },
    { required: ['length', 'byte'], not: { required: ['data'] } },
  ],
};

const dataFields = {
  data: byteStringField.optional().describe('Bytes to write: "0x" hex or plain text.'),
  length: sizeField.optional().describe('With byte: write this many copies of byte.'),
  byte: byteField.optional(),
};

const mapRef = nameField.describe('A mapping of the task process (initial or from an earlier mmap op).');
const fileRef = pathField.describe('A file from `files`.');

const read = z.strictObject({ map: mapRef, offset: sizeField, length: sizeField, equals });
const write = z.strictObject({ map: mapRef, offset: sizeField, ...dataFields }).check(checkDataForm);
const touch = z.strictObject({
  map: mapRef,
  offset: sizeField,
  length: sizeField,
  stride: sizeField.describe('Distance between accesses.'),
  access: z.enum(['read', 'write']),
});
const pread = z.strictObject({
  file: fileRef,
  offset: sizeField,
  length: sizeField,
  equals,
  errno: errno.optional(),
});
const pwrite = z
  .strictObject({ file: fileRef, offset: sizeField, ...dataFields, errno: errno.optional() })
  .check(checkDataForm);
const fsync = z.strictObject({ file: fileRef, errno: errno.optional() });
const msync = z.strictObject({
  map: mapRef,
  offset: sizeField.optional().describe('Start inside the mapping (page aligned; default 0).'),
  length: sizeField.optional().describe('Bytes (default: to the end of the mapping).'),
});
const truncate = z.strictObject({ file: fileRef, size: sizeField, errno: errno.optional() });
const range = { file: fileRef, offset: sizeField, length: sizeField, errno: errno.optional() };
const crash = z
  .strictObject({
    lose: z.enum(['all', 'random']).default('all').describe('Unflushed lines lost: all, or a seeded subset.'),
  })
  .nullable();

const opBodies = {
  read: read.describe('Load through a mapping (user access).'),
  write: write.meta({ ...dataFormJson, description: 'Store through a mapping (user access).' }),
  touch: touch.describe('Access [offset, offset+length) every stride bytes.'),
  pread: pread.describe('pread(2) from a file.'),
  pwrite: pwrite.meta({ ...dataFormJson, description: 'pwrite(2) to a file; may extend it.' }),
  fsync: fsync.describe('fsync(2).'),
  msync: msync.describe('msync(2) of a mapping.'),
  truncate: truncate.describe('ftruncate(2).'),
  punch: z.strictObject(range).describe('fallocate(2) PUNCH_HOLE | KEEP_SIZE.'),
  fallocate: z.strictObject(range).describe('fallocate(2) mode 0.'),
  mmap: MappingSchema,
  munmap: z.strictObject({ map: mapRef }).describe('munmap(2) of a mapping.'),
  crash: crash.describe('The machine stops: unflushed lines are lost, then V6 is checked.'),
};

/**
 * Exactly one op kind per item. The checked value no longer holds unknown keys, so an item with only
 * unknown keys is recognised by the strict object's own issue, which already says what was expected.
 */
function checkOneKind(ctx: { value: Record<string, unknown>; issues: { code?: string }[] }): void {
  const kinds = Object.keys(ctx.value).filter((k) => (OP_KINDS as readonly string[]).includes(k));
  if (kinds.length === 1) return;
  if (kinds.length === 0 && ctx.issues.some((issue) => issue.code === 'unrecognized_keys')) return;
  (ctx.issues as object[]).push({
    code: 'custom',
    message: `exactly one op (${OP_KINDS.join(', ')})`,
    input: ctx.value,
    params: { got: kinds.length === 0 ? 'an empty mapping' : kinds.join(' and ') },
  });
}

/** One op item: `{ <kind>: <body> }`. */
export const OpSchema = z
  .strictObject(
    Object.fromEntries(OP_KINDS.map((k) => [k, opBodies[k].optional()])) as {
      [K in keyof typeof opBodies]: z.ZodOptional<(typeof opBodies)[K]>;
    },
  )
  .check(checkOneKind)
  .meta({
    id: 'op',
    title: 'op',
    description: 'One step of a task: a mapping with exactly one key.',
    minProperties: 1,
    maxProperties: 1,
  });

/** The raw (parsed, not yet normalised) op item. */
export type RawOp = z.output<typeof OpSchema>;
/** The raw mapping. */
export type RawMapping = z.output<typeof MappingSchema>;

/** An op kind name. */
export type RawOpKind = (typeof OP_KINDS)[number];
/** A raw op as its kind and body (`crash` may have a null body: `- crash:`). */
export type RawOpEntry = { [K in RawOpKind]: { kind: K; body: Exclude<RawOp[K], undefined> } }[RawOpKind];

/** The one kind present in a raw op item (the schema guarantees exactly one). */
export function rawOpEntry(op: RawOp): RawOpEntry {
  for (const kind of OP_KINDS) {
    const body = op[kind];
    if (body !== undefined) return { kind, body } as RawOpEntry;
  }
  throw new Error('rawOpEntry: op item has no op kind (was it validated by OpSchema?)');
}
