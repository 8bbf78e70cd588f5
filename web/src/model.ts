/**
 * The run as the page queries it: the state at any step, rebuilt from the recorded deltas
 * and change lists (src/view/view-data.ts).
 *
 * Invariants: a keyed history keeps a full copy of its state every CHECKPOINT deltas, so the
 * state at any step costs one copy plus fewer than CHECKPOINT deltas, forwards or backwards;
 * `at(s)` of a change list is the last value recorded at or before s.
 */
import type {
  BlockRow,
  Delta,
  EntryRow,
  HolderRow,
  LockWaitRow,
  PteRow,
  SchedChange,
  ThreadRow,
  ViewData,
  VmaRow,
  WaitRow,
} from '../../src/view/view-data.js';

const CHECKPOINT = 64;

/** The index of the last element of ascending `xs` that is <= x (-1 when none). */
export function lastAtOrBefore(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function apply<Row extends [number, ...unknown[]]>(state: Map<number, Row>, d: Delta<Row>): void {
  if (d.del !== undefined) for (const k of d.del) state.delete(k);
  if (d.set !== undefined) for (const row of d.set) state.set(row[0], row);
}

/** A keyed state through the run. */
export class KeyedHistory<Row extends [number, ...unknown[]]> {
  readonly #deltas: Delta<Row>[];
  readonly #steps: number[];
  /** #checkpoints[c]: the state before delta c * CHECKPOINT. */
  readonly #checkpoints: Map<number, Row>[] = [];
  #memo: { step: number; state: Map<number, Row> } | null = null;

  constructor(deltas: Delta<Row>[]) {
    this.#deltas = deltas;
    this.#steps = deltas.map((d) => d.s);
    const state = new Map<number, Row>();
    deltas.forEach((d, i) => {
      if (i % CHECKPOINT === 0) this.#checkpoints.push(new Map(state));
      apply(state, d);
    });
  }

  /** The state after step `step`, keys in ascending order. */
  at(step: number): Map<number, Row> {
    if (this.#memo?.step === step) return this.#memo.state;
    const last = lastAtOrBefore(this.#steps, step);
    let state = new Map<number, Row>();
    if (last >= 0) {
      const c = Math.floor(last / CHECKPOINT);
      state = new Map(this.#checkpoints[c]);
      for (let i = c * CHECKPOINT; i <= last; i++) apply(state, this.#deltas[i]!);
    }
    const sorted = new Map([...state].sort((a, b) => a[0] - b[0]));
    this.#memo = { step, state: sorted };
    return sorted;
  }

  /** The keys set and deleted exactly at `step`. */
  changedAt(step: number): { set: Set<number>; del: number[] } {
    const i = lastAtOrBefore(this.#steps, step);
    const d = i >= 0 ? this.#deltas[i]! : undefined;
    if (d === undefined || d.s !== step) return { set: new Set(), del: [] };
    return { set: new Set((d.set ?? []).map((r) => r[0])), del: d.del ?? [] };
  }
}

/** A value recorded whole at the steps where it changed. */
export class ChangeList<T> {
  readonly #steps: number[] = [];
  readonly #values: T[] = [];

  constructor(
    changes: readonly SchedChange[],
    pick: (c: SchedChange) => T | undefined,
    readonly initial: T,
  ) {
    for (const c of changes) {
      const v = pick(c);
      if (v === undefined) continue;
      this.#steps.push(c.s);
      this.#values.push(v);
    }
  }

  /** The value after step `step`. */
  at(step: number): T {
    const i = lastAtOrBefore(this.#steps, step);
    return i < 0 ? this.initial : this.#values[i]!;
  }

  /** Each change as [step, value], ascending. */
  *changes(): Generator<[number, T]> {
    for (let i = 0; i < this.#steps.length; i++) yield [this.#steps[i]!, this.#values[i]!];
  }
}

/** Everything the page shows, indexed for stepping. */
export class RunModel {
  readonly data: ViewData;
  readonly steps: number;
  readonly trees: KeyedHistory<EntryRow>[];
  readonly blocks: KeyedHistory<BlockRow>[];
  readonly ptes: KeyedHistory<PteRow>[];
  readonly taskStates: ChangeList<string[]>;
  readonly waits: ChangeList<WaitRow[]>;
  readonly lockWaits: ChangeList<LockWaitRow[]>;
  readonly holders: ChangeList<HolderRow[]>;
  readonly vmas: ChangeList<VmaRow[][]>;
  /** Every thread-table row: the run's, then the end rows. */
  readonly rows: ThreadRow[];
  /** rowSteps[i]: the step of rows[i] (ascending). */
  readonly rowSteps: Int32Array;
  readonly fallbackSteps: number[];

  constructor(data: ViewData) {
    this.data = data;
    this.steps = data.run.steps;
    this.trees = data.trees.map((d) => new KeyedHistory(d));
    this.blocks = data.blocks.map((d) => new KeyedHistory(d));
    this.ptes = data.ptes.map((d) => new KeyedHistory(d));
    this.taskStates = new ChangeList(data.sched, (c) => c.tasks, []);
    this.waits = new ChangeList(data.sched, (c) => c.waits, []);
    this.lockWaits = new ChangeList(data.sched, (c) => c.lockWaits, []);
    this.holders = new ChangeList(data.sched, (c) => c.holders, []);
    this.vmas = new ChangeList(data.sched, (c) => c.vmas, []);
    this.rows = [...data.rows, ...data.endRows];
    this.rowSteps = Int32Array.from(this.rows, (r) => r[0]);
    this.fallbackSteps = data.fallbacks.events.map((e) => e[0]);
  }

  /** A task's name by id. */
  taskName(id: number): string {
    return this.data.tasks[id]?.name ?? `task${id}`;
  }

  /** The task that ran step `step` (none for step 0). */
  ranAt(step: number): number | undefined {
    return step >= 1 ? this.data.ran[step - 1] : undefined;
  }

  /** Fallbacks so far by reason index. */
  fallbacksAt(step: number): number[] {
    const counts = this.data.fallbacks.reasons.map(() => 0);
    const n = lastAtOrBefore(this.fallbackSteps, step) + 1;
    for (let i = 0; i < n; i++) counts[this.data.fallbacks.events[i]![1]]!++;
    return counts;
  }

  /** The first row at or after step `step` (rows.length when none). */
  firstRowAt(step: number): number {
    return lastAtOrBefore(this.rowSteps, step - 1) + 1;
  }
}
