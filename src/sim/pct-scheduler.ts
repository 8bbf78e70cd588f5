/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
 * ASPLOS 2010), as a scheduler plug-in (S2, X1).
 *
 * Each task gets a random initial priority at least `depth` when first seen; `depth - 1`
 * priority change points are drawn uniformly from steps 1..maxSteps. The highest-priority
 * runnable task always runs; when step k_i is reached, the task that would run drops to
 * priority i (below every initial priority) and the choice is made again. A bug of depth d
 * is then found with probability at least 1 / (n * k^(d-1)).
 *
 * Invariants:
 * - Priorities are distinct in practice (32-bit random fractions; ties break by lower id).
 * - With depth 1 there are no change points: a pure priority run (never preempts a runnable
 *   task for a lower-priority one).
 */
import { Prng } from './prng.js';
import { checkProbability } from './random-scheduler.js';
import type { Runtime } from './runtime.js';
import type { Scheduler } from './scheduler.js';
import type { Task } from './task.js';

/** Options of PctScheduler. */
export interface PctOptions {
  seed: number;
  /** Bug depth d >= 1: d - 1 priority change points. */
  depth: number;
  /** Estimated number of steps k of one run (change points are drawn from 1..k). */
  maxSteps: number;
  /** Probability of failing an allocation when the injector offers the choice (default 0.5). */
  failureProbability?: number;
}

/** The PCT randomized scheduler. */
export class PctScheduler implements Scheduler {
  readonly name = 'pct';
  readonly depth: number;
  /** Change-point step numbers; changePoints[i] lowers a priority to i + 1. */
  readonly changePoints: readonly number[];
  private readonly prng: Prng;
  private readonly prio: number[] = [];
  private readonly failureProbability: number;

  /** A PCT scheduler; all randomness comes from `seed`. */
  constructor(opts: PctOptions) {
    if (!Number.isInteger(opts.depth) || opts.depth < 1)
      throw new RangeError(`PCT depth ${opts.depth} must be >= 1`);
    if (!Number.isInteger(opts.maxSteps) || opts.maxSteps < 1) {
      throw new RangeError(`PCT maxSteps ${opts.maxSteps} must be >= 1`);
    }
    this.depth = opts.depth;
    this.prng = new Prng(opts.seed);
    this.failureProbability = checkProbability(opts.failureProbability ?? 0.5);
    const points: number[] = [];
    for (let i = 1; i < opts.depth; i++) points.push(1 + this.prng.int(opts.maxSteps));
    this.changePoints = points;
  }

  /** The current priority of a task (assigning its initial one on first sight). */
  priorityOf(t: Task): number {
    let p = this.prio[t.id];
    if (p === undefined) {
      p = this.depth + this.prng.float();
      this.prio[t.id] = p;
    }
    return p;
  }

  /** S2, X1: the highest-priority runnable task, after applying a change point due at this step. */
  pick(runnable: readonly Task[], rt: Runtime): Task {
    let best = this.highest(runnable);
    const cps = this.changePoints;
    for (let i = 0; i < cps.length; i++) {
      if (cps[i] !== rt.steps) continue;
      this.prio[best.id] = i + 1;
      best = this.highest(runnable);
    }
    return best;
  }

  /** S4: fail with the configured probability. */
  chooseFailure(): boolean {
    return this.prng.chance(this.failureProbability);
  }

  private highest(runnable: readonly Task[]): Task {
    let best = runnable[0]!;
    let bestP = this.priorityOf(best);
    for (let i = 1; i < runnable.length; i++) {
      const t = runnable[i]!;
      const p = this.priorityOf(t);
      if (p > bestP) {
        best = t;
        bestP = p;
      }
    }
    return best;
  }
}
