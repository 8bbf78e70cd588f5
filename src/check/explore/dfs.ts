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
 * Invariants: frames [0, floor) are fixed for the whole search (a unit of X4 work starts at
 * its floor); the execution at `prefix` reproduces frames [0, prefix.length) exactly, else
 * the model is not deterministic and the search throws.
 */
import type { AllocSite, Runtime, Scheduler, Task } from '../../sim/index.js';

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

  /** `prefix` frames are copied; their `at` says what to choose. */
  constructor(prefix: readonly Frame[]) {
    this.frames = prefix.map((f) => ({ ...f, options: [...f.options] }));
    const lastFrame = this.frames[this.frames.length - 1];
    this.preemptions = lastFrame === undefined ? 0 : preemptionsAfter(lastFrame, lastFrame.at);
    this.cursor = 0;
  }

  private cursor: number;

  /** S2: the prefix's choice, else keep the last task, else the lowest id. */
  pick(runnable: readonly Task[], rt: Runtime): Task {
    if (runnable.length === 1) return runnable[0]!;
    const last = rt.lastRun;
    const lastId = last !== null && runnable.includes(last) ? last.id : -1;
    const k = this.cursor++;
    if (k < this.frames.length) {
      const f = this.frames[k]!;
      const want = chosen(f);
      const t = runnable.find((r) => r.id === want);
      if (f.kind !== 'task' || t === undefined || f.last !== lastId) {
        throw new Error(
          `dfs: execution diverged at choice ${k + 1}: expected task ${want} (last ${f.last}), runnable [${runnable.map((r) => r.id).join(', ')}] (last ${lastId}); the model is not deterministic`,
        );
      }
      return t;
    }
    const options = runnable.map((r) => r.id);
    if (lastId !== -1) {
      options.splice(options.indexOf(lastId), 1);
      options.unshift(lastId);
    }
    this.frames.push({ kind: 'task', options, last: lastId, preemptionsBefore: this.preemptions, at: 0 });
    return runnable.find((r) => r.id === options[0])!;
  }

  /** S4: the prefix's decision, else succeed. */
  chooseFailure(_site: AllocSite): boolean {
    const k = this.cursor++;
    if (k < this.frames.length) {
      const f = this.frames[k]!;
      if (f.kind !== 'fail')
        throw new Error(`dfs: execution diverged at choice ${k + 1}: expected a task choice`);
      return chosen(f) === 1;
    }
    this.frames.push({ kind: 'fail', options: [0, 1], last: -1, preemptionsBefore: this.preemptions, at: 0 });
    return false;
  }
}

/**
 * The next execution's prefix in dfs order: the deepest frame at or above `floor` with an
 * untried alternative within the bound, advanced; null when the subtree is exhausted.
 * Mutates `frames` (truncates it and advances the chosen frame).
 */
export function backtrack(frames: Frame[], floor: number, bound: number): Frame[] | null {
  for (let k = frames.length - 1; k >= floor; k--) {
    const f = frames[k]!;
    for (let i = f.at + 1; i < f.options.length; i++) {
      if (preemptionsAfter(f, i) > bound) continue;
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
