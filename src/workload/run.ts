/**
 * Running a scenario once: build the World, spawn its tasks, step the runtime to quiescence
 * (or a crash), then check the invariants and the scenario's `expect` counts.
 *
 * Invariants: the same scenario, options and seed give the same steps, schedule, report and
 * trace (S6); nothing here reads a clock; model exceptions become `model` violations with
 * the task and step, so a mutation that trips an assertion still counts as found.
 */

import type { FaultInjector } from '../sim/fault-injector.js';
import { KernelOops, Livelock } from '../sim/oops.js';
import type { Scheduler } from '../sim/scheduler.js';
import type { Task } from '../sim/task.js';
import { checkV1, checkV2, checkV7 } from '../verify/locks.js';
import { DataOracle } from '../verify/oracle.js';
import { checkV4 } from '../verify/page-tables.js';
import { checkV3, type TreeMemo } from '../verify/tree.js';
import type { Violation } from '../verify/violation.js';
import type { SwitchOverrides } from '../version/kernel.js';
import { type ExpectFailure, type OpsContext, runTaskOps, type TaskOutcome } from './ops.js';
import { touchAccesses } from './scenario/check-values.js';
import type { Scenario } from './scenario/types.js';
import { World, type WorldOptions } from './world.js';

/** Options of one run (the CLI's flags). */
export interface RunOptions {
  seed?: number;
  /** Kernel profile (wins over the scenario's `profile`; default `fixed`). */
  profile?: string;
  /** Switch overrides on top of the profile (version/switches.ts knob names). */
  switches?: SwitchOverrides;
  /** Added to the scenario's own mutations. */
  mutations?: readonly string[];
  trace?: boolean;
  scheduler?: Scheduler;
  injector?: FaultInjector;
  /** Check V3/V4 after every step as well as at the end (slower; the checker's mode). */
  checkEachStep?: boolean;
  /** Replaces the per-step V3/V4 check of `checkEachStep` (the checker's own selection). */
  stepCheck?: (world: World, memo: TreeMemo) => Violation[];
  /** Keep the V5/V6 data oracle (default true). */
  oracle?: boolean;
  /** Check V1-V4 and V7 at the end (default true; benchmarks measure the run alone). */
  invariants?: boolean;
  maxSteps?: number;
  /** Elide forced scheduling points (default true); false makes `checkEachStep` see every point. */
  elideForcedPoints?: boolean;
  /** Record per-step footprints (X1 sleep sets; default false). */
  footprints?: boolean;
  /** Called every 65536 steps and every 65536 touch accesses (the CLI's progress line). */
  onProgress?: (progress: RunProgress) => void;
  /**
   * Called with the World before the first step (`rt.steps === 0`) and after every step, before
   * the per-step check (the viewer records its states here). Unused: one branch per step.
   */
  onStep?: (world: World) => void;
}

/** How far a run got: steps, and touch accesses made of those the scenario plans. */
export interface RunProgress {
  steps: number;
  accesses: number;
  plannedAccesses: number;
}

/** What a run produced. */
export interface RunResult {
  readonly scenario: Scenario;
  readonly world: World;
  readonly seed: number;
  readonly outcomes: Record<string, TaskOutcome>;
  readonly violations: Violation[];
  readonly expectFailures: ExpectFailure[];
  readonly crashed: boolean;
  readonly steps: number;
  readonly schedule: string;
}

/** The World a scenario describes. */
export function worldOptions(scenario: Scenario, opts: RunOptions): WorldOptions {
  return {
    device: scenario.device,
    fs: scenario.fs,
    files: scenario.files,
    processes: scenario.processes,
    mutations: [...scenario.mutations, ...(opts.mutations ?? [])],
    ...((opts.profile ?? scenario.profile) ? { profile: opts.profile ?? scenario.profile } : {}),
    ...(opts.switches === undefined ? {} : { switches: opts.switches }),
    inject: scenario.inject,
    seed: opts.seed ?? scenario.seed ?? 1,
    trace: opts.trace ?? false,
    ...(opts.scheduler === undefined ? {} : { scheduler: opts.scheduler }),
    ...(opts.injector === undefined ? {} : { injector: opts.injector }),
    ...(opts.maxSteps === undefined ? {} : { maxSteps: opts.maxSteps }),
    ...(opts.elideForcedPoints === undefined ? {} : { elideForcedPoints: opts.elideForcedPoints }),
    ...(opts.footprints === true ? { footprints: true } : {}),
  };
}

/** The touch accesses of every task's ops: the progress bar's 100%. */
function plannedAccesses(scenario: Scenario): number {
  let n = 0;
  for (const t of scenario.tasks) for (const op of t.ops) if (op.kind === 'touch') n += touchAccesses(op);
  return n;
}

/** Run a scenario once under the seeded random scheduler (or the given one). */
export function runScenario(scenario: Scenario, opts: RunOptions = {}): RunResult {
  const world = new World(worldOptions(scenario, opts));
  const oracle =
    opts.oracle === false
      ? null
      : new DataOracle(world, new Map(scenario.files.map((f) => [f.path, f.fill])));
  let crash: 'all' | 'random' | null = null;
  const onProgress = opts.onProgress;
  // Only a run that reports progress pays for the plan (the checker's executions do not).
  const progress: RunProgress | null =
    onProgress === undefined ? null : { steps: 0, accesses: 0, plannedAccesses: plannedAccesses(scenario) };
  const ctx: OpsContext = {
    world,
    observer: oracle,
    expectFailures: [],
    crash: (lose) => {
      crash = lose;
    },
    ...(onProgress === undefined || progress === null
      ? {}
      : {
          onAccesses: (n: number) => {
            progress.accesses += n;
            progress.steps = world.rt.steps;
            onProgress(progress);
          },
        }),
  };
  const tasks = new Map<string, Task>();
  for (const spec of scenario.tasks) {
    const after = spec.after.map((n) => tasks.get(n)!);
    tasks.set(
      spec.name,
      world.rt.spawn(spec.name, () => runTaskOps(ctx, spec), { after }),
    );
  }
  const violations: Violation[] = [];
  const rt = world.rt;
  // What V3 derived per tree generation: the run's own, so it dies with the run.
  const memo: TreeMemo = new Map();
  const onStep = opts.onStep;
  try {
    onStep?.(world);
    while (crash === null && rt.step()) {
      if (rt.steps >= rt.maxSteps) {
        // The work never ends (a livelock of the kernel modelled, or a runaway scenario): V1.
        violations.push({
          invariant: 'V1',
          message: `no quiescence after ${rt.steps} steps (step limit): livelock`,
        });
        break;
      }
      if (onProgress !== undefined && progress !== null && (rt.steps & 0xffff) === 0) {
        progress.steps = rt.steps;
        onProgress(progress);
      }
      if (onStep !== undefined) onStep(world);
      if (opts.checkEachStep) {
        const v =
          opts.stepCheck === undefined
            ? [...checkV3(world, memo), ...checkV4(world)]
            : opts.stepCheck(world, memo);
        if (v.length > 0) {
          violations.push(...v);
          break;
        }
      }
    }
  } catch (e) {
    violations.push({
      invariant: 'model',
      message: `model error at step ${rt.steps}: ${(e as Error).message}`,
    });
  }
  for (const t of rt.tasks) {
    if (t.error === undefined || t.error === null) continue;
    const message = String((t.error as Error).message ?? t.error);
    if (t.error instanceof KernelOops)
      violations.push({ invariant: 'oops', message: `task ${t.name}: ${message}` });
    else if (t.error instanceof Livelock)
      violations.push({ invariant: 'V1', message: `task ${t.name}: ${message}` });
    else violations.push({ invariant: 'model', message: `task ${t.name} threw: ${message}` });
  }
  if (crash !== null) {
    world.dev.crash(crash === 'all' ? 'all' : { prng: world.prng });
    if (oracle !== null) violations.push(...oracle.checkDurability());
  } else if (violations.length === 0 && opts.invariants !== false) {
    violations.push(
      ...checkV1(world),
      ...checkV2(world),
      ...checkV3(world, memo),
      ...checkV4(world),
      ...checkV7(world),
    );
  }
  if (oracle !== null) violations.unshift(...oracle.violations);
  const outcomes: Record<string, TaskOutcome> = {};
  for (const [name, t] of tasks) {
    outcomes[name] =
      t.state === 'done' && typeof t.result === 'string' ? (t.result as TaskOutcome) : 'blocked';
  }
  return new Run(scenario, world, outcomes, violations, ctx.expectFailures, crash !== null);
}

/**
 * A RunResult whose schedule is rendered on demand. A class rather than an object literal
 * with a getter closing over the runtime: measured on Node 20 (issue 7), that literal kept
 * every execution's World alive through young-generation GCs, which then copied it twice.
 */
class Run implements RunResult {
  readonly seed: number;
  readonly steps: number;

  constructor(
    readonly scenario: Scenario,
    readonly world: World,
    readonly outcomes: Record<string, TaskOutcome>,
    readonly violations: Violation[],
    readonly expectFailures: ExpectFailure[],
    readonly crashed: boolean,
  ) {
    this.seed = world.seed;
    this.steps = world.rt.steps;
  }

  /** The recorded schedule string (S2). */
  get schedule(): string {
    return this.world.rt.recordedSchedule;
  }
}
