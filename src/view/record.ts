/**
 * `recordView(scenario, options)`: run a scenario once with the step recorder attached and
 * gather everything the viewer shows (view-data.ts).
 *
 * Invariants: with `schedule` the run is `daxsim replay`'s (the strict replay path, so a
 * counterexample is reproduced exactly; a schedule that does not fit throws); without it,
 * `daxsim run`'s seeded random run. Recording observes only: the steps, schedule and
 * violations are those of the same run unrecorded (S6).
 */
import { replaySchedule } from '../check/replay.js';
import { tableRows } from '../check/table.js';
import { buildReport } from '../workload/report.js';
import { type RunResult, runScenario } from '../workload/run.js';
import type { Scenario } from '../workload/scenario/types.js';
import { StepRecorder } from './recorder.js';
import { type ThreadRow, VIEW_DATA_VERSION, type ViewData } from './view-data.js';

/**
 * How to run: the settings shared with `daxsim run` and `daxsim replay` are passed through
 * to both unchanged, so a new run setting is one more field here and one more flag.
 */
export interface ViewRunOptions {
  /** The World seed (default: the scenario's, or 1). */
  seed?: number;
  /** Added to the scenario's own mutations. */
  mutations?: readonly string[];
  /** Kernel profile (default: the scenario's, else fixed). */
  profile?: string;
  /** Replay this schedule strictly instead of the seeded random run. */
  schedule?: string;
  /** With `schedule`: failure choices offered (default: its `F` tokens). */
  maxFailures?: number;
}

function problems(run: RunResult): string[] {
  const r = buildReport(run);
  return [
    ...r.violations.map((v) => `${v.invariant} violated: ${v.message}`),
    ...r.expectFailures.map((f) => `expect ${f.what}: expected ${f.expected}, found ${f.found}`),
  ];
}

/** Run `scenario` once, recording every step for the viewer. */
export function recordView(scenario: Scenario, opts: ViewRunOptions = {}): ViewData {
  const rec = new StepRecorder();
  const { schedule, maxFailures, ...shared } = opts;
  const run =
    schedule === undefined
      ? runScenario(scenario, { ...shared, trace: true, onStep: rec.onStep })
      : replaySchedule(scenario, schedule, {
          ...shared,
          ...(maxFailures === undefined ? {} : { maxFailures }),
          onStep: rec.onStep,
        }).run;
  const recorded = rec.finish(run.world);
  const rt = run.world.rt;
  const all = tableRows(rt.trace.events, rt.tasks, rt.stuckReport());
  const row = (r: (typeof all)[number]): ThreadRow => [r.step < 0 ? run.steps : r.step, r.task, r.text];
  return {
    version: VIEW_DATA_VERSION,
    scenario: { name: scenario.name, description: scenario.description },
    run: {
      mode: schedule === undefined ? 'seed' : 'schedule',
      seed: run.seed,
      schedule: run.schedule,
      profile: run.world.kernel.profile,
      mutations: [...run.world.mutations],
      steps: run.steps,
      problems: problems(run),
      outcomes: { ...run.outcomes },
    },
    tasks: rt.tasks.map((t) => ({ id: t.id, name: t.name })),
    files: [...run.world.files.keys()],
    processes: [...run.world.processes.keys()],
    rows: all.filter((r) => r.step >= 0).map(row),
    endRows: all.filter((r) => r.step < 0).map(row),
    ...recorded,
  };
}
