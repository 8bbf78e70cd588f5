import { describe, expect, it } from 'vitest';
import { check, resolveOptions } from '../../src/check/check.js';
import { backtrack, type Frame, preemptionsAfter, rootUnits } from '../../src/check/explore/dfs.js';
import { executionSeed, scheduleHash } from '../../src/check/explore/execute.js';
import { mergePartials } from '../../src/check/explore/merge.js';
import { normaliseFailures } from '../../src/check/shrink.js';
import { loadScenario } from '../../src/workload/scenario/load.js';

const frame = (options: number[], last: number, before: number, at = 0): Frame => ({
  kind: 'task',
  options,
  last,
  preemptionsBefore: before,
  at,
});

describe('dfs frames (X1)', () => {
  it('X1: switching away from a runnable task costs one preemption', () => {
    const f = frame([2, 0, 1], 2, 1);
    expect(preemptionsAfter(f, 0)).toBe(1);
    expect(preemptionsAfter(f, 1)).toBe(2);
    expect(preemptionsAfter(frame([0, 1], -1, 0), 1)).toBe(0);
  });

  it('X1: backtrack takes the deepest untried alternative within the bound', () => {
    const frames = [frame([0, 1], 0, 0), frame([1, 0], 1, 0), frame([0, 1], 0, 1)];
    const next = backtrack(frames, 0, 1)!;
    // the deepest frame would need a second preemption: skipped; frame 1 advances
    expect(next).toHaveLength(2);
    expect(next[1]!.at).toBe(1);
    expect(backtrack([frame([0, 1], 0, 0, 1)], 0, 2)).toBeNull();
  });

  it('X4: root units are listed deepest frame first', () => {
    const units = rootUnits([frame([0, 1, 2], -1, 0), frame([1, 0], 1, 0)], 2);
    expect(units).toEqual([
      { frame: 1, option: 1 },
      { frame: 0, option: 1 },
      { frame: 0, option: 2 },
    ]);
  });

  it('X4: per-execution seeds and schedule hashes are deterministic', () => {
    expect(executionSeed(1, 5)).toBe(executionSeed(1, 5));
    expect(executionSeed(1, 5)).not.toBe(executionSeed(1, 6));
    expect(scheduleHash('0x3.1')).toBe(scheduleHash('0x3.1'));
    expect(scheduleHash('0x3.1')).not.toBe(scheduleHash('0x3.2'));
  });

  it('X3: normalising failures drops S tokens after the last F', () => {
    expect(normaliseFailures([0, 'S', 'F', 1, 'S'])).toEqual({ tokens: [0, 'S', 'F', 1], failures: 1 });
    expect(normaliseFailures([0, 'S', 1])).toEqual({ tokens: [0, 1], failures: 0 });
  });
});

describe('exploration results (X2, X4)', () => {
  const sc = loadScenario('builtin:review-thread');

  it('X2: dfs exhausts the bound-1 space of review-thread with no violation', async () => {
    const r = await check(sc, { strategy: 'dfs', preemptions: 1 });
    expect(r).toMatchObject({ result: 'pass', strategy: 'dfs', exhausted: true, preemptionBound: 1 });
    expect(r.executions).toBeGreaterThan(10);
    expect(r.distinctSchedules).toBe(r.executions);
  });

  it('X2: a dfs budget below the space size is reported as not exhausted', async () => {
    const r = await check(sc, { strategy: 'dfs', executions: 20 });
    expect(r).toMatchObject({ result: 'pass', executions: 20, exhausted: false });
  });

  it('X2: random and pct never claim exhaustion', async () => {
    for (const strategy of ['random', 'pct'] as const) {
      const r = await check(sc, { strategy, executions: 30 });
      expect(r).toMatchObject({ result: 'pass', executions: 30, exhausted: false });
      expect(r.distinctSchedules).toBeGreaterThan(1);
    }
  });

  it('X4: the result is the same with 1 and 3 workers for a fixed seed and budget', async () => {
    const strip = (r: Awaited<ReturnType<typeof check>>) => ({ ...r, elapsedMs: 0, workers: 0 });
    for (const strategy of ['random', 'dfs'] as const) {
      const o = {
        strategy,
        executions: strategy === 'dfs' ? 2000 : 400,
        seed: 7,
        mutations: ['review-downgrade-wake-one'],
      };
      const one = await check(sc, { ...o, workers: 1 });
      const three = await check(sc, { ...o, workers: 3 });
      expect(strip(three)).toEqual(strip(one));
      expect(one.result).toBe('violation');
    }
  });

  it('X4: shards partition the executions and merge to the whole', async () => {
    const o = resolveOptions(sc, { strategy: 'random', executions: 40 });
    const a = await check(sc, { strategy: 'random', executions: 40, shard: { index: 0, count: 2 } });
    const b = await check(sc, { strategy: 'random', executions: 40, shard: { index: 1, count: 2 } });
    expect(a.executions + b.executions).toBe(40);
    expect(a.shard).toBe('0/2');
    expect(mergePartials([], o).executions).toBe(0);
  });

  it('rejects bad options with a RangeError naming them', () => {
    expect(() => resolveOptions(sc, { executions: 0 })).toThrow(/executions/);
    expect(() => resolveOptions(sc, { shard: { index: 2, count: 2 } })).toThrow(/shard/);
  });
});
