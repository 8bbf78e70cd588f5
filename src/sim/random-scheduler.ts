/**
 * Seeded random scheduler (S2): a uniform choice among runnable tasks at every step.
 *
 * Invariants:
 * - Every decision draws from one Prng seeded once, so a seed determines the run (S6).
 * - In injector choice mode, failures are chosen with `failureProbability` (default 0.5),
 *   drawn from the same Prng.
 */
import { Prng } from './prng.js';
import type { Runtime } from './runtime.js';
import type { Scheduler } from './scheduler.js';
import type { Task } from './task.js';

/** Options of RandomScheduler. */
export interface RandomSchedulerOptions {
  /** Probability of failing an allocation when the injector offers the choice (default 0.5). */
  failureProbability?: number;
}

/** Uniformly random interleavings from a seed. */
export class RandomScheduler implements Scheduler {
  readonly name = 'random';
  readonly seed: number;
  private readonly prng: Prng;
  private readonly failureProbability: number;

  /** A random scheduler seeded with `seed`. */
  constructor(seed: number, opts: RandomSchedulerOptions = {}) {
    this.seed = seed;
    this.prng = new Prng(seed);
    this.failureProbability = checkProbability(opts.failureProbability ?? 0.5);
  }

  /** S2: a uniformly random runnable task. */
  pick(runnable: readonly Task[]): Task {
    return runnable.length === 1 ? runnable[0]! : runnable[this.prng.int(runnable.length)]!;
  }

  /** S4: fail with the configured probability. */
  chooseFailure(_site: unknown, _rt: Runtime): boolean {
    return this.prng.chance(this.failureProbability);
  }
}

/** Validate a probability option. */
export function checkProbability(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`failureProbability ${p} must be in [0, 1]`);
  return p;
}
