/**
 * One execution of a scenario under an explorer's scheduler (X1): a fresh World, the
 * invariants after every step and at the end, and the counts shrinking compares.
 *
 * After every step only V3 is checked: V4 legitimately fails for a moment while write(2)
 * invalidates entries before unmapping them (the kernel's invalidate_inode_pages2_range
 * order); V4 and the rest are checked at quiescence.
 *
 * Invariants: an execution is a pure function of (scenario, options, scheduler decisions);
 * a scheduler may cut an execution short by setting `aborted` and throwing `AbortExecution`
 * (a redundant dfs branch), and such a run reports no violation.
 */

import { FaultInjector } from '../../sim/fault-injector.js';
import { Prng } from '../../sim/prng.js';
import type { Runtime } from '../../sim/runtime.js';
import { FNV_OFFSET, fnvChar } from '../../sim/schedule-string.js';
import { RunToCompletionScheduler, type Scheduler } from '../../sim/scheduler.js';
import type { Task } from '../../sim/task.js';
import type { AllocSite } from '../../sim/types.js';
import { checkV3 } from '../../verify/tree.js';
import { type RunOptions, type RunResult, runScenario } from '../../workload/run.js';
import type { Scenario } from '../../workload/scenario/types.js';
import type { ExecutionOutcome } from './types.js';

/** Thrown by a scheduler to stop an execution that cannot tell anything new. */
export class AbortExecution extends Error {
  override readonly name = 'AbortExecution';
}

/** Wraps a scheduler and counts preemptions (switching away from a runnable task) and failures. */
export class CountingScheduler implements Scheduler {
  readonly name: string;
  preemptions = 0;
  failures = 0;
  aborted = false;

  /** Count the decisions of `inner`. */
  constructor(readonly inner: Scheduler) {
    this.name = inner.name;
  }

  /** S2: delegate, counting a preemption when the last task could have gone on. */
  pick(runnable: readonly Task[], rt: Runtime): Task {
    let t: Task;
    try {
      t = this.inner.pick(runnable, rt);
    } catch (e) {
      if (e instanceof AbortExecution) this.aborted = true;
      throw e;
    }
    const last = rt.lastRun;
    if (last !== null && t !== last && runnable.includes(last)) this.preemptions++;
    return t;
  }

  /** S4: delegate (default: succeed), counting chosen failures. */
  chooseFailure(site: AllocSite, rt: Runtime): boolean {
    const f = this.inner.chooseFailure?.(site, rt) ?? false;
    if (f) this.failures++;
    return f;
  }

  /** Delegate the end-of-run hook (a strict replayer checks it used its whole schedule). */
  finish(rt: Runtime): void {
    this.inner.finish?.(rt);
  }
}

/** The non-preemptive default: keep the last task while it can run, else the lowest id. */
export function nonPreemptive(): Scheduler {
  return new RunToCompletionScheduler();
}

/** Options of one execution. */
export interface ExecuteOptions {
  seed: number;
  mutations: readonly string[];
  /** Kernel profile (default: the scenario's, else `fixed`). */
  profile?: string;
  maxFailures: number;
  checkEachStep: boolean;
  trace?: boolean;
  /** Record step footprints (X1 sleep sets; default false). */
  footprints?: boolean;
  /** RunOptions.onStep (the viewer's recorder). */
  onStep?: RunOptions['onStep'];
}

/** Run the scenario once under `scheduler`; null when the scheduler aborted the run. */
export function execute(
  scenario: Scenario,
  scheduler: Scheduler,
  opts: ExecuteOptions,
): { outcome: ExecutionOutcome; run: RunResult } | null {
  const r = executeRun(scenario, scheduler, opts);
  return r === null ? null : { outcome: outcomeOf(r), run: r.run };
}

/** A finished execution: the run and the scheduler that counted its choices. */
export interface ExecutedRun {
  run: RunResult;
  counting: CountingScheduler;
}

/** The outcome of a finished execution (renders its schedule string). */
export function outcomeOf(r: ExecutedRun): ExecutionOutcome {
  return {
    violations: r.run.violations,
    schedule: r.run.schedule,
    steps: r.run.steps,
    preemptions: r.counting.preemptions,
    failures: r.counting.failures,
  };
}

/**
 * Like `execute`, without building the outcome: a caller that keeps only violating outcomes
 * (the dfs) skips rendering the schedule of every clean run.
 */
export function executeRun(
  scenario: Scenario,
  scheduler: Scheduler,
  opts: ExecuteOptions,
): ExecutedRun | null {
  const counting = new CountingScheduler(scheduler);
  const injector = new FaultInjector(
    scenario.inject,
    new Prng(opts.seed ^ 0x1f),
    opts.maxFailures > 0 ? { choice: { maxFailures: opts.maxFailures } } : {},
  );
  // Optional fields are set by assignment, not spread: spreading a conditional literal costs
  // a generic object clone per execution.
  const ro: RunOptions = {
    seed: opts.seed,
    mutations: opts.mutations,
    scheduler: counting,
    injector,
    checkEachStep: opts.checkEachStep,
    stepCheck: checkV3,
    trace: opts.trace ?? false,
    footprints: opts.footprints ?? false,
  };
  if (opts.profile !== undefined) ro.profile = opts.profile;
  if (opts.onStep !== undefined) ro.onStep = opts.onStep;
  const run = runScenario(scenario, ro);
  if (counting.aborted) return null;
  return { run, counting };
}

/** True when a violation says the replay itself went wrong (not the model). */
export function isReplayDivergence(message: string): boolean {
  return message.includes('replay diverged');
}

/**
 * 32-bit FNV-1a of a schedule string (distinct-schedule counting across workers); a run's
 * own schedule hashes the same without its string (`Runtime.recordedScheduleHash`).
 */
export function scheduleHash(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = fnvChar(h, s.charCodeAt(i));
  return h >>> 0;
}

/** A per-execution seed derived from the base seed and the execution's global index. */
export function executionSeed(base: number, index: number): number {
  let x = (Math.imul(base ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  return x;
}
