/**
 * Quiescence analysis (V1): who is not done, what each waits on, and the evidence a reader
 * needs to see a deadlock or a lost wake-up (current and last lock holders; the last wake-up
 * calls on a wait-queue bucket: who woke which key, and whom).
 *
 * Invariants:
 * - Pure: reads task and lock state, changes nothing.
 * - Tasks appear in id order; the text rendering is deterministic.
 */
import type { Task } from './task.js';
import type { StuckTask, WakeRecord } from './types.js';
import { formatWaitKey } from './wait-table.js';

/** Build the stuck report of a set of tasks (every task not done). V1. */
export function buildStuckReport(tasks: readonly Task[]): StuckTask[] {
  const out: StuckTask[] = [];
  for (const t of tasks) {
    if (t.state === 'done') continue;
    const held = t.held.map((l) => l.name);
    const w = t.waitingOn;
    const base = { task: t, state: t.state, point: t.point, held };
    if (w?.kind === 'lock') {
      out.push({
        ...base,
        waitingOn: w,
        holders: [...w.lock.holders()],
        lastHolder: w.lock.lastHolder,
        lastWakeups: [],
      });
    } else if (w?.kind === 'wait-queue') {
      const lastWakeups = [...w.table.lastWakeups(w.bucket)];
      out.push({ ...base, waitingOn: w, holders: [], lastHolder: null, lastWakeups });
    } else if (w === null && t.after.some((a) => a.state !== 'done')) {
      const tasksLeft = t.after.filter((a) => a.state !== 'done');
      out.push({
        ...base,
        waitingOn: { kind: 'after', tasks: tasksLeft },
        holders: [],
        lastHolder: null,
        lastWakeups: [],
      });
    } else {
      out.push({ ...base, waitingOn: w, holders: [], lastHolder: null, lastWakeups: [] });
    }
  }
  return out;
}

function who(t: Task | null): string {
  return t === null ? 'outside any task' : `${t.name}#${t.id}`;
}

/** One wake-up record as text: `step 5: t1#0 woke one of m:0x200 -> t2#1`. */
export function formatWakeRecord(r: WakeRecord): string {
  const woken = r.woken.length === 0 ? 'nobody' : r.woken.map(who).join(', ');
  return `step ${r.step}: ${who(r.waker)} woke ${r.all ? 'all' : 'one'} of ${formatWaitKey(r.key)} -> ${woken}`;
}

function describeWait(s: StuckTask): string[] {
  const w = s.waitingOn;
  if (w === null) return [s.state === 'runnable' ? 'runnable (the run hit its step limit)' : 'not blocked'];
  switch (w.kind) {
    case 'lock': {
      const holders = s.holders.length === 0 ? 'nobody' : s.holders.map(who).join(', ');
      const mode = w.mode === 'exclusive' ? '' : ` for ${w.mode}`;
      return [
        `waits on ${w.lock.kind} ${w.lock.name}${mode}; held by ${holders}; last holder ${who(s.lastHolder)}`,
      ];
    }
    case 'wait-queue': {
      const lines = [`waits on ${w.table.name} bucket ${w.bucket} for key ${formatWaitKey(w.key)}`];
      if (s.lastWakeups.length === 0) lines.push(`no wake-up was ever called on bucket ${w.bucket}`);
      else
        lines.push(
          `last wake-ups on bucket ${w.bucket}:`,
          ...s.lastWakeups.map((r) => `  ${formatWakeRecord(r)}`),
        );
      return lines;
    }
    case 'schedule':
      return ['slept in schedule() without being queued anywhere (nothing can wake it)'];
    case 'after':
      return [`waits for ${w.tasks.map(who).join(', ')} to finish`];
  }
}

/**
 * Wait-for cycles among stuck tasks (a deadlock): task -> a holder of the lock it waits on.
 * Each cycle is listed once, rotated to start at its lowest task id.
 */
export function waitForCycles(stuck: readonly StuckTask[]): Task[][] {
  const next = new Map<Task, Task>();
  for (const s of stuck) {
    const h = s.holders.find((t) => t !== s.task) ?? s.holders[0];
    if (h !== undefined) next.set(s.task, h);
  }
  const seen = new Set<string>();
  const out: Task[][] = [];
  for (const s of stuck) {
    const chain: Task[] = [];
    let t: Task | undefined = s.task;
    while (t !== undefined && !chain.includes(t)) {
      chain.push(t);
      t = next.get(t);
    }
    if (t === undefined) continue;
    const cycle = chain.slice(chain.indexOf(t));
    const low = cycle.reduce((m, c, i) => (c.id < cycle[m]!.id ? i : m), 0);
    const rotated = [...cycle.slice(low), ...cycle.slice(0, low)];
    const id = rotated.map((c) => c.id).join(',');
    if (!seen.has(id)) {
      seen.add(id);
      out.push(rotated);
    }
  }
  return out;
}

/** Render a stuck report as readable text (empty string when nothing is stuck). V1. */
export function formatStuckReport(stuck: readonly StuckTask[]): string {
  if (stuck.length === 0) return '';
  const lines = [`V1: ${stuck.length} task(s) not done at quiescence`];
  for (const s of stuck) {
    lines.push(`${who(s.task)} ${s.state} at ${s.point ?? '(never ran)'}`);
    for (const l of describeWait(s)) lines.push(`  ${l}`);
    lines.push(`  holds ${s.held.length === 0 ? 'nothing' : s.held.join(', ')}`);
  }
  for (const c of waitForCycles(stuck)) lines.push(`deadlock: ${[...c, c[0]!].map(who).join(' -> ')}`);
  return lines.join('\n');
}
