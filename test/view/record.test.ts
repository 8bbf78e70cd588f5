/**
 * The viewer's recording (src/view): it observes without changing the run (S6), replays a
 * schedule exactly as `daxsim replay` does (X3), and its deltas rebuild the state the run
 * ended in (the browser's model, web/src/model.ts, read back here in Node).
 */
import { describe, expect, it } from 'vitest';
import { replaySchedule } from '../../src/check/replay.js';
import { KeyedTrack } from '../../src/view/keyed-track.js';
import { recordView } from '../../src/view/record.js';
import { buildReport } from '../../src/workload/report.js';
import { runScenario } from '../../src/workload/run.js';
import { loadScenario } from '../../src/workload/scenario/load.js';
import { KeyedHistory, RunModel } from '../../web/src/model.js';
import { scenarioOf } from '../helpers/scenario.js';
import { longScenario } from './long-scenario.js';

const MUT = ['review-downgrade-wake-one'];
const review = () => loadScenario('builtin:review-thread');

describe('view recording', () => {
  it('S6: recording observes only: the seeded view run is daxsim run (steps, schedule, problems)', () => {
    for (const seed of [1, 2, 3]) {
      const plain = runScenario(review(), { seed, mutations: MUT });
      const data = recordView(review(), { seed, mutations: MUT });
      expect(data.run).toMatchObject({ mode: 'seed', seed, steps: plain.steps, schedule: plain.schedule });
      expect(data.ran).toHaveLength(plain.steps);
      expect(data.run.problems.length).toBe(
        plain.violations.length + buildReport(plain).expectFailures.length,
      );
      expect(data.run.outcomes).toEqual(plain.outcomes);
    }
  });

  it('X3: with a schedule the view replays it strictly, as daxsim replay does', () => {
    const found = runScenario(review(), { seed: 1, mutations: MUT });
    const replayed = replaySchedule(review(), found.schedule, { seed: 1, mutations: MUT });
    const data = recordView(review(), { seed: 1, mutations: MUT, schedule: found.schedule });
    expect(data.run).toMatchObject({
      mode: 'schedule',
      schedule: found.schedule,
      steps: replayed.outcome.steps,
    });
    expect(data.run.problems[0]).toBe(`V1 violated: ${replayed.outcome.violations[0]!.message}`);
    expect(() => recordView(review(), { mutations: MUT, schedule: '9x3' })).toThrow(/diverged|schedule/);
  });

  it('V1: at the end of review-thread with review-downgrade-wake-one, t3 sleeps on key data:0x200', () => {
    const model = new RunModel(recordView(review(), { mutations: MUT }));
    const t3 = model.data.tasks.find((t) => t.name === 't3')!.id;
    expect(model.waits.at(model.steps)).toEqual([[t3, 'data:0x200', expect.any(Number), 1]]);
    expect(model.taskStates.at(model.steps)[t3]).toBe('sleeping');
    expect(model.data.endRows).toEqual([
      [model.steps, t3, '... sleeping forever on wait_table key data:0x200'],
    ]);
    // Step 1: setup's 2 MiB read fault installs the huge zero page (M8): a pmd-zero entry at 0x200.
    expect([...model.trees[0]!.at(1).values()]).toEqual([[0x200, 9, 'pmd-zero', 0, 0, 0]]);
    expect([...model.blocks[0]!.at(1).values()][0]).toMatchObject([
      expect.any(Number),
      'huge',
      4608,
      0,
      'zero',
    ]);
    expect(model.fallbacksAt(model.steps)[model.data.fallbacks.reasons.indexOf('vma-bounds')]).toBe(3);
  });

  it('the deltas rebuild the end state the report counts (entries, PTEs, tables)', () => {
    const sc = scenarioOf(longScenario(3, 40));
    const report = buildReport(runScenario(sc, { seed: 5 }));
    const model = new RunModel(recordView(sc, { seed: 5 }));
    const entries = [...model.trees[0]!.at(model.steps).values()];
    expect(entries.filter((e) => e[2] === 'pte')).toHaveLength(report.entries.pte);
    expect(entries.filter((e) => e[2] === 'pmd')).toHaveLength(report.entries.pmd);
    const ptes = model.ptes.reduce((n, h) => n + h.at(model.steps).size, 0);
    expect(ptes).toBe(report.pageTables.ptes);
    const tables = model.blocks
      .flatMap((h) => [...h.at(model.steps).values()])
      .filter((b) => b[1] === 'table');
    expect(tables).toHaveLength(report.pageTables.pteTables);
  });

  it('a 10,000-step run records compactly (well under 2 MB of JSON)', () => {
    const data = recordView(scenarioOf(longScenario()), {});
    expect(data.run.steps).toBeGreaterThanOrEqual(10_000);
    expect(JSON.stringify(data).length).toBeLessThan(2_000_000);
  });
});

describe('keyed deltas', () => {
  it('KeyedTrack keeps only changes, and KeyedHistory rebuilds every step forwards and backwards', () => {
    const track = new KeyedTrack<[number, string]>();
    const states: Map<number, [number, string]>[] = [];
    for (let s = 0; s < 300; s++) {
      const m = new Map<number, [number, string]>();
      for (let k = 0; k < 20; k++) if ((k * 7 + s) % 5 !== 0) m.set(k, [k, `v${Math.floor((s + k) / 9)}`]);
      states.push(m);
      track.update(s, new Map(m));
    }
    track.update(300, new Map(states[299]));
    expect(track.deltas.at(-1)!.s).toBe(299);
    const history = new KeyedHistory(track.deltas);
    for (const s of [299, 0, 150, 64, 65, 63, 1, 298, 128, 300]) {
      expect([...history.at(s).values()]).toEqual([...states[Math.min(s, 299)]!.values()]);
    }
    expect(() => track.update(10, new Map())).toThrow(/step 10 after/);
  });
});
