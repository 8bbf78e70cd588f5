/**
 * Plain-text trace export (S5): one line per event, ftrace-like
 * (`<task>-<id> [step] event: details`), so a model trace can be read beside a kernel's.
 *
 * Invariants:
 * - Pure and deterministic: the same events give the same bytes (S6).
 * - `model` events with pre-rendered `text` print it verbatim (the fs_dax tracepoint format).
 */
import type { Trace, TraceEvent } from './trace.js';

function fieldsText(fields: Record<string, string | number | boolean> | undefined): string {
  if (fields === undefined) return '';
  return Object.keys(fields)
    .map((k) => `${k}=${String(fields[k])}`)
    .join(' ');
}

/** The event name and details of one event (without the task/step prefix). */
export function eventText(e: TraceEvent, name: (id: number) => string): string {
  switch (e.type) {
    case 'spawn':
      return `spawn: name=${e.name}${e.after.length > 0 ? ` after=${e.after.map(name).join(',')}` : ''}`;
    case 'point':
      return `point: ${e.point}`;
    case 'state':
      return `state: ${e.from} -> ${e.to}`;
    case 'lock':
      return `lock_${e.op}: ${e.lock} class=${e.cls} kind=${e.kind} mode=${e.mode}`;
    case 'sleep':
      return `sleep: on=${e.on}${e.bucket !== undefined ? ` bucket=${e.bucket}` : ''}${e.key !== undefined ? ` key=${e.key}` : ''}`;
    case 'wake':
      return `wake: wakee=${name(e.wakee)} on=${e.on}${e.bucket !== undefined ? ` bucket=${e.bucket}` : ''}${e.key !== undefined ? ` key=${e.key}` : ''}`;
    case 'wake-call':
      return `wake_up: key=${e.key} bucket=${e.bucket} ${e.all ? 'all' : 'one'} woken=${e.woken}`;
    case 'alloc':
      return `alloc: site=${e.site} ${e.failed ? 'FAILED' : 'ok'}${e.chosen ? ' (chosen)' : ''}`;
    case 'bug':
      return `BUG ${e.kind}: ${e.message}`;
    case 'exit':
      return e.error !== undefined ? `exit: error=${e.error}` : `exit: result=${e.result ?? ''}`;
    case 'model': {
      const body = e.text ?? fieldsText(e.fields);
      const rule = e.text === undefined && e.rule !== undefined ? ` rule=${e.rule}` : '';
      return `${e.name}: ${body}${rule}`.trimEnd();
    }
  }
}

function actor(e: TraceEvent): number {
  return e.type === 'wake' ? e.waker : e.task;
}

/** Render a whole trace as text, one line per event. */
export function toText(trace: Trace): string {
  const names = new Map<number, string>();
  for (const e of trace.events) if (e.type === 'spawn') names.set(e.task, e.name);
  const name = (id: number): string => (id < 0 ? '<none>' : `${names.get(id) ?? 'task'}-${id}`);
  let out = '';
  for (const e of trace.events) {
    out += `${name(actor(e)).padStart(16)} [${String(e.step).padStart(6, '0')}] ${eventText(e, name)}\n`;
  }
  return out;
}
