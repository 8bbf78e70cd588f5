/**
 * The counterexample as a thread table (X3), in the style of the seed's review thread: one
 * column per task, one row per event, rows in trace order. A row names the model function
 * and its rule id with the fields that matter (mapping, index, key, entry, result), or a
 * sleep, a wake-up, a contended sleeping lock, an injected failure, a runtime bug or an exit.
 * Tasks still asleep at the end get a last "sleeps forever" row (V1).
 *
 * Invariant: pure and deterministic in the trace (the same replay renders the same bytes).
 */

import { wrapWords } from '../lib/wrap.js';
import type { TraceEvent } from '../sim/trace.js';
import type { StuckTask } from '../sim/types.js';

/** Fields shown for a model event, in this order (others are left out to keep cells short). */
const SHOWN = ['mapping', 'index', 'key', 'pgoff', 'address', 'entry', 'result', 'all', 'woken', 'reason'];
const MAX_WIDTH = 44;
/** Columns a thread table is fitted to by default (`--wide` lifts it). */
export const TABLE_WIDTH = 120;
/** A column is never narrowed below this (nor below its task's name). */
const MIN_WIDTH = 12;
/** The step column and the gaps between columns. */
const STEP_WIDTH = 5;
const GAP = 2;

/**
 * Fit column widths into `total` columns: narrow the widest column one character at a time
 * until the row fits, never below MIN_WIDTH or the column's own floor (its task's name).
 */
export function fitWidths(natural: readonly number[], floors: readonly number[], total: number): number[] {
  const widths = [...natural];
  const available = total - STEP_WIDTH - GAP * widths.length;
  let sum = widths.reduce((a, b) => a + b, 0);
  while (sum > available) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      const floor = Math.max(MIN_WIDTH, floors[i] ?? 0);
      if (widths[i]! > floor && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]!--;
    sum--;
  }
  return widths;
}

function modelCell(e: Extract<TraceEvent, { type: 'model' }>): string {
  const head = e.rule === undefined ? e.name : `${e.name} [${e.rule}]`;
  const f = e.fields ?? {};
  const parts: string[] = [];
  for (const k of SHOWN) {
    const v = f[k];
    if (v === undefined || v === '') continue;
    parts.push(`${k}=${typeof v === 'number' && k === 'address' ? `0x${v.toString(16)}` : String(v)}`);
  }
  return parts.length === 0 ? head : `${head} ${parts.join(' ')}`;
}

/** The cell an event contributes, with the task whose column it goes in; null to leave it out. */
export function eventCell(
  e: TraceEvent,
  name: (id: number) => string,
): { task: number; text: string } | null {
  switch (e.type) {
    case 'model':
      return { task: e.task, text: modelCell(e) };
    case 'point':
      return e.point.startsWith('op:') ? { task: e.task, text: `-- ${e.point.slice(3)} --` } : null;
    case 'sleep':
      return { task: e.task, text: `sleep on ${e.key ?? e.on}` };
    case 'wake':
      return e.key === undefined || e.waker < 0
        ? null
        : { task: e.waker, text: `wake ${name(e.wakee)} (${e.key})` };
    case 'lock':
      return e.op === 'contend' && e.kind !== 'spinlock'
        ? { task: e.task, text: `waits for ${e.lock}` }
        : null;
    case 'alloc':
      return e.failed
        ? { task: e.task, text: `alloc ${e.site} FAILED${e.chosen ? ' (injected)' : ''}` }
        : null;
    case 'bug':
      return { task: e.task, text: `BUG ${e.kind}: ${e.message}` };
    case 'exit':
      return { task: e.task, text: e.error !== undefined ? `exit: ${e.error}` : `exit: ${e.result ?? ''}` };
    default:
      return null;
  }
}

/** One row of the table: step (-1 for the end rows of stuck tasks), task id, text. */
export interface TableRow {
  step: number;
  task: number;
  text: string;
}

/** The rows of a traced run, in trace order, then one per task that never finished (V1). */
export function tableRows(
  events: readonly TraceEvent[],
  tasks: readonly { id: number; name: string }[],
  stuck: readonly StuckTask[] = [],
): TableRow[] {
  const names = new Map(tasks.map((t) => [t.id, t.name]));
  const name = (id: number) => names.get(id) ?? `task${id}`;
  const rows: TableRow[] = [];
  for (const e of events) {
    const c = eventCell(e, name);
    if (c !== null && c.task >= 0) rows.push({ step: e.step, ...c });
  }
  for (const s of stuck) {
    const on = s.waitingOn?.kind === 'wait-queue' ? ` on ${s.waitingOn.table.name} key ${keyText(s)}` : '';
    rows.push({ step: -1, task: s.task.id, text: `... ${s.state} forever${on}` });
  }
  return rows;
}

/**
 * Render the table of a traced run: `tasks` by id, `stuck` from the quiescence report; cells
 * wrap so the table fits `totalWidth` columns where the tasks' names allow.
 */
export function renderTable(
  events: readonly TraceEvent[],
  tasks: readonly { id: number; name: string }[],
  stuck: readonly StuckTask[] = [],
  totalWidth = TABLE_WIDTH,
): string {
  const rows = tableRows(events, tasks, stuck);
  const used = tasks.filter((t) => rows.some((r) => r.task === t.id));
  const natural = used.map((t) => {
    let w = t.name.length;
    for (const r of rows) if (r.task === t.id) w = Math.max(w, Math.min(MAX_WIDTH, r.text.length));
    return w;
  });
  const fitted = fitWidths(
    natural,
    used.map((t) => t.name.length),
    totalWidth,
  );
  const width = new Map(used.map((t, i) => [t.id, fitted[i]!]));
  const line = (step: string, cells: Map<number, string>): string =>
    `${step.padStart(5)}  ${used.map((t) => (cells.get(t.id) ?? '').padEnd(width.get(t.id)!)).join('  ')}`.trimEnd();
  const out = [
    line('step', new Map(used.map((t) => [t.id, t.name]))),
    line('----', new Map(used.map((t) => [t.id, '-'.repeat(width.get(t.id)!)]))),
  ];
  for (const r of rows) {
    const parts = wrapWords(r.text, width.get(r.task)!);
    parts.forEach((p, i) => {
      out.push(line(i === 0 ? (r.step < 0 ? 'end' : String(r.step)) : '', new Map([[r.task, p]])));
    });
  }
  return `${out.join('\n')}\n`;
}

function keyText(s: StuckTask): string {
  const w = s.waitingOn;
  if (w?.kind !== 'wait-queue') return '';
  return `${w.key.mapping.name ?? `mapping${w.key.mapping.id}`}:0x${w.key.index.toString(16)}`;
}
