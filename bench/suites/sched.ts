/**
 * Scheduler suite: raw scheduling-point throughput of the sim runtime (S1, S2, S5).
 *
 * Workload: 3 tasks x 1M points (quick: 3 x 50k), each task a loop yielding one point; run
 * to quiescence under the seeded random scheduler, and under the replayer following the
 * schedule that random run recorded; each with tracing off and on.
 * Unit: points/s (higher is better); `ratio` on a trace-on row is relative to the same
 * scheduler with tracing off. Target (issue): >= 5M points/s with tracing off.
 */
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { ReplayScheduler } from '../../src/sim/replay-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import type { Scheduler } from '../../src/sim/scheduler.js';
import { Trace } from '../../src/sim/trace.js';
import {
  type BenchResult,
  perSecond,
  result,
  type Sample,
  type Suite,
  type SuiteOptions,
  timeOneShot,
  withTarget,
} from '../harness.js';

const SUITE = 'sched';
const SEED = 0x5eed;
const TASKS = 3;
const POINT = 'p';

/** A runtime with TASKS point-yielding loops of n points each. */
function world(n: number, scheduler: Scheduler, trace: boolean): Runtime {
  const rt = new Runtime({ scheduler, trace: new Trace(trace) });
  for (let t = 0; t < TASKS; t++) {
    rt.spawn(`t${t}`, function* () {
      for (let i = 0; i < n; i++) yield POINT;
    });
  }
  return rt;
}

/** The schedule a random run of the workload records. */
function recordedSchedule(n: number): string {
  const rt = world(n, new RandomScheduler(SEED), false);
  const out = rt.run();
  if (!out.allDone) throw new Error('sched bench: the workload did not finish');
  return out.schedule;
}

function measure(n: number, reps: number, make: () => Scheduler, trace: boolean): Sample {
  // One untimed run first, so the optimiser has compiled the step loop before sampling.
  world(n, make(), trace).run();
  const sample = timeOneShot(
    reps,
    () => world(n, make(), trace),
    (rt) => {
      const out = rt.run();
      if (!out.allDone) throw new Error('sched bench: run did not finish');
    },
  );
  return perSecond(sample, TASKS * n);
}

/** The registered suite. */
export const schedSuite: Suite = {
  name: SUITE,
  async run(opts: SuiteOptions): Promise<BenchResult[]> {
    const n = opts.quick ? 50_000 : 1_000_000;
    const reps = opts.quick ? 3 : 5;
    const schedule = recordedSchedule(n);
    const makers: [string, () => Scheduler][] = [
      ['random', () => new RandomScheduler(SEED)],
      ['replay', () => new ReplayScheduler(schedule)],
    ];
    const out: BenchResult[] = [];
    for (const [name, make] of makers) {
      const off = measure(n, reps, make, false);
      const on = measure(n, reps, make, true);
      const label = `${TASKS}x${n} points, ${name}`;
      out.push(
        withTarget(result(SUITE, `${label}, trace off`, 'points/s', off), {
          on: 'value',
          op: '>=',
          bound: 5e6,
        }),
      );
      out.push(
        result(SUITE, `${label}, trace on`, 'points/s', on, { name: `${name}, trace off`, sample: off }),
      );
    }
    return out;
  },
};
