/**
 * The trace as ftrace text (S5): one line per event in the kernel's
 * `TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS` layout, with the DAX events printed exactly
 * as the 4.11 `fs_dax` tracepoints print them (event names, field names and their order), so
 * a model trace can be set beside `trace-cmd report` output of a real kernel. Events the
 * kernel has no tracepoint for print as `daxsim_*` events in the same layout.
 *
 * Invariants: a pure rendering of the event list (same events, same text); one simulated
 * step is one microsecond of trace time; the model runs on one CPU.
 */
import type { Trace, TraceEvent } from '../sim/trace.js';

/** pmem0's device number: the blkext major 259, minor 0. */
const DEV = '259:0';

type Fields = Record<string, string | number | boolean>;

function x(v: string | number | boolean | undefined): string {
  return typeof v === 'number' ? `0x${v.toString(16)}` : String(v ?? '');
}

function shared(f: Fields): string {
  return f.shared ? 'shared' : 'private';
}

function rw(f: Fields): string {
  return f.write ? 'write' : 'read';
}

/** TP_printk of each fs_dax event class, over the model event's fields. */
const FORMATS: Record<string, (f: Fields) => string> = {
  dax_pmd_fault: pmdFault,
  dax_pmd_fault_done: pmdFault,
  dax_pmd_load_hole: loadHole,
  dax_pmd_load_hole_fallback: loadHole,
  dax_pmd_insert_mapping: (f) =>
    `dev ${DEV} ino ${x(f.ino)} ${shared(f)} ${rw(f)} address ${x(f.address)} length ${x(f.length)} ` +
    `pfn ${x(f.pfn)} ${f.devmap ? 'DEV|MAP' : 'DEV'} radix_entry ${x(f.radix_entry)}`,
  dax_pte_fault: pteFault,
  dax_pte_fault_done: pteFault,
  dax_pfn_mkwrite_no_entry: pteFault,
  dax_pfn_mkwrite: pteFault,
  dax_load_hole: pteFault,
  dax_writeback_range: (f) => `dev ${DEV} ino ${x(f.ino)} pgoff ${x(f.start_index)}-${x(f.end_index)}`,
  dax_writeback_range_done: (f) => `dev ${DEV} ino ${x(f.ino)} pgoff ${x(f.start_index)}-${x(f.end_index)}`,
  dax_writeback_one: (f) => `dev ${DEV} ino ${x(f.ino)} pgoff ${x(f.pgoff)} pglen ${x(f.pglen)}`,
};

function pmdFault(f: Fields): string {
  return (
    `dev ${DEV} ino ${x(f.ino)} ${shared(f)} ${rw(f)} address ${x(f.address)} vm_start ${x(f.vm_start)} ` +
    `vm_end ${x(f.vm_end)} pgoff ${x(f.pgoff)} max_pgoff ${x(f.max_pgoff)} ${f.result ?? ''}`
  );
}

function loadHole(f: Fields): string {
  return `dev ${DEV} ino ${x(f.ino)} ${shared(f)} address ${x(f.address)} zero_page ${x(f.zero_page)} radix_entry ${x(f.radix_entry)}`;
}

function pteFault(f: Fields): string {
  return `dev ${DEV} ino ${x(f.ino)} ${shared(f)} ${rw(f)} address ${x(f.address)} pgoff ${x(f.pgoff)} ${f.result ?? ''}`;
}

/** Whether an event name is one of the kernel's fs_dax tracepoints. */
export function isFsDaxEvent(name: string): boolean {
  return name in FORMATS;
}

function otherFields(f: Fields | undefined, rule: string | undefined): string {
  const parts: string[] = [];
  if (rule !== undefined) parts.push(`rule=${rule}`);
  for (const [k, v] of Object.entries(f ?? {}))
    parts.push(`${k}=${typeof v === 'number' ? x(v) : String(v)}`);
  return parts.join(' ');
}

function eventLine(e: TraceEvent): [string, string] | null {
  switch (e.type) {
    case 'model': {
      const fmt = FORMATS[e.name];
      if (fmt !== undefined) return [e.name, fmt(e.fields ?? {})];
      return ['daxsim_fn', `${e.name} ${otherFields(e.fields, e.rule)}`.trim()];
    }
    case 'wake':
      return ['daxsim_wake', `on=${e.on} key=${e.key ?? 'none'} wakee=${e.wakee + 1000}`];
    case 'alloc':
      return e.failed ? ['daxsim_alloc_fail', `site=${e.site}`] : null;
    default:
      return null;
  }
}

function prefix(task: string, pid: number, step: number): string {
  const comm = task.length > 16 ? task.slice(0, 16) : task;
  const ts = (step / 1e6).toFixed(6);
  return `${comm.padStart(16)}-${String(pid).padEnd(5)} [000] .... ${ts.padStart(12)}: `;
}

/** Render the trace as ftrace text (trace-cmd report style), with a header. */
export function toFtrace(
  trace: Trace,
  tasks: readonly { readonly id: number; readonly name: string }[],
): string {
  const names = new Map<number, string>();
  for (const t of tasks) names.set(t.id, t.name);
  const lines = [
    '# tracer: nop',
    '#',
    '#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION',
    '#              | |       |   ||||       |         |',
  ];
  for (const e of trace.events) {
    const rendered = eventLine(e);
    if (rendered === null) continue;
    const task = e.type === 'wake' ? e.waker : 'task' in e && typeof e.task === 'number' ? e.task : -1;
    const step = 'step' in e && typeof e.step === 'number' ? e.step : 0;
    const comm = names.get(task) ?? '<idle>';
    lines.push(`${prefix(comm, task + 1000, step)}${rendered[0]}: ${rendered[1]}`);
  }
  return `${lines.join('\n')}\n`;
}
