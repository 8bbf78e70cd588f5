/**
 * A keyed state recorded as deltas (view-data.ts): each update compares the new rows with
 * the previous ones and keeps only what changed.
 *
 * Invariants: rows are flat arrays of numbers and strings whose first element is the key;
 * `deltas` is in ascending step order with at most one delta per step; applying every delta
 * up to step s in order gives exactly the rows last passed to `update` at or before s.
 */
import type { Delta } from './view-data.js';

/** A flat row whose first element is its key. */
export type KeyedRow = readonly [number, ...(number | string)[]];

function sameRow(a: KeyedRow, b: KeyedRow): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The delta-recorded history of one keyed state. */
export class KeyedTrack<Row extends KeyedRow> {
  readonly deltas: Delta<Row>[] = [];
  #prev = new Map<number, Row>();

  /** The state at `step` is `next` (keys in ascending order); record what changed. */
  update(step: number, next: Map<number, Row>): void {
    const set: Row[] = [];
    const del: number[] = [];
    for (const [k, row] of next) {
      const old = this.#prev.get(k);
      if (old === undefined || !sameRow(old, row)) set.push(row);
    }
    for (const k of this.#prev.keys()) if (!next.has(k)) del.push(k);
    this.#prev = next;
    if (set.length === 0 && del.length === 0) return;
    const last = this.deltas[this.deltas.length - 1];
    if (last !== undefined && last.s >= step) throw new Error(`KeyedTrack: step ${step} after ${last.s}`);
    const d: Delta<Row> = { s: step };
    if (set.length > 0) d.set = set;
    if (del.length > 0) d.del = del;
    this.deltas.push(d);
  }
}
