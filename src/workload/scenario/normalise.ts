/**
 * Raw (schema-parsed, checked) scenario → the normalised `Scenario` of types.ts.
 *
 * Invariants:
 * - runs only after check-values.ts and check-names.ts found nothing, so every reference resolves;
 * - fills every default the format states: name from the file, description '', one process `p`,
 *   task process = the first process, layout `sparse`, `lose: all`, free space = min(64GiB, device);
 * - optional keys that were absent stay absent (no `undefined`-valued properties), so consumers may use
 *   `'key' in obj` and JSON output stays clean;
 * - `write`/`pwrite` data becomes one `Uint8Array` whichever form the file used.
 */

import { DEFAULT_PROCESS } from './check-names.js';
import type { DocPath } from './error.js';
import { type RawMapping, type RawOp, rawOpEntry } from './op-schema.js';
import type { RawFile, RawScenario, RawTask } from './schema.js';
import type {
  ExpectSpec,
  FileSpec,
  InjectSpec,
  MappingSpec,
  Op,
  ProcessSpec,
  Scenario,
  TaskSpec,
} from './types.js';

/** `fs.freeSpace` when absent: the format's 64GiB, never more than the device has. */
const DEFAULT_FREE_SPACE = 64 * 2 ** 30;

/** Context the raw value does not carry. */
export interface NormaliseContext {
  /** Scenario name when the file has none (the file name without extension). */
  defaultName: string;
  source: string;
  /** The 1-based source line of a document path. */
  lineOf: (path: DocPath) => number;
}

/** Copy the defined entries only. */
function defined<T extends object>(obj: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

function mapping(m: RawMapping): MappingSpec {
  return {
    name: m.name,
    file: m.file,
    offset: m.offset,
    length: m.length,
    shared: m.shared,
    address: m.address,
  };
}

function file(f: RawFile): FileSpec {
  const spec: FileSpec = { path: f.path, sizeBytes: f.size, layout: f.layout ?? 'sparse', fill: f.fill };
  if (f.extents !== undefined) spec.extents = f.extents.map((e) => defined(e));
  return spec;
}

function dataOf(body: { data?: Uint8Array; length?: number; byte?: number }): Uint8Array {
  if (body.data !== undefined) return body.data;
  return new Uint8Array(body.length ?? 0).fill(body.byte ?? 0);
}

/** One op; the kinds map one to one onto types.ts `Op`. */
function op(raw: RawOp, line: number): Op {
  const e = rawOpEntry(raw);
  switch (e.kind) {
    case 'read':
      return { kind: 'read', ...defined(e.body), line };
    case 'touch':
      return { kind: 'touch', ...e.body, line };
    case 'pread':
      return { kind: 'pread', ...defined(e.body), line };
    case 'fsync':
      return { kind: 'fsync', ...defined(e.body), line };
    case 'msync':
      return { kind: 'msync', ...defined(e.body), line };
    case 'truncate':
      return { kind: 'truncate', ...defined(e.body), line };
    case 'punch':
      return { kind: 'punch', ...defined(e.body), line };
    case 'fallocate':
      return { kind: 'fallocate', ...defined(e.body), line };
    case 'munmap':
      return { kind: 'munmap', map: e.body.map, line };
    case 'write':
      return { kind: 'write', map: e.body.map, offset: e.body.offset, data: dataOf(e.body), line };
    case 'pwrite': {
      const { file: path, offset, errno } = e.body;
      return { kind: 'pwrite', file: path, offset, data: dataOf(e.body), ...defined({ errno }), line };
    }
    case 'mmap':
      return { kind: 'mmap', mapping: mapping(e.body), line };
    case 'crash':
      return { kind: 'crash', lose: e.body?.lose ?? 'all', line };
  }
}

function task(t: RawTask, i: number, firstProcess: string, ctx: NormaliseContext): TaskSpec {
  const ops = t.ops.map((o, j) => op(o, ctx.lineOf(['tasks', i, 'ops', j])));
  return { name: t.name, process: t.process ?? firstProcess, after: [...t.after], ops };
}

function expectSpec(x: NonNullable<RawScenario['expect']>): ExpectSpec {
  const out: ExpectSpec = {};
  if (x.faults) out.faults = defined(x.faults);
  if (x.fallbackReasons) out.fallbackReasons = defined(x.fallbackReasons);
  if (x.entries) out.entries = defined(x.entries);
  if (x.pageTables) out.pageTables = defined(x.pageTables);
  if (x.tasks) out.tasks = { ...x.tasks };
  if (x.violations !== undefined) out.violations = x.violations;
  return out;
}

/** Build the normalised scenario from a checked raw one. */
export function normaliseScenario(raw: RawScenario, ctx: NormaliseContext): Scenario {
  const processes: ProcessSpec[] = (raw.processes ?? [{ name: DEFAULT_PROCESS, mappings: [] }]).map((p) => ({
    name: p.name,
    mappings: p.mappings.map(mapping),
  }));
  const firstProcess = processes[0]?.name ?? DEFAULT_PROCESS;
  const scenario: Scenario = {
    name: raw.name ?? ctx.defaultName,
    description: (raw.description ?? '').trimEnd(),
    source: ctx.source,
    device: { sizeBytes: raw.device.size, baseAlignBytes: raw.device.baseAlign, devmap: raw.device.devmap },
    fs: {
      allocAlignBytes: raw.fs.allocAlign,
      extentHintBytes: raw.fs.extentHint,
      freeSpaceBytes: raw.fs.freeSpace ?? Math.min(DEFAULT_FREE_SPACE, raw.device.size),
      ...(raw.fs.writeback === undefined ? {} : { writeback: raw.fs.writeback }),
    },
    files: raw.files.map(file),
    processes,
    tasks: raw.tasks.map((t, i) => task(t, i, firstProcess, ctx)),
    inject: raw.inject.map((x) => defined(x) as InjectSpec),
    mutations: [...raw.mutations],
  };
  if (raw.seed !== undefined) scenario.seed = raw.seed;
  if (raw.profile !== undefined) scenario.profile = raw.profile;
  if (raw.expect !== undefined) scenario.expect = expectSpec(raw.expect);
  return scenario;
}
