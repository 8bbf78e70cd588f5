/**
 * The zod schema of a raw scenario file, key by key as scenario-format.md defines it.
 *
 * Invariants:
 * - every object is strict (an unknown key is an error) and every default is the one the format shows;
 * - the output ("raw scenario") has sizes in bytes and byte strings as bytes, but keeps the file's shape:
 *   references are unchecked and optional sections may be absent; check-*.ts and normalise.ts take it on;
 * - descriptions here are what editors show from the generated JSON Schema, so they say what a key means.
 */
import { z } from 'zod';
import { FALLBACK_REASONS as MODEL_FALLBACK_REASONS } from '../../dax/fallback.js';
import { ALLOC_SITES } from '../../sim/types.js';
import { PROFILE_NAMES } from '../../version/profiles.js';
import { byteField, countField, nameField, pathField, probabilityField, sizeField } from './fields.js';
import { MappingSchema, OpSchema } from './op-schema.js';

/** Fallback reasons (design.md), one per M rule branch: the keys of `expect.fallbackReasons`. */
export const FALLBACK_REASONS = MODEL_FALLBACK_REASONS;

/** Allocation sites a failure can be injected at (S4). */
export const INJECT_SITES = ALLOC_SITES;
/** How a task may end. */
export const TASK_OUTCOMES = ['done', 'SIGBUS', 'SIGSEGV', 'OOM', 'blocked'] as const;

const DeviceSchema = z
  .strictObject({
    size: sizeField.prefault('64GiB').describe('Device size.'),
    baseAlign: sizeField
      .prefault('2MiB')
      .describe(
        'The first byte is aligned to this and to no larger power of two (4KiB: pfns off colour) (B1).',
      ),
    devmap: z
      .boolean()
      .default(true)
      .describe('Memory has page structures; false gives not-devmap fallbacks.'),
  })
  .describe('The pmem device (B1).');

const FsSchema = z
  .strictObject({
    allocAlign: sizeField
      .prefault('2MiB')
      .describe('Alignment of newly allocated extents: 4KiB or 2MiB (F2).'),
    extentHint: sizeField.prefault('2MiB').describe('Allocation unit for writes into holes (>= allocAlign).'),
    freeSpace: sizeField
      .optional()
      .describe(
        'Bytes the allocator may hand out (ENOSPC past it). Default: 64GiB, capped at the device size.',
      ),
    writeback: z
      .enum(['keep-dirty', 'clean-dirty'])
      .optional()
      .describe(
        "W3: keep-dirty (the seed's rule) or clean-dirty (4.10 on). Default: the profile's dirty-clear switch.",
      ),
  })
  .describe('The filesystem allocation policy (F2).');

const ExtentSchema = z.strictObject({
  offset: sizeField.describe('File offset, page aligned.'),
  length: sizeField.describe('Bytes, a page multiple.'),
  type: z.enum(['mapped', 'unwritten', 'hole']),
  sector: sizeField
    .optional()
    .describe('Device sector (512 bytes) of the start; default: the allocator picks.'),
});

function checkLayoutOrExtents(ctx: {
  value: { layout?: unknown; extents?: unknown };
  issues: object[];
}): void {
  if (ctx.value.layout === undefined || ctx.value.extents === undefined) return;
  ctx.issues.push({
    code: 'custom',
    message: 'either layout or extents, not both',
    input: ctx.value,
    path: ['extents'],
    params: { got: 'both' },
  });
}

const FileSchema = z
  .strictObject({
    path: pathField,
    size: sizeField.describe('File size in bytes.'),
    layout: z
      .enum(['allocated', 'sparse', 'unwritten'])
      .optional()
      .describe('Initial layout (default sparse).'),
    extents: z
      .array(ExtentSchema)
      .optional()
      .describe('Instead of layout: explicit, in order, covering [0, size).'),
    fill: byteField.prefault(0).describe('Byte written into mapped extents at setup.'),
  })
  .check(checkLayoutOrExtents)
  .meta({ not: { required: ['layout', 'extents'] } });

const ProcessSchema = z.strictObject({
  name: nameField,
  mappings: z.array(MappingSchema).default([]).describe('Established before any task runs.'),
});

const TaskSchema = z.strictObject({
  name: nameField,
  process: nameField.optional().describe('Default: the first process.'),
  after: z.array(nameField).default([]).describe('Start only once these tasks have ended.'),
  ops: z.array(OpSchema),
});

function checkOneMode(ctx: {
  value: { nth?: unknown; every?: unknown; probability?: unknown };
  issues: object[];
}): void {
  const given = (['nth', 'every', 'probability'] as const).filter((k) => ctx.value[k] !== undefined);
  if (given.length === 1) return;
  ctx.issues.push({
    code: 'custom',
    message: 'exactly one of nth, every, probability',
    input: ctx.value,
    params: { got: given.length === 0 ? 'none' : given.join(' and ') },
  });
}

const InjectSchema = z
  .strictObject({
    site: z.enum(INJECT_SITES),
    nth: countField.optional().describe('Fail the nth call (1 = the first).'),
    every: z.literal(true).optional().describe('Fail every call.'),
    probability: probabilityField.optional().describe('Fail each call with this seeded probability.'),
  })
  .check(checkOneMode)
  .meta({ oneOf: [{ required: ['nth'] }, { required: ['every'] }, { required: ['probability'] }] });

function counts<const K extends string>(keys: readonly K[]) {
  return z.strictObject(
    Object.fromEntries(keys.map((k) => [k, countField.optional()])) as Record<
      K,
      z.ZodOptional<typeof countField>
    >,
  );
}

const ExpectSchema = z
  .strictObject({
    faults: counts(['pmd', 'pte', 'fallback', 'major', 'cow', 'sigbus']).optional(),
    fallbackReasons: counts(FALLBACK_REASONS).optional(),
    entries: counts(['pte', 'pmd', 'zero', 'empty', 'holePages']).optional(),
    pageTables: counts(['hugePmds', 'ptes', 'pteTables']).optional(),
    tasks: z.record(nameField, z.enum(TASK_OUTCOMES)).optional().describe('How each task ended.'),
    violations: countField.optional(),
  })
  .describe('Counts `run` checks at the end (exit 1 on mismatch).');

/** The whole scenario file. */
export const ScenarioFileSchema = z
  .strictObject({
    name: nameField.optional().describe('Default: the file name without extension.'),
    description: z.string().optional().describe('Shown by `daxsim scenarios` (first line) and reports.'),
    seed: countField.optional().describe('Default seed for `run` (--seed wins).'),
    profile: z
      .enum(PROFILE_NAMES)
      .optional()
      .describe('Kernel profile: seed, 4.10, 4.11, 4.12, 4.13 or fixed (default; --profile wins).'),
    device: DeviceSchema.prefault({}),
    fs: FsSchema.prefault({}),
    files: z.array(FileSchema).min(1, { error: 'a list of at least one file' }),
    processes: z
      .array(ProcessSchema)
      .min(1, { error: 'a list of at least one process (or no processes key)' })
      .optional()
      .describe('Default: one process `p` with no mappings.'),
    tasks: z.array(TaskSchema).describe('Tasks start together and interleave (may be empty).'),
    inject: z.array(InjectSchema).default([]).describe('Allocation failures (S4).'),
    mutations: z
      .array(z.string().min(1, { error: 'a mutation name' }))
      .default([])
      .describe('Mutations (--mutation adds).'),
    expect: ExpectSchema.optional(),
  })
  .meta({ title: 'daxsim scenario', description: 'A daxsim scenario (scenario-format.md).' });

/** The parsed, not yet cross-checked scenario. */
export type RawScenario = z.output<typeof ScenarioFileSchema>;
/** A raw file entry. */
export type RawFile = RawScenario['files'][number];
/** A raw task. */
export type RawTask = RawScenario['tasks'][number];
