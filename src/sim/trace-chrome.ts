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
import type { Trace, TraceEvent } from './trace.js';

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

/** The first run step of `task` after step `after` (binary search), if any. */
function nextRun(runs: Map<number, number[]>, task: number, after: number): number | undefined {
  const r = runs.get(task);
  if (r === undefined) return undefined;
  let lo = 0;
  let hi = r.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (r[mid]! > after) hi = mid;
    else lo = mid + 1;
  }
  return r[lo];
}

/** An instant event on a task's track, half-way through the step. */
function instant(
  name: string,
  cat: string,
  task: number,
  step: number,
  args?: Record<string, unknown>,
): ChromeEvent {
  const e: ChromeEvent = {
    name,
    cat,
    ph: 'i',
    s: cat === 'bug' ? 'g' : 't',
    pid: PID,
    tid: tidOf(task),
    ts: step + 0.5,
  };
  if (args !== undefined) e.args = args;
  return e;
}

/** Builds slices (runs, blocks, holds), instants and flows from the event stream. */
class Collector {
  readonly slices: Slice[] = [];
  readonly holds: Slice[] = [];
  readonly instants: ChromeEvent[] = [];
  readonly flows: ChromeEvent[] = [];
  private readonly open = new Map<string, Slice>();
  private flowId = 0;

  constructor(
    private readonly runs: Map<number, number[]>,
    private readonly endTs: number,
  ) {}

  /** Account one event. */
  add(e: TraceEvent): void {
    switch (e.type) {
      case 'point':
        this.run(e.task, e.step, e.point);
        return;
      case 'exit':
        this.run(e.task, e.step, e.error !== undefined ? 'exit (threw)' : 'exit');
        return;
      case 'sleep':
        this.block(e.task, e.step, `sleep ${e.key ?? e.on}`);
        return;
      case 'lock':
        if (e.op === 'contend')
          this.block(e.task, e.step, `${e.kind === 'spinlock' ? 'spin' : 'wait'} ${e.lock}`);
        else this.hold(e.task, e.step, e.lock, e.op === 'acquire');
        return;
      case 'wake':
        this.wake(e.waker, e.wakee, e.step, {
          on: e.on,
          ...(e.key !== undefined ? { key: e.key } : {}),
        });
        return;
      case 'model': {
        const args: Record<string, unknown> = { ...(e.fields ?? {}) };
        if (e.rule !== undefined) args.rule = e.rule;
        if (e.text !== undefined) args.text = e.text;
        this.instants.push(instant(e.name, 'model', e.task, e.step, args));
        return;
      }
      case 'bug':
        this.instants.push(instant(`BUG ${e.kind}`, 'bug', e.task, e.step, { message: e.message }));
        return;
      case 'alloc':
        this.instants.push(instant(`alloc ${e.site}${e.failed ? ' FAILED' : ''}`, 'alloc', e.task, e.step));
        return;
      default:
        return;
    }
  }

  private run(task: number, step: number, name: string): void {
    this.slices.push({ tid: tidOf(task), name, cat: 'run', ts: step, end: step + 1 });
  }

  /** Blocked from the step after blocking until the task's next run (or the end). */
  private block(task: number, step: number, name: string): void {
    const end = nextRun(this.runs, task, step) ?? this.endTs;
    if (end > step + 1) this.slices.push({ tid: tidOf(task), name, cat: 'block', ts: step + 1, end });
  }

  private hold(task: number, step: number, lock: string, acquire: boolean): void {
    const k = `${task}\u0000${lock}`;
    if (acquire) {
      const s = { tid: tidOf(task), name: `hold ${lock}`, cat: 'lock', ts: step, end: this.endTs };
      this.open.set(k, s);
      this.holds.push(s);
      return;
    }
    const s = this.open.get(k);
    if (s !== undefined) s.end = step + 1;
    this.open.delete(k);
  }

  /** A flow arrow from the waker's run slice to the wakee's next run slice. */
  private wake(waker: number, wakee: number, step: number, args: Record<string, unknown>): void {
    const to = nextRun(this.runs, wakee, step);
    if (waker < 0 || waker === wakee || to === undefined) return;
    const id = ++this.flowId;
    this.flows.push({
      name: 'wake',
      cat: 'wake',
      ph: 's',
      id,
      pid: PID,
      tid: tidOf(waker),
      ts: step + 0.5,
      args,
    });
    this.flows.push({
      name: 'wake',
      cat: 'wake',
      ph: 'f',
      bp: 'e',
      id,
      pid: PID,
      tid: tidOf(wakee),
      ts: to + 0.5,
    });
  }
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
  const c = new Collector(runSteps(trace), endTs);
  for (const e of trace.events) c.add(e);
  const { slices, holds, instants, flows } = c;
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
