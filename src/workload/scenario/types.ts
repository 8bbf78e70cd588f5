/**
 * The normalised scenario: what `parseScenario` / `loadScenario` hand to the World builder.
 *
 * Invariants (established by the loader, so consumers need not re-check them):
 * - every size and offset is a non-negative safe integer in bytes; defaults are filled in;
 * - every name referenced (file, process, mapping, task) exists, names are unique in their scope
 *   (files by path, processes, tasks, mappings within a process), and `after` has no cycle;
 * - explicit addresses, mapping offsets and extent bounds are page aligned; extents are in order and
 *   cover [0, size rounded up to a page); `write`/`pwrite` data is materialised as bytes;
 * - `line` of an op is the 1-based line of its list item in the source, for messages.
 * - `equals` of `read` has exactly `length` bytes; of `pread` at most `length` (a read may be short at end
 *   of file, R1), and it states the whole expected result.
 */

/** A file and its initial layout. With `extents`, `layout` is `'sparse'` and ignored. */
export interface FileSpec {
  path: string;
  sizeBytes: number;
  layout: 'allocated' | 'sparse' | 'unwritten';
  extents?: ExtentSpec[];
  fill: number;
}

/** One explicit extent of a file; `sector` (512-byte units) only where the file says so. */
export interface ExtentSpec {
  offset: number;
  length: number;
  type: 'mapped' | 'unwritten' | 'hole';
  sector?: number;
}

/** A mapping: established at start (in `ProcessSpec.mappings`) or by an `mmap` op. */
export interface MappingSpec {
  name: string;
  file: string;
  offset: number;
  length: number;
  shared: boolean;
  address: 'auto' | number;
}

/** A process and the mappings it has before any task runs. */
export interface ProcessSpec {
  name: string;
  mappings: MappingSpec[];
}

/** A task: runs `ops` in `process` once every task in `after` has ended. */
export interface TaskSpec {
  name: string;
  process: string;
  after: string[];
  ops: Op[];
}

/** One step of a task, with the source line of its list item. */
export type Op = (
  | { kind: 'read'; map: string; offset: number; length: number; equals?: Uint8Array }
  | { kind: 'write'; map: string; offset: number; data: Uint8Array }
  | { kind: 'touch'; map: string; offset: number; length: number; stride: number; access: 'read' | 'write' }
  | { kind: 'pread'; file: string; offset: number; length: number; equals?: Uint8Array; errno?: string }
  | { kind: 'pwrite'; file: string; offset: number; data: Uint8Array; errno?: string }
  | { kind: 'fsync'; file: string; errno?: string }
  | { kind: 'msync'; map: string; offset?: number; length?: number }
  | { kind: 'truncate'; file: string; size: number; errno?: string }
  | { kind: 'punch'; file: string; offset: number; length: number; errno?: string }
  | { kind: 'fallocate'; file: string; offset: number; length: number; errno?: string }
  | { kind: 'mmap'; mapping: MappingSpec }
  | { kind: 'munmap'; map: string }
  | { kind: 'crash'; lose: 'all' | 'random' }
) & { line: number };

/** An allocation-failure injection (S4): exactly one of `nth`, `every`, `probability` is set. */
export interface InjectSpec {
  site: 'radix-preload' | 'page-alloc' | 'huge-zero-page' | 'block-alloc';
  nth?: number;
  every?: boolean;
  probability?: number;
}

/** Counts and outcomes `run` asserts at the end. */
export interface ExpectSpec {
  faults?: Partial<Record<'pmd' | 'pte' | 'fallback' | 'major' | 'cow' | 'sigbus', number>>;
  fallbackReasons?: Record<string, number>;
  entries?: Partial<Record<'pte' | 'pmd' | 'zero' | 'empty' | 'holePages', number>>;
  pageTables?: Partial<Record<'hugePmds' | 'ptes' | 'pteTables', number>>;
  tasks?: Record<string, 'done' | 'SIGBUS' | 'SIGSEGV' | 'OOM' | 'blocked'>;
  violations?: number;
}

/** A validated, normalised scenario. `source` is where it came from (a path or `builtin:NAME`). */
export interface Scenario {
  name: string;
  description: string;
  seed?: number;
  /** The kernel profile the scenario asks for (run options win). */
  profile?: string;
  source: string;
  device: { sizeBytes: number; baseAlignBytes: number; devmap: boolean };
  fs: {
    allocAlignBytes: number;
    extentHintBytes: number;
    freeSpaceBytes: number;
    /** W3, when the scenario names it (else the profile's dirty-clear switch decides). */
    writeback?: 'keep-dirty' | 'clean-dirty';
  };
  files: FileSpec[];
  processes: ProcessSpec[];
  tasks: TaskSpec[];
  inject: InjectSpec[];
  mutations: string[];
  expect?: ExpectSpec;
}
