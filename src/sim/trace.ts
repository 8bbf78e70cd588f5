/**
 * Structured trace events (S5): the one canonical event stream every exporter renders.
 *
 * Invariants:
 * - Events are plain JSON data (numbers, strings, booleans, arrays, flat records): tasks are
 *   referred to by id, so `JSON.stringify(trace.events)` is byte-identical for equal runs (S6).
 * - `step` is the simulated clock: the number of scheduling decisions taken so far; events
 *   emitted while a task runs carry the step that chose it. Events appear in emission order.
 * - Callers check `trace.enabled` before building an event, so a disabled trace costs one
 *   branch and allocates nothing.
 */
import type { AllocSite, LockKind, SimBugKind, TaskState } from './types.js';

/** A task was created. */
export interface SpawnEvent {
  type: 'spawn';
  step: number;
  task: number;
  name: string;
  after: number[];
}
/** The task ran and yielded at a scheduling point (S1). */
export interface PointEvent {
  type: 'point';
  step: number;
  task: number;
  point: string;
}
/** A scheduling-state change that is not implied by a point (blocking, wake-up, exit). */
export interface StateEvent {
  type: 'state';
  step: number;
  task: number;
  from: TaskState;
  to: TaskState;
}
/** Lock traffic: contend (found it unavailable), acquire, release. */
export interface LockEvent {
  type: 'lock';
  step: number;
  task: number;
  op: 'acquire' | 'contend' | 'release';
  lock: string;
  cls: string;
  kind: LockKind;
  mode: 'exclusive' | 'read' | 'write';
}
/** The task went to sleep in schedule() (on a wait-queue key, or a bare schedule). */
export interface SleepEvent {
  type: 'sleep';
  step: number;
  task: number;
  on: string;
  bucket?: number;
  key?: string;
}
/** A wake-up: waker woke wakee (wait-queue wake or lock release). */
export interface WakeEvent {
  type: 'wake';
  step: number;
  waker: number;
  wakee: number;
  on: string;
  bucket?: number;
  key?: string;
}
/** A wake-up call on a wait-queue key (even when it woke nobody). */
export interface WakeCallEvent {
  type: 'wake-call';
  step: number;
  task: number;
  bucket: number;
  key: string;
  all: boolean;
  woken: number;
}
/** An allocation point (S4); `chosen` when the failure decision was an explorer choice. */
export interface AllocEvent {
  type: 'alloc';
  step: number;
  task: number;
  site: AllocSite;
  failed: boolean;
  chosen: boolean;
}
/** A runtime-detected bug (V7 etc.). */
export interface BugEvent {
  type: 'bug';
  step: number;
  task: number;
  kind: SimBugKind;
  message: string;
  lock?: string;
}
/** The task finished: returned (result rendered as text) or threw. */
export interface ExitEvent {
  type: 'exit';
  step: number;
  task: number;
  result?: string;
  error?: string;
}
/** An open event for the model layers (function entry/exit, `fs_dax` tracepoints). */
export interface ModelEvent {
  type: 'model';
  task: number;
  step: number;
  name: string;
  rule?: string;
  fields?: Record<string, string | number | boolean>;
  /** Pre-rendered ftrace-style text; toText prints it verbatim after the name. */
  text?: string;
}

/** Every trace event (S5). */
export type TraceEvent =
  | SpawnEvent
  | PointEvent
  | StateEvent
  | LockEvent
  | SleepEvent
  | WakeEvent
  | WakeCallEvent
  | AllocEvent
  | BugEvent
  | ExitEvent
  | ModelEvent;

/** An append-only event log; cheap when disabled. */
export class Trace {
  enabled: boolean;
  readonly events: TraceEvent[] = [];

  /** A trace (enabled unless told otherwise). */
  constructor(enabled = true) {
    this.enabled = enabled;
  }

  /** A trace that records nothing. */
  static disabled(): Trace {
    return new Trace(false);
  }

  /** Append an event (ignored when disabled; callers should check `enabled` first). */
  emit(e: TraceEvent): void {
    if (this.enabled) this.events.push(e);
  }

  /** Forget all events. */
  clear(): void {
    this.events.length = 0;
  }
}

/** Render a value for the text/JSON trace without object identity (deterministic). */
export function renderValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === null)
    return String(v);
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
