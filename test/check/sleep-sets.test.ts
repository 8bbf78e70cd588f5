import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, resolveOptions } from '../../src/check/check.js';
import { backtrack, DfsScheduler, type Frame } from '../../src/check/explore/dfs.js';
import { AbortExecution } from '../../src/check/explore/execute.js';
import { mergePartials } from '../../src/check/explore/merge.js';
import { afterStep, GLOBAL, independent, withEntries } from '../../src/check/explore/sleep.js';
import { exploreDfsUnits, sharedBest } from '../../src/check/explore/units.js';
import { MUTATIONS } from '../../src/check/mutations/catalogue.js';
import { Runtime } from '../../src/sim/runtime.js';
import type { K } from '../../src/sim/types.js';
import { loadScenario } from '../../src/workload/scenario/load.js';

/** A toy program: per task, the keys each of its steps touches. */
type Program = string[][][];

/** Explore every schedule of `prog` with the dfs (bound `bound`); the final per-key logs seen. */
function toyDfs(prog: Program, bound: number, reduce: boolean): { executions: number; finals: Set<string> } {
  const finals = new Set<string>();
  let executions = 0;
  let prefix: Frame[] | null = [];
  while (prefix !== null) {
    const s: DfsScheduler = new DfsScheduler(prefix, { reduce, bound });
    const rt = new Runtime({ scheduler: s, footprints: reduce });
    // The shared objects: one log per key, appended to by every step touching it.
    const logs = new Map<string, string[]>();
    prog.forEach((steps, id) => {
      rt.spawn(`t${id}`, function* (): K<void> {
        for (let i = 0; i < steps.length; i++) {
          yield 'p';
          for (const key of steps[i]!) {
            rt.touch(key);
            logs.set(key, [...(logs.get(key) ?? []), `${id}.${i}`]);
          }
        }
      });
    });
    executions++;
    let aborted = false;
    try {
      while (rt.step()) {}
    } catch (e) {
      if (!(e instanceof AbortExecution)) throw e;
      aborted = true;
    }
    if (!aborted) {
      s.closeStep(rt);
      finals.add(JSON.stringify([...logs].sort(([a], [b]) => a.localeCompare(b))));
    }
    prefix = backtrack(s.frames, 0, bound, reduce);
  }
  return { executions, finals };
}

describe('the independence relation (X1)', () => {
  it('X1: disjoint footprints commute; a shared key, `*` (exit/spawn) or unknown does not', () => {
    expect(independent(new Set(['a', 'task:0']), new Set(['b', 'task:1']))).toBe(true);
    expect(independent(new Set(['a']), new Set(['a', 'b']))).toBe(false);
    expect(independent(new Set(['a', '*']), new Set(['b']))).toBe(false);
    expect(independent(new Set(['a']), GLOBAL)).toBe(false);
  });

  it('X1: a step wakes sleeping entries it touches and the task that ran', () => {
    const sleep = [
      { task: 0, fp: new Set(['a']) },
      { task: 1, fp: new Set(['b']) },
      { task: 2, fp: new Set(['c']) },
    ];
    expect(afterStep(sleep, 2, new Set(['b'])).map((e) => e.task)).toEqual([0]);
  });

  it('X1: afterStep keeps exactly the entries of other tasks independent of the step', () => {
    const key = fc.constantFrom('a', 'b', 'c', '*');
    const fp = fc.oneof(
      fc.constant(GLOBAL),
      fc.uniqueArray(key, { maxLength: 3 }).map((ks) => new Set(ks)),
    );
    const entry = fc.record({ task: fc.nat(3), fp });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), fc.nat(3), fp, (sleep, task, step) => {
        const after = afterStep(sleep, task, step);
        expect(after).toEqual(sleep.filter((e) => e.task !== task && independent(e.fp, step)));
        // Sleep sets are never changed once built: an undisturbed set is shared, not copied.
        if (after.length === sleep.length) expect(after).toBe(sleep);
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it('X1: withEntries adds the fresher entry per task, and shares the set when nothing is added', () => {
    const sleep = [
      { task: 0, fp: new Set(['a']) },
      { task: 1, fp: new Set(['b']) },
    ];
    expect(withEntries(sleep, [])).toBe(sleep);
    const fresh = { task: 1, fp: new Set(['c']) };
    expect(withEntries(sleep, [fresh])).toEqual([sleep[0], fresh]);
    expect(sleep.map((e) => e.task)).toEqual([0, 1]);
  });
});

describe('sleep sets on a toy runtime (X1, S6)', () => {
  it('X1: two tasks on disjoint objects: far fewer executions, same final states, both exhaust', () => {
    const prog: Program = [
      [['x'], ['x'], ['x'], ['x']],
      [['y'], ['y'], ['y'], ['y']],
    ];
    const full = toyDfs(prog, 2, false);
    const reduced = toyDfs(prog, 2, true);
    // The exits (global) stay ordered against the other task's steps; nothing else is.
    expect(reduced.executions * 3).toBeLessThan(full.executions);
    expect(reduced.finals).toEqual(full.finals);
  });

  it('X1: with no bound the reduced dfs reaches exactly the final states of the full one', () => {
    const key = fc.constantFrom('a', 'b', 'c');
    const task = fc.array(fc.array(key, { maxLength: 2 }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(task, { minLength: 2, maxLength: 3 }), (prog) => {
        const full = toyDfs(prog, 99, false);
        const reduced = toyDfs(prog, 99, true);
        expect(reduced.finals).toEqual(full.finals);
        expect(reduced.executions).toBeLessThanOrEqual(full.executions);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('X1: under a bound the reduced dfs never reports a final state the full one cannot reach', () => {
    const key = fc.constantFrom('a', 'b');
    const task = fc.array(fc.array(key, { maxLength: 2 }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(task, { minLength: 2, maxLength: 3 }), fc.nat(2), (prog, bound) => {
        const full = toyDfs(prog, bound, false);
        const reduced = toyDfs(prog, bound, true);
        for (const f of reduced.finals) expect(full.finals.has(f)).toBe(true);
      }),
      { numRuns: 60, seed: 12 },
    );
  });

  it('S6: the reduced search is deterministic', () => {
    const prog: Program = [[['a'], ['b']], [['b']], [['c'], ['a']]];
    expect(toyDfs(prog, 2, true)).toEqual(toyDfs(prog, 2, true));
  });
});

describe('sleep sets on the built-in scenarios (X1, X2, X4)', () => {
  for (const name of ['review-thread', 'hole-three-readers', 'eexist-waiter', 'truncate-race']) {
    it(`X1: ${name} at bound 2 exhausts with fewer executions and no violation`, async () => {
      const sc = loadScenario(`builtin:${name}`);
      const o = { strategy: 'dfs' as const, preemptions: 2 };
      const full = await check(sc, { ...o, reduction: false });
      const reduced = await check(sc, o);
      expect(full).toMatchObject({ result: 'pass', exhausted: true });
      expect(reduced).toMatchObject({ result: 'pass', exhausted: true });
      expect(reduced.executions).toBeLessThan(full.executions);
    }, 120_000);
  }

  for (const name of ['review-downgrade-wake-one', 'hole-insert-wake-one', 'review-eexist-no-wake']) {
    it(`X1: the mutation ${name}, found without the reduction, is still found with it`, async () => {
      const m = MUTATIONS.find((x) => x.name === name)!;
      const sc = loadScenario(m.scenario);
      const o = {
        strategy: 'dfs' as const,
        preemptions: 2,
        shrink: false,
        seed: 1,
        ...m.check,
        mutations: [name],
      };
      const full = await check(sc, { ...o, reduction: false });
      const reduced = await check(sc, o);
      expect(full.result).toBe('violation');
      expect(reduced.result).toBe('violation');
      expect(m.expect).toContain(reduced.violation!.invariant);
    }, 120_000);
  }

  it('X4: 1 and 2 workers, and two merged shards, give the same reduced result', async () => {
    const sc = loadScenario('builtin:review-thread');
    const strip = (r: Awaited<ReturnType<typeof check>>) => ({ ...r, elapsedMs: 0, workers: 0 });
    const o = { strategy: 'dfs' as const, preemptions: 1, seed: 3 };
    const one = await check(sc, { ...o, workers: 1 });
    const two = await check(sc, { ...o, workers: 2 });
    expect(strip(two)).toEqual(strip(one));
    const ro = resolveOptions(sc, o);
    const ctx = (i: number) => ({
      assigned: (ordinal: number) => ordinal % 2 === i,
      best: sharedBest(undefined, true),
      deadline: null,
      now: () => 0,
    });
    const merged = mergePartials([exploreDfsUnits(sc, ro, ctx(0)), exploreDfsUnits(sc, ro, ctx(1))], ro);
    expect(merged.executions).toBe(one.executions);
    expect(one.exhausted).toBe(true);
  });
});
