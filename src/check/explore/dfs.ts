/**
 * Exhaustive depth-first search over schedules with a preemption bound (X1; CHESS,
 * Musuvathi & Qadeer 2007), stateless: every execution replays a prefix of choices from a
 * fresh World, then continues non-preemptively, recording the new choice points as frames.
 *
 * A frame is one recorded choice: which task ran when several could (`task`), or whether an
 * offered allocation failed (`fail`, S4). Alternatives at a frame are tried in a fixed order
 * (the default first, then task ids ascending; succeed before fail), so the search order and
 * therefore every result is deterministic. Switching away from a task that could have gone
 * on costs one preemption; an alternative that would exceed the bound is not explored.
 *
 * With `reduce` on, the search also keeps sleep sets (Godefroid; see sleep.ts): at each task
 * frame, the tasks whose next step was already explored from an ancestor frame (and which
 * every step since has been independent of) are not chosen; when every option at a new
 * frame sleeps or exceeds the bound, the execution is cut short (AbortExecution: it could
 * only reach states already explored). What this guarantees:
 * - No false alarms, ever: every execution run is a real execution of the model.
 * - Every explored execution is one the unreduced search explores too (sleep sets only
 *   remove options), so `exhausted` with reduction means "every execution of the bounded
 *   search, up to reordering of independent steps, was covered" - with one caveat that
 *   CHESS-style bounding already has: a pruned execution's representative that the
 *   reduction relies on was explored with its own preemption count, and commuting
 *   independent steps can change the number of preemptions, so a state reachable within
 *   the bound only through pruned orders may be missed (Coons et al. 2013 give a bounded
 *   POR that closes this gap; we do not). With an unbounded budget (bound >= steps) the
 *   reduction is complete for every reachable state and every quiescent outcome.
 *
 * Invariants: frames [0, floor) are fixed for the whole search (a unit of X4 work starts at
 * its floor); the execution at `prefix` reproduces frames [0, prefix.length) exactly, else
 * the model is not deterministic and the search throws.
 */

import type { Runtime } from '../../sim/runtime.js';
import type { Scheduler } from '../../sim/scheduler.js';
import type { Task } from '../../sim/task.js';
import type { AllocSite } from '../../sim/types.js';
import { AbortExecution } from './execute.js';
import {
  afterStep,
  type Footprint,
  footprintOf,
  GLOBAL,
  type SleepEntry,
  sleeps,
  withEntries,
} from './sleep.js';

/** The empty sleep set (shared: sleep-set arrays are never changed once built). */
const NO_SLEEP: readonly SleepEntry[] = [];

/** The task in `runnable` with id `id`, if any. */
function taskWithId(runnable: readonly Task[], id: number): Task | undefined {
  for (let i = 0; i < runnable.length; i++) if (runnable[i]!.id === id) return runnable[i];
  return undefined;
}

/** One choice point of an execution. */
export interface Frame {
  kind: 'task' | 'fail';
  /** Alternatives in search order (task ids, or 0 = succeed / 1 = fail). */
  options: number[];
  /** The task that ran before and could go on (-1 when none): choosing another preempts. */
  last: number;
  /** Preemptions spent before this frame. */
  preemptionsBefore: number;
  /** Index into `options` of the alternative this execution took. */
  at: number;
  /** Sleep sets: the tasks asleep on arrival (recomputed by every execution through here). */
  sleep?: readonly SleepEntry[];
  /** Sleep sets: the options already explored here, with their steps' footprints. */
  done?: readonly SleepEntry[];
  /** Sleep sets: the footprint of the step this execution took here (set when it ends). */
  fp?: Footprint;
}

/** Options of a dfs scheduler beyond its prefix. */
export interface DfsSchedulerOptions {
  /** Keep sleep sets (needs a runtime recording footprints). */
  reduce?: boolean;
  /** The preemption bound (only consulted when `reduce` must skip the default option). */
  bound?: number;
}

/**
 * A frame copied so an execution can change it without touching the original. Shallow: a
 * frame's fields are reassigned, but its arrays (options, sleep and done sets) are never
 * changed once built, so copies share them.
 */
export function copyFrame(f: Frame): Frame {
  return {
    kind: f.kind,
    options: f.options,
    last: f.last,
    preemptionsBefore: f.preemptionsBefore,
    at: f.at,
    sleep: f.sleep,
    done: f.done,
    fp: f.fp,
  };
}

/**
 * A new frame taking its first option. Every frame has every field (unset ones undefined),
 * so frames share one shape and their copies are plain field copies, not object spreads.
 */
function newFrame(kind: Frame['kind'], options: number[], last: number, preemptionsBefore: number): Frame {
  return { kind, options, last, preemptionsBefore, at: 0, sleep: undefined, done: undefined, fp: undefined };
}

/** The value a frame chose. */
export function chosen(f: Frame): number {
  return f.options[f.at]!;
}

/** Preemptions after taking option `i` at frame `f`. */
export function preemptionsAfter(f: Frame, i: number): number {
  const o = f.options[i]!;
  return f.preemptionsBefore + (f.kind === 'task' && f.last !== -1 && o !== f.last ? 1 : 0);
}

/** The scheduler of one dfs execution: follows `prefix`, then the non-preemptive default. */
export class DfsScheduler implements Scheduler {
  readonly name = 'dfs';
  /** Frames of this execution (the prefix's, then new ones). */
  readonly frames: Frame[];
  private preemptions = 0;

  private readonly reduce: boolean;
  private readonly bound: number;
  /** Sleep set of the state before the next pick. */
  private sleep: readonly SleepEntry[] = NO_SLEEP;
  /** The task of the step running since the last pick (-1 before the first). */
  private ran = -1;
  /** The task frame that step was chosen at, if any. */
  private ranFrame: Frame | null = null;
  /** A failure choice happened inside that step (the step is then a branch: global). */
  private failInStep = false;

  /** `prefix` frames are copied; their `at` says what to choose. */
  constructor(prefix: readonly Frame[], opts: DfsSchedulerOptions = {}) {
    this.frames = prefix.map(copyFrame);
    const lastFrame = this.frames[this.frames.length - 1];
    this.preemptions = lastFrame === undefined ? 0 : preemptionsAfter(lastFrame, lastFrame.at);
    this.cursor = 0;
    this.reduce = opts.reduce ?? false;
    this.bound = opts.bound ?? Number.POSITIVE_INFINITY;
  }

  private cursor: number;

  /** Sleep sets: account the step that just ran (called before each pick and once at the end). */
  closeStep(rt: Runtime): void {
    if (!this.reduce || this.ran === -1) return;
    const fp = this.failInStep ? GLOBAL : footprintOf(rt.lastFootprint);
    if (this.ranFrame !== null) this.ranFrame.fp = fp;
    this.sleep = afterStep(this.sleep, this.ran, fp);
    this.ran = -1;
    this.ranFrame = null;
    this.failInStep = false;
  }

  /** S2: the prefix's choice, else keep the last task, else the lowest id (skipping sleepers). */
  pick(runnable: readonly Task[], rt: Runtime): Task {
    if (this.reduce) this.closeStep(rt);
    if (runnable.length === 1) {
      this.ran = runnable[0]!.id;
      return runnable[0]!;
    }
    const last = rt.lastRun;
    const lastId = last !== null && runnable.includes(last) ? last.id : -1;
    const k = this.cursor++;
    if (k < this.frames.length) {
      const f = this.frames[k]!;
      const want = chosen(f);
      const t = taskWithId(runnable, want);
      if (f.kind !== 'task' || t === undefined || f.last !== lastId) {
        throw new Error(
          `dfs: execution diverged at choice ${k + 1}: expected task ${want} (last ${f.last}), runnable [${runnable.map((r) => r.id).join(', ')}] (last ${lastId}); the model is not deterministic`,
        );
      }
      if (this.reduce) this.enter(f, want);
      return t;
    }
    const options = runnable.map((r) => r.id);
    if (lastId !== -1) {
      options.splice(options.indexOf(lastId), 1);
      options.unshift(lastId);
    }
    const f = newFrame('task', options, lastId, this.preemptions);
    if (this.reduce) {
      f.at = this.firstAwake(f);
      if (f.at === -1) throw new AbortExecution('dfs: every option sleeps (sleep-set reduction)');
      this.preemptions = preemptionsAfter(f, f.at);
    }
    this.frames.push(f);
    if (this.reduce) this.enter(f, chosen(f));
    return taskWithId(runnable, chosen(f))!;
  }

  /** The first option of a new frame not asleep and within the bound, or -1. */
  private firstAwake(f: Frame): number {
    for (let i = 0; i < f.options.length; i++) {
      if (!sleeps(this.sleep, f.options[i]!) && preemptionsAfter(f, i) <= this.bound) return i;
    }
    return -1;
  }

  /** Sleep sets: arrive at task frame `f` and take `task` there. */
  private enter(f: Frame, task: number): void {
    f.sleep = this.sleep;
    f.fp = GLOBAL;
    if (sleeps(this.sleep, task))
      throw new Error(`dfs: replay chose task ${task}, which sleeps at this frame (reduction bug)`);
    this.sleep = withEntries(this.sleep, f.done ?? NO_SLEEP);
    this.ran = task;
    this.ranFrame = f;
  }

  /** S4: the prefix's decision, else succeed. */
  chooseFailure(_site: AllocSite): boolean {
    this.failInStep = true;
    const k = this.cursor++;
    if (k < this.frames.length) {
      const f = this.frames[k]!;
      if (f.kind !== 'fail')
        throw new Error(`dfs: execution diverged at choice ${k + 1}: expected a task choice`);
      return chosen(f) === 1;
    }
    this.frames.push(newFrame('fail', [0, 1], -1, this.preemptions));
    return false;
  }
}

/**
 * The next execution's prefix in dfs order: the deepest frame at or above `floor` with an
 * untried alternative within the bound, advanced; null when the subtree is exhausted.
 * Mutates `frames` (truncates it and advances the chosen frame).
 */
export function backtrack(frames: Frame[], floor: number, bound: number, reduce = false): Frame[] | null {
  for (let k = frames.length - 1; k >= floor; k--) {
    const f = frames[k]!;
    // Sleep sets: the option just explored here sleeps for its later siblings.
    if (reduce && f.kind === 'task')
      f.done = [...(f.done ?? NO_SLEEP), { task: chosen(f), fp: f.fp ?? GLOBAL }];
    for (let i = f.at + 1; i < f.options.length; i++) {
      if (preemptionsAfter(f, i) > bound) continue;
      if (reduce && f.sleep !== undefined && sleeps(f.sleep, f.options[i]!)) continue;
      f.at = i;
      frames.length = k + 1;
      return frames;
    }
  }
  return null;
}

/** The alternatives at the root execution's frames, in dfs order: deepest frame first (X4 units). */
export function rootUnits(frames: readonly Frame[], bound: number): { frame: number; option: number }[] {
  const out: { frame: number; option: number }[] = [];
  for (let k = frames.length - 1; k >= 0; k--) {
    const f = frames[k]!;
    for (let i = f.at + 1; i < f.options.length; i++) {
      if (preemptionsAfter(f, i) <= bound) out.push({ frame: k, option: i });
    }
  }
  return out;
}
