/**
 * Chrome Trace Event / Perfetto JSON export (S5).
 *
 * Layout: one process, one thread track (tid = task id + 1) per task, named by thread_name
 * metadata. Time is the step counter: 1 step = 1 microsecond; the run of step s is the slice
 * [s, s+1) named after the point it stopped at. Blocking (spin / sleep) is a slice from the
 * block to the task's next run. Lock holds are slices from acquire to release; a hold that
 * would not nest on its track (non-LIFO release) becomes an async b/e pair instead. Wake-ups
 * are flow arrows (s/f) from the waker's run slice to the wakee's next run slice.
 *
 * Invariants:
 * - Pure and deterministic (S6): events are sorted by (ts, tid, longer first, emission order).
 * - X slices on one thread nest properly, as the Perfetto importer requires.
 */
import type { Trace } from './trace.js';

/** One Chrome trace event. */
export interface ChromeEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: string;
  s?: string;
  args?: Record<string, unknown>;
}

/** The exported JSON object. */
export interface ChromeTrace {
  traceEvents: ChromeEvent[];
  displayTimeUnit: 'ms' | 'ns';
  otherData: Record<string, string | number>;
}

const PID = 1;
const tidOf = (task: number): number => task + 1;

interface Slice {
  tid: number;
  name: string;
  cat: string;
  ts: number;
  end: number;
  args?: Record<string, unknown>;
}

/** For each task: the sorted steps at which it ran. */
function runSteps(trace: Trace): Map<number, number[]> {
  const runs = new Map<number, number[]>();
  for (const e of trace.events) {
    if (e.type !== 'point' && e.type !== 'exit') continue;
    const r = runs.get(e.task) ?? [];
    if (r[r.length - 1] !== e.step) r.push(e.step);
    runs.set(e.task, r);
  }
  return runs;
}

function nextRun(runs: Map<number, number[]>, task: number, after: number): number | undefined {
  return runs.get(task)?.find((s) => s > after);
}

/** Build slices (runs, blocks, holds) and flows from the event stream. */
function collect(trace: Trace, endTs: number) {
  const runs = runSteps(trace);
  const slices: Slice[] = [];
  const holds: Slice[] = [];
  const instants: ChromeEvent[] = [];
  const flows: ChromeEvent[] = [];
  const open = new Map<string, Slice>();
  let flowId = 0;
  for (const e of trace.events) {
    switch (e.type) {
      case 'point':
      case 'exit': {
        const name = e.type === 'point' ? e.point : e.error !== undefined ? 'exit (threw)' : 'exit';
        slices.push({ tid: tidOf(e.task), name, cat: 'run', ts: e.step, end: e.step + 1 });
        break;
      }
      case 'sleep':
      case 'lock': {
        if (e.type === 'lock' && e.op !== 'contend') {
          const k = `${e.task}\u0000${e.lock}`;
          if (e.op === 'acquire') {
            const s = { tid: tidOf(e.task), name: `hold ${e.lock}`, cat: 'lock', ts: e.step, end: endTs };
            open.set(k, s);
            holds.push(s);
          } else {
            const s = open.get(k);
            if (s !== undefined) s.end = e.step + 1;
            open.delete(k);
          }
          break;
        }
        const what =
          e.type === 'sleep'
            ? `sleep ${e.key ?? e.on}`
            : `${e.kind === 'spinlock' ? 'spin' : 'wait'} ${e.lock}`;
        const end = nextRun(runs, e.task, e.step) ?? endTs;
        if (end > e.step + 1)
          slices.push({ tid: tidOf(e.task), name: what, cat: 'block', ts: e.step + 1, end });
        break;
      }
      case 'wake': {
        const to = nextRun(runs, e.wakee, e.step);
        if (e.waker < 0 || e.waker === e.wakee || to === undefined) break;
        const id = ++flowId;
        const args = { on: e.on, ...(e.key !== undefined ? { key: e.key } : {}) };
        flows.push({
          name: 'wake',
          cat: 'wake',
          ph: 's',
          id,
          pid: PID,
          tid: tidOf(e.waker),
          ts: e.step + 0.5,
          args,
        });
        flows.push({
          name: 'wake',
          cat: 'wake',
          ph: 'f',
          bp: 'e',
          id,
          pid: PID,
          tid: tidOf(e.wakee),
          ts: to + 0.5,
        });
        break;
      }
      case 'model': {
        const args: Record<string, unknown> = { ...(e.fields ?? {}) };
        if (e.rule !== undefined) args.rule = e.rule;
        if (e.text !== undefined) args.text = e.text;
        instants.push({
          name: e.name,
          cat: 'model',
          ph: 'i',
          s: 't',
          pid: PID,
          tid: tidOf(e.task),
          ts: e.step + 0.5,
          args,
        });
        break;
      }
      case 'bug':
        instants.push({
          name: `BUG ${e.kind}`,
          cat: 'bug',
          ph: 'i',
          s: 'g',
          pid: PID,
          tid: tidOf(e.task),
          ts: e.step + 0.5,
          args: { message: e.message },
        });
        break;
      case 'alloc':
        instants.push({
          name: `alloc ${e.site}${e.failed ? ' FAILED' : ''}`,
          cat: 'alloc',
          ph: 'i',
          s: 't',
          pid: PID,
          tid: tidOf(e.task),
          ts: e.step + 0.5,
        });
        break;
      default:
        break;
    }
  }
  return { slices, holds, instants, flows };
}

/** Split holds into those that nest within each other on their track (X) and those that do not. */
function nestHolds(holds: readonly Slice[]): { nested: Slice[]; loose: Slice[] } {
  const nested: Slice[] = [];
  const loose: Slice[] = [];
  const byTid = new Map<number, Slice[]>();
  for (const h of holds) byTid.set(h.tid, [...(byTid.get(h.tid) ?? []), h]);
  for (const tid of [...byTid.keys()].sort((a, b) => a - b)) {
    const list = byTid
      .get(tid)!
      .slice()
      .sort((a, b) => a.ts - b.ts || b.end - a.end);
    const stack: Slice[] = [];
    for (const h of list) {
      while (stack.length > 0 && stack[stack.length - 1]!.end <= h.ts) stack.pop();
      const top = stack[stack.length - 1];
      if (top !== undefined && h.end > top.end) {
        loose.push(h);
        continue;
      }
      nested.push(h);
      stack.push(h);
    }
  }
  return { nested, loose };
}

/** Export a trace as a Chrome Trace Event / Perfetto JSON object. */
export function toChromeTrace(
  trace: Trace,
  tasks: readonly { readonly id: number; readonly name: string }[],
): ChromeTrace {
  const lastStep = trace.events.reduce((m, e) => Math.max(m, e.step), 0);
  const endTs = lastStep + 1;
  const { slices, holds, instants, flows } = collect(trace, endTs);
  const { nested, loose } = nestHolds(holds);
  const meta: ChromeEvent[] = [{ name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name: 'daxsim' } }];
  for (const t of tasks) {
    meta.push({
      name: 'thread_name',
      ph: 'M',
      pid: PID,
      tid: tidOf(t.id),
      args: { name: `${t.name}#${t.id}` },
    });
    meta.push({ name: 'thread_sort_index', ph: 'M', pid: PID, tid: tidOf(t.id), args: { sort_index: t.id } });
  }
  const timed: ChromeEvent[] = [];
  // Holds go first so that, at equal start and length, they enclose the run slice.
  for (const s of [...nested, ...slices]) {
    timed.push({ name: s.name, cat: s.cat, ph: 'X', pid: PID, tid: s.tid, ts: s.ts, dur: s.end - s.ts });
  }
  let asyncId = 0;
  for (const s of loose) {
    const id = ++asyncId;
    timed.push({ name: s.name, cat: 'lock', ph: 'b', id, pid: PID, tid: s.tid, ts: s.ts });
    timed.push({ name: s.name, cat: 'lock', ph: 'e', id, pid: PID, tid: s.tid, ts: s.end });
  }
  timed.push(...instants, ...flows);
  timed.sort((a, b) => a.ts! - b.ts! || a.tid - b.tid || (b.dur ?? 0) - (a.dur ?? 0));
  return {
    traceEvents: [...meta, ...timed],
    displayTimeUnit: 'ms',
    otherData: { generator: 'daxsim', clock: '1 step = 1 us', steps: lastStep },
  };
}
