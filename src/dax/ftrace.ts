/**
 * The trace as ftrace text (S5): one line per event in the kernel's
 * `TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS` layout, holding the `fs_dax` tracepoints the
 * profile's kernel had, printed as that kernel printed them (ftrace-formats.ts), so a model trace
 * can be set beside `trace-cmd report` output of a real kernel. With `extra`, daxsim's own
 * events (model steps, wake-ups, failed allocations, and fs_dax events the profile's kernel
 * did not have) are added as `daxsim_*` events in the same layout.
 *
 * Invariants: a pure rendering of the event list (same events and profile, same text); one
 * simulated step is one microsecond of trace time; the model runs on one CPU.
 */
import type { Trace, TraceEvent } from '../sim/trace.js';
import type { ProfileName } from '../version/profiles.js';
import { FS_DAX_EVENTS, FS_DAX_FORMATS, hexU } from './ftrace-formats.js';

/** What to render. */
export interface FtraceOptions {
  /** The kernel whose fs_dax events the file holds (default `fixed`). */
  profile?: ProfileName;
  /** Add daxsim's own events (`--ftrace-extra`). */
  extra?: boolean;
}

type Fields = Record<string, string | number | boolean>;

function otherFields(f: Fields | undefined, rule: string | undefined): string {
  const parts: string[] = [];
  if (rule !== undefined) parts.push(`rule=${rule}`);
  for (const [k, v] of Object.entries(f ?? {}))
    parts.push(`${k}=${typeof v === 'number' ? hexU(v) : String(v)}`);
  return parts.join(' ');
}

function eventLine(e: TraceEvent, kernel: ReadonlySet<string>, extra: boolean): [string, string] | null {
  switch (e.type) {
    case 'model': {
      const fmt = FS_DAX_FORMATS[e.name];
      if (fmt !== undefined && kernel.has(e.name)) return [e.name, fmt(e.fields ?? {})];
      return extra ? ['daxsim_fn', `${e.name} ${otherFields(e.fields, e.rule)}`.trim()] : null;
    }
    case 'wake':
      return extra ? ['daxsim_wake', `on=${e.on} key=${e.key ?? 'none'} wakee=${e.wakee + 1000}`] : null;
    case 'alloc':
      return extra && e.failed ? ['daxsim_alloc_fail', `site=${e.site}`] : null;
    default:
      return null;
  }
}

function prefix(task: string, pid: number, step: number): string {
  const comm = task.length > 16 ? task.slice(0, 16) : task;
  const ts = (step / 1e6).toFixed(6);
  return `${comm.padStart(16)}-${String(pid).padEnd(5)} [000] .... ${ts.padStart(12)}: `;
}

function header(profile: ProfileName, kernel: ReadonlySet<string>, extra: boolean): string[] {
  const what =
    kernel.size === 0
      ? `the ${profile} kernel had no fs_dax tracepoints (they came with v4.11)`
      : `fs_dax tracepoints as the ${profile} kernel printed them; radix_entry in its encoding; pid = 1000 + task id`;
  return [
    '# tracer: nop',
    `# daxsim profile ${profile}: ${what}${extra ? "; daxsim's own events as daxsim_*" : ''}`,
    '#',
    '#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION',
    '#              | |       |   ||||       |         |',
  ];
}

/** Render the trace as ftrace text (trace-cmd report style), with a header. */
export function toFtrace(
  trace: Trace,
  tasks: readonly { readonly id: number; readonly name: string }[],
  opts: FtraceOptions = {},
): string {
  const profile = opts.profile ?? 'fixed';
  const extra = opts.extra ?? false;
  const kernel = FS_DAX_EVENTS[profile];
  const names = new Map<number, string>();
  for (const t of tasks) names.set(t.id, t.name);
  const lines = header(profile, kernel, extra);
  for (const e of trace.events) {
    const rendered = eventLine(e, kernel, extra);
    if (rendered === null) continue;
    const task = e.type === 'wake' ? e.waker : 'task' in e && typeof e.task === 'number' ? e.task : -1;
    const step = 'step' in e && typeof e.step === 'number' ? e.step : 0;
    const comm = names.get(task) ?? '<idle>';
    lines.push(`${prefix(comm, task + 1000, step)}${rendered[0]}: ${rendered[1]}`);
  }
  return `${lines.join('\n')}\n`;
}
