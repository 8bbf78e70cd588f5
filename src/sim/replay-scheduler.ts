/**
 * The replayer (S2, S6): follows a recorded schedule string choice by choice.
 *
 * Invariants:
 * - A choice is consumed only where the runtime records one (more than one task runnable, or
 *   an injector choice), so replaying a run's own schedule reproduces it exactly.
 * - Strict mode (default): any divergence throws an Error that says where (choice number and
 *   step), what the schedule said, and what was possible. Running out of choices is a
 *   divergence unless a `fallback` scheduler is given (then it decides the rest: the
 *   "follow a prefix" mode an explorer needs). Unused choices at `finish` are a divergence.
 * - Lenient mode: a token that does not fit is dropped and the fallback (or the lowest id,
 *   or "succeed") decides instead; `divergences` counts these. Shrinking relies on it.
 */
import type { Runtime } from './runtime.js';
import { parseScheduleRuns, type ScheduleToken } from './schedule-string.js';
import type { Scheduler } from './scheduler.js';
import type { Task } from './task.js';
import type { AllocSite } from './types.js';

/** Options of ReplayScheduler. */
export interface ReplayOptions {
  /** Decides once the schedule is exhausted (and, when lenient, in place of unfit tokens). */
  fallback?: Scheduler;
  /** Drop unfit tokens instead of throwing (default false). */
  lenient?: boolean;
}

/** Follows a schedule string exactly (S6). */
export class ReplayScheduler implements Scheduler {
  readonly name = 'replay';
  readonly schedule: string;
  /** Choices consumed so far. */
  consumed = 0;
  /** Lenient mode: tokens dropped because they did not fit. */
  divergences = 0;
  private readonly toks: ScheduleToken[];
  private readonly counts: number[];
  private run = 0;
  private used = 0;
  private readonly fallback: Scheduler | undefined;
  private readonly lenient: boolean;

  /** A replayer of `schedule` (see schedule-string.ts for the format). */
  constructor(schedule: string, opts: ReplayOptions = {}) {
    this.schedule = schedule;
    const runs = parseScheduleRuns(schedule);
    this.toks = runs.toks;
    this.counts = runs.counts;
    this.fallback = opts.fallback;
    this.lenient = opts.lenient ?? false;
  }

  /** Choices left in the schedule. */
  get remaining(): number {
    let n = 0;
    for (let i = this.run; i < this.toks.length; i++) n += this.counts[i]!;
    return n - this.used;
  }

  /** S2: the recorded task when more than one is runnable. */
  pick(runnable: readonly Task[], rt: Runtime): Task {
    if (runnable.length === 1) return runnable[0]!;
    const tok = this.peek();
    if (tok === undefined) return this.exhausted(runnable, rt);
    if (typeof tok === 'number') {
      for (const t of runnable) {
        if (t.id === tok) {
          this.advance();
          return t;
        }
      }
    }
    if (!this.lenient) {
      const ids = runnable.map((t) => t.id).join(', ');
      throw this.diverged(rt, `says ${String(tok)} but tasks [${ids}] are runnable (a task choice)`);
    }
    this.advance();
    this.divergences++;
    return this.fallback?.pick(runnable, rt) ?? runnable[0]!;
  }

  /** S4: the recorded F / S decision. */
  chooseFailure(site: AllocSite, rt: Runtime): boolean {
    const tok = this.peek();
    if (tok === 'F' || tok === 'S') {
      this.advance();
      return tok === 'F';
    }
    if (tok === undefined) {
      if (this.fallback !== undefined) return this.fallback.chooseFailure?.(site, rt) ?? false;
      if (this.lenient) return false;
      throw this.diverged(rt, `is exhausted at a failure choice for ${site}`);
    }
    if (!this.lenient) throw this.diverged(rt, `says task ${tok} but this is a failure choice for ${site}`);
    this.advance();
    this.divergences++;
    return this.fallback?.chooseFailure?.(site, rt) ?? false;
  }

  /** Strict mode: a schedule with unused choices did not replay exactly. */
  finish(rt: Runtime): void {
    const left = this.remaining;
    if (left > 0 && !this.lenient) {
      throw this.diverged(rt, `has ${left} unused choice(s) left when the run ended`);
    }
  }

  private peek(): ScheduleToken | undefined {
    return this.toks[this.run];
  }

  private advance(): void {
    this.consumed++;
    this.used++;
    if (this.used >= this.counts[this.run]!) {
      this.run++;
      this.used = 0;
    }
  }

  private exhausted(runnable: readonly Task[], rt: Runtime): Task {
    if (this.fallback !== undefined) return this.fallback.pick(runnable, rt);
    if (this.lenient) return runnable[0]!;
    const ids = runnable.map((t) => t.id).join(', ');
    throw this.diverged(rt, `is exhausted but tasks [${ids}] are runnable (a task choice)`);
  }

  private diverged(rt: Runtime, what: string): Error {
    return new Error(
      `replay diverged at choice ${this.consumed + 1}, step ${rt.steps}: schedule '${abbreviate(this.schedule)}' ${what}`,
    );
  }
}

function abbreviate(s: string): string {
  return s.length <= 80 ? s : `${s.slice(0, 77)}...`;
}
