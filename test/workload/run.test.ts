/**
 * runScenario's result (S2, S6): the schedule it reports is the runtime's recorded one,
 * replayable, and the same seed gives the same result.
 */
import { describe, expect, it } from 'vitest';
import { ReplayScheduler } from '../../src/sim/replay-scheduler.js';
import { runScenario } from '../../src/workload/run.js';
import { loadScenario } from '../../src/workload/scenario/load.js';
import { parseScenario } from '../../src/workload/scenario/parse.js';

describe('runScenario result', () => {
  const sc = loadScenario('builtin:review-thread');

  it('S2: the schedule is the runtime recording, and replaying it gives the same steps', () => {
    const r = runScenario(sc, { seed: 5 });
    expect(r.schedule).toBe(r.world.rt.recordedSchedule);
    expect(r.schedule.length).toBeGreaterThan(0);
    expect(r.steps).toBe(r.world.rt.steps);
    expect(r.seed).toBe(5);
    const again = runScenario(sc, { seed: 5, scheduler: new ReplayScheduler(r.schedule) });
    expect(again.steps).toBe(r.steps);
    expect(again.schedule).toBe(r.schedule);
    expect(again.outcomes).toEqual(r.outcomes);
  });

  it('S6: the same seed gives the same result fields', () => {
    const pick = (seed: number) => {
      const r = runScenario(sc, { seed });
      return {
        schedule: r.schedule,
        steps: r.steps,
        outcomes: r.outcomes,
        violations: r.violations,
        crashed: r.crashed,
        expectFailures: r.expectFailures,
      };
    };
    expect(pick(9)).toEqual(pick(9));
    expect(pick(9).violations).toEqual([]);
  });
});

describe('run progress (the CLI progress bar)', () => {
  it('a long touch reports its accesses against the planned total', () => {
    const yaml = `
files: [{ path: f, size: 1GiB }]
processes:
  - name: p
    mappings: [{ name: m, file: f, offset: 0, length: 1GiB }]
tasks:
  - name: t
    ops: [{ touch: { map: m, offset: 0, length: 1GiB, stride: 4KiB, access: read } }]
`;
    const seen: { accesses: number; plannedAccesses: number }[] = [];
    runScenario(parseScenario(yaml, 'p.yaml'), {
      oracle: false,
      onProgress: (p) => seen.push({ accesses: p.accesses, plannedAccesses: p.plannedAccesses }),
    });
    expect(seen.length).toBe(4); // every 65536 of the 262144 accesses
    expect(seen.at(-1)).toEqual({ accesses: 262144, plannedAccesses: 262144 });
  });
});
