/**
 * X3: the counterexample's thread table fits 120 columns by default (cells wrap), and keeps
 * natural widths with `--wide`; a column never narrows below its task's name.
 */
import { describe, expect, it } from 'vitest';
import { replaySchedule } from '../../src/check/replay.js';
import { fitWidths, TABLE_WIDTH } from '../../src/check/table.js';
import { loadScenario } from '../../src/workload/scenario/load.js';
import { daxsim } from '../cli/helpers.js';

/** The shrunk counterexample `check builtin:review-thread --mutation review-downgrade-wake-one` reports. */
const SCHEDULE = '1.3x2.1x2.3.1.3.2.1.2.3x2.2x5.1x2.3.2x6';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

describe('thread table width (X3)', () => {
  it('fitWidths narrows the widest columns first and respects the floors', () => {
    expect(fitWidths([44, 44, 44, 10], [2, 2, 2, 2], 120)).toEqual([32, 32, 33, 10]);
    expect(fitWidths([44, 44], [40, 2], 60)).toEqual([40, 12]);
    expect(fitWidths([44, 44], [40, 2], 59)).toEqual([40, 12]);
    expect(fitWidths([20, 20], [2, 2], 120)).toEqual([20, 20]);
  });

  it('the review-thread counterexample fits 120 columns, and --wide lifts the limit', () => {
    const scenario = loadScenario('builtin:review-thread');
    const opts = { seed: 1, mutations: ['review-downgrade-wake-one'] };
    const schedule = SCHEDULE;
    const fitted = replaySchedule(scenario, schedule, opts).table;
    const wide = replaySchedule(scenario, schedule, { ...opts, tableWidth: Number.POSITIVE_INFINITY }).table;
    expect(widest(fitted)).toBeLessThanOrEqual(TABLE_WIDTH);
    expect(widest(wide)).toBeGreaterThan(TABLE_WIDTH);
  });

  it('the CLI replay prints a fitted table, and the whole table with --wide', () => {
    const args = [
      'replay',
      'builtin:review-thread',
      '--seed',
      '1',
      '--mutation',
      'review-downgrade-wake-one',
    ];
    const sched = ['--schedule', SCHEDULE];
    const r = daxsim([...args, ...sched]);
    expect(r.code).toBe(1);
    expect(widest(r.stdout)).toBeLessThanOrEqual(TABLE_WIDTH);
    expect(widest(daxsim([...args, ...sched, '--wide']).stdout)).toBeGreaterThan(TABLE_WIDTH);
  });
});
