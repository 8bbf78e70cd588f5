/**
 * The data oracle as a footprinted object (X1): every observer call inside a step touches the
 * one key `oracle`, so two steps that both read or write file data are never independent.
 */
import { describe, expect, it } from 'vitest';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import type { Runtime } from '../../src/sim/runtime.js';
import type { Scheduler } from '../../src/sim/scheduler.js';
import type { Task } from '../../src/sim/task.js';
import { runScenario } from '../../src/workload/run.js';
import { loadScenario } from '../../src/workload/scenario/load.js';

/** Random choices, recording the footprint of every step that ended before a pick. */
class FootprintLog implements Scheduler {
  readonly name = 'footprint-log';
  readonly inner = new RandomScheduler(3);
  readonly steps: (readonly string[])[] = [];
  pick(runnable: readonly Task[], rt: Runtime): Task {
    const fp = rt.lastFootprint;
    if (fp !== null) this.steps.push([...fp]);
    return this.inner.pick(runnable);
  }
}

function oracleSteps(oracle: boolean): number {
  const log = new FootprintLog();
  runScenario(loadScenario('builtin:review-thread'), { scheduler: log, footprints: true, oracle });
  expect(log.steps.length).toBeGreaterThan(0);
  return log.steps.filter((keys) => keys.includes('oracle')).length;
}

describe('oracle footprint key (X1)', () => {
  it('X1: steps that complete a read touch `oracle`; without the oracle none does', () => {
    // review-thread: four tasks each read once through a mapping (readBegin, readDone).
    expect(oracleSteps(true)).toBeGreaterThanOrEqual(3);
    expect(oracleSteps(false)).toBe(0);
  });
});
