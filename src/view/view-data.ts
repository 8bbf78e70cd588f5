/**
 * The viewer's data: one run, recorded step by step, as the browser app reads it (from the
 * served `run.json` or the export's inline JSON). Shared by the recorder (src/view) and the
 * app (web/), so it imports nothing.
 *
 * Invariants:
 * - Step 0 is the state before the first scheduling decision; step s the state after step s;
 *   `steps` is the last step. Every list of changes is in ascending step order.
 * - State that is usually large (trees, page tables) is recorded as keyed deltas: a `Delta`
 *   at step s sets rows (whole new values, key first) and deletes keys; the state at step s is
 *   every delta up to s applied in order. Small state (tasks, waits, locks, VMAs) is recorded
 *   whole, only at the steps where it changed.
 * - Plain JSON only (numbers, strings, arrays, flat objects), so equal runs give equal bytes.
 */

/** The format version; bumped on any incompatible change. */
export const VIEW_DATA_VERSION = 1;

/** One tree entry: first index, order (9: 2 MiB), kind, entry lock bit, sector (hole page: pfn), tags. */
export type EntryRow = [
  index: number,
  order: number,
  kind: string,
  locked: 0 | 1,
  sector: number,
  tags: number,
];
/** Tag bits of an EntryRow. */
export const TAG_BITS = { dirty: 1, towrite: 2 } as const;

/** One occupied PMD slot: a huge PMD (pfn, writable, kind) or a PTE table (its present PTEs). */
export type BlockRow =
  | [block: number, kind: 'huge', pfn: number, writable: 0 | 1, mapKind: string]
  | [block: number, kind: 'table', ptes: number];
/** One present PTE: page number (vaddr / 4 KiB), pfn, writable, kind. */
export type PteRow = [page: number, pfn: number, writable: 0 | 1, mapKind: string];

/** Keyed changes at one step (key = the row's first element). */
export interface Delta<Row> {
  s: number;
  set?: Row[];
  del?: number[];
}

/** A task queued on the DAX wait table: task id, key (`file:0xINDEX`), bucket, descheduled yet. */
export type WaitRow = [task: number, key: string, bucket: number, asleep: 0 | 1];
/** A task waiting for a lock: task id, lock, mode, spinning or sleeping. */
export type LockWaitRow = [task: number, lock: string, mode: string, how: string];
/** A lock held: lock name, lock kind, holder task ids (several readers of an rwsem). */
export type HolderRow = [lock: string, kind: string, holders: number[]];
/** A mapping of a process: name, file, start, end (bytes), file page offset, shared. */
export type VmaRow = [name: string, file: string, start: number, end: number, pgoff: number, shared: 0 | 1];

/** The scheduling side at one step; a field is present only when it changed at that step. */
export interface SchedChange {
  s: number;
  /** Each task's state, by task id. */
  tasks?: string[];
  waits?: WaitRow[];
  lockWaits?: LockWaitRow[];
  holders?: HolderRow[];
  /** By process, in `processes` order. */
  vmas?: VmaRow[][];
}

/** One row of the thread table: step (the run's last step for `end` rows), task id, text. */
export type ThreadRow = [step: number, task: number, text: string];

/** A recorded run. */
export interface ViewData {
  version: typeof VIEW_DATA_VERSION;
  scenario: { name: string; description: string };
  run: {
    /** How it was run: the seeded random scheduler, or a replayed schedule. */
    mode: 'seed' | 'schedule';
    seed: number;
    schedule: string;
    /** The kernel profile run. */
    profile: string;
    mutations: string[];
    steps: number;
    /** Invariant violations and expect failures, one line each. */
    problems: string[];
    outcomes: Record<string, string>;
  };
  tasks: { id: number; name: string }[];
  files: string[];
  processes: string[];
  /** ran[s - 1]: the id of the task that ran step s. */
  ran: number[];
  rows: ThreadRow[];
  /** Rows at the end that say who never finished (stuck tasks). */
  endRows: ThreadRow[];
  /** Per file, in `files` order. */
  trees: Delta<EntryRow>[][];
  /** Per process, in `processes` order. */
  blocks: Delta<BlockRow>[][];
  ptes: Delta<PteRow>[][];
  sched: SchedChange[];
  /** THP fallbacks: reason names in report order, then [step, reason index] per fallback. */
  fallbacks: { reasons: string[]; events: [step: number, reason: number][] };
}
