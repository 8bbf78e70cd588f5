/**
 * Exploration as ordered units of work (X1, X2, X4): random and PCT executions are units of
 * one execution each (unit i runs with a seed derived from the base seed and i); dfs runs a
 * root execution and then one unit per alternative off it, in dfs order. A worker or shard
 * runs the units `assigned` to it, in increasing order, and reports each.
 *
 * Invariants: a unit's outcome depends only on (scenario, options, ordinal), never on which
 * worker ran it; a worker stops a unit that comes after one already known to violate (the
 * shared `best`), and stops when its own execution count reaches the budget: every unit it
 * leaves incomplete then lies past the budget in sequential order, so merging gives the same
 * answer as one worker would (X4).
 */
import { PctScheduler } from '../../sim/pct-scheduler.js';
import { RandomScheduler } from '../../sim/random-scheduler.js';
import type { Scheduler } from '../../sim/scheduler.js';
import type { Scenario } from '../../workload/scenario/types.js';
import { backtrack, chosen, copyFrame, DfsScheduler, type Frame, rootUnits } from './dfs.js';
import { type ExecuteOptions, execute, executeRun, executionSeed, outcomeOf } from './execute.js';
import type { ExecutionOutcome, PartialResult, ResolvedOptions, UnitReport } from './types.js';

/** Shared between workers: the lowest unit ordinal known to hold a violation. */
export interface SharedBest {
  get(): number;
  offer(ordinal: number): void;
}

/** A SharedBest over one Int32 of a SharedArrayBuffer (or a private one). */
export function sharedBest(buffer: SharedArrayBuffer = new SharedArrayBuffer(4), init = false): SharedBest {
  const a = new Int32Array(buffer);
  if (init) Atomics.store(a, 0, 0x7fffffff);
  return {
    get: () => Atomics.load(a, 0),
    offer(ordinal: number) {
      for (;;) {
        const cur = Atomics.load(a, 0);
        if (cur <= ordinal || Atomics.compareExchange(a, 0, cur, ordinal) === cur) return;
      }
    },
  };
}

/** Which units this worker runs, its clock, and the shared best. */
export interface UnitContext {
  assigned(ordinal: number): boolean;
  best: SharedBest;
  /** Host-time deadline in ms (performance.now), or null. */
  deadline: number | null;
  now(): number;
  /** Called after every execution (progress reporting; must not affect the search). */
  tick?: () => void;
}

function executeOptions(o: ResolvedOptions): ExecuteOptions {
  return {
    seed: o.seed,
    mutations: o.mutations,
    profile: o.profile,
    maxFailures: o.maxFailures,
    checkEachStep: o.checkEachStep,
    footprints: reduces(o),
  };
}

/** Whether a dfs keeps sleep sets (X1). */
function reduces(o: ResolvedOptions): boolean {
  return o.strategy === 'dfs' && o.reduction;
}

/** The scheduler of random/pct execution `index`. */
export function randomScheduler(o: ResolvedOptions, index: number, stepsHint: number): Scheduler {
  const seed = executionSeed(o.seed, index);
  if (o.strategy === 'pct')
    return new PctScheduler({ seed, depth: o.pctDepth, maxSteps: Math.max(1, stepsHint) });
  return new RandomScheduler(seed);
}

function emptyUnit(ordinal: number): UnitReport {
  return {
    ordinal,
    executions: 0,
    complete: false,
    violationAt: null,
    violation: null,
    capped: false,
    hashes: [],
  };
}

/** Run the assigned units of a random or PCT exploration. */
export function exploreRandomUnits(scenario: Scenario, o: ResolvedOptions, ctx: UnitContext): PartialResult {
  const units: UnitReport[] = [];
  const eo = executeOptions(o);
  // PCT draws its change points from 1..k: k from one non-preemptive execution (deterministic).
  const hint = o.strategy === 'pct' ? stepsOfDefault(scenario, eo) : 1;
  let timedOut = false;
  for (let i = 0; i < o.executions; i++) {
    if (!ctx.assigned(i)) continue;
    if (ctx.best.get() < i) break;
    if (ctx.deadline !== null && ctx.now() > ctx.deadline) {
      timedOut = true;
      break;
    }
    const r = executeRun(scenario, randomScheduler(o, i, hint), eo);
    ctx.tick?.();
    const u = emptyUnit(i);
    u.executions = 1;
    u.complete = true;
    if (r !== null) {
      // The same hash as scheduleHash(outcome.schedule); only a violating run renders it.
      u.hashes.push(r.run.world.rt.recordedScheduleHash);
      if (r.run.violations.length > 0) {
        u.violationAt = 0;
        u.violation = outcomeOf(r);
        ctx.best.offer(i);
      }
    }
    units.push(u);
  }
  return { units, unitCount: o.executions, root: null, timedOut };
}

function stepsOfDefault(scenario: Scenario, eo: ExecuteOptions): number {
  const r = execute(scenario, new DfsScheduler([]), eo);
  return r?.outcome.steps ?? 1;
}

/**
 * Run one dfs execution at `prefix`; returns its frames and, if it found a violation, its
 * outcome (null: clean, or cut short; a clean run's schedule is never rendered).
 */
function dfsExecute(
  scenario: Scenario,
  eo: ExecuteOptions,
  prefix: readonly Frame[],
  bound: number,
): { frames: Frame[]; violation: ExecutionOutcome | null } {
  const reduce = eo.footprints === true;
  const s = new DfsScheduler(prefix, { reduce, bound });
  const r = executeRun(scenario, s, eo);
  if (r !== null && reduce) s.closeStep(r.run.world.rt);
  const violation = r !== null && r.run.violations.length > 0 ? outcomeOf(r) : null;
  return { frames: s.frames, violation };
}

/**
 * The first prefix of dfs unit (frame, option): the root's frames up to `frame`, advanced.
 * Sleep sets: the unit knows only the root's own option there as explored (its subtree is
 * the units before this one); siblings explored by other units are not put to sleep, which
 * is sound (a smaller sleep set) and keeps every unit a function of the root alone (X4).
 */
function unitPrefix(
  root: readonly Frame[],
  alt: { frame: number; option: number },
  reduce: boolean,
): Frame[] {
  const frames = root.slice(0, alt.frame + 1).map(copyFrame);
  const f = frames[alt.frame]!;
  if (reduce && f.kind === 'task') f.done = [{ task: chosen(f), fp: f.fp ?? 'global' }];
  f.at = alt.option;
  return frames;
}

/** Run the assigned units of a dfs exploration (every worker runs the root itself). */
export function exploreDfsUnits(scenario: Scenario, o: ResolvedOptions, ctx: UnitContext): PartialResult {
  const eo = executeOptions(o);
  const root = dfsExecute(scenario, eo, [], o.preemptions);
  const rootReport = emptyUnit(-1);
  rootReport.executions = 1;
  rootReport.complete = true;
  if (root.violation !== null) {
    rootReport.violationAt = 0;
    rootReport.violation = root.violation;
    return { units: [], unitCount: 0, root: rootReport, timedOut: false };
  }
  const alternatives = rootUnits(root.frames, o.preemptions);
  const units: UnitReport[] = [];
  let local = 1;
  let timedOut = false;
  for (let ordinal = 0; ordinal < alternatives.length; ordinal++) {
    if (!ctx.assigned(ordinal)) continue;
    if (ctx.best.get() < ordinal || local >= o.executions) break;
    const alt = alternatives[ordinal]!;
    const u = emptyUnit(ordinal);
    let prefix: Frame[] | null = unitPrefix(root.frames, alt, reduces(o));
    while (prefix !== null) {
      if (local >= o.executions) {
        u.capped = true;
        break;
      }
      if (ctx.deadline !== null && ctx.now() > ctx.deadline) {
        timedOut = true;
        break;
      }
      if (ctx.best.get() < ordinal) break;
      const r = dfsExecute(scenario, eo, prefix, o.preemptions);
      ctx.tick?.();
      local++;
      u.executions++;
      if (r.violation !== null) {
        u.violationAt = u.executions - 1;
        u.violation = r.violation;
        ctx.best.offer(ordinal);
        break;
      }
      prefix = backtrack(r.frames, alt.frame + 1, o.preemptions, reduces(o));
    }
    u.complete = prefix === null || u.violation !== null;
    units.push(u);
    if (timedOut) break;
  }
  return { units, unitCount: alternatives.length, root: rootReport, timedOut };
}

/** The chosen values of a frame list (for messages and tests). */
export function framesChoices(frames: readonly Frame[]): number[] {
  return frames.map(chosen);
}
