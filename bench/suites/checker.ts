/**
 * Checker suite (X1-X4, U3): executions per second on builtin:review-thread under the random
 * walk and dfs, time to the first counterexample for every non-equivalent catalogue mutation
 * (median over 5 seeds; quick: 1), and the time to exhaust review-thread's dfs space at
 * preemption bound 2 (quick: bound 1). All in one thread (workers: 1).
 * Targets: random >= 10,000 and dfs >= 5,000 executions/s (issue 6, and the scale-out issue
 * for dfs, which pays for footprint recording); each mutation found in < 10 s; bound 2
 * exhausted in < 60 s.
 */
import { check } from '../../src/check/check.js';
import { MUTATIONS } from '../../src/check/mutations/catalogue.js';
import { SCORE_PLAN } from '../../src/check/mutations/score.js';
import { loadScenario } from '../../src/workload/scenario/load.js';
import {
  type BenchResult,
  median,
  result,
  type Suite,
  type SuiteOptions,
  summarise,
  withTarget,
} from '../harness.js';

const SUITE = 'checker';

async function execsPerSecond(
  strategy: 'random' | 'dfs',
  executions: number,
  reps: number,
): Promise<number[]> {
  const sc = loadScenario('builtin:review-thread');
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const res = await check(sc, { strategy, executions, seed: r + 1 });
    out.push((res.executions * 1000) / (performance.now() - t0));
  }
  return out;
}

async function timeToFind(name: string, seeds: number): Promise<number> {
  const m = MUTATIONS.find((x) => x.name === name)!;
  const sc = loadScenario(m.scenario);
  const times: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const t0 = performance.now();
    for (const plan of SCORE_PLAN) {
      const r = await check(sc, { ...plan, seed, ...m.check, mutations: [name], shrink: false });
      if (r.violation !== undefined) break;
    }
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** The registered suite. */
export const checkerSuite: Suite = {
  name: SUITE,
  async run(opts: SuiteOptions): Promise<BenchResult[]> {
    const out: BenchResult[] = [];
    const reps = opts.quick ? 2 : 5;
    const target = (bound: number) => ({ on: 'value' as const, op: '>=' as const, bound });
    const random = await execsPerSecond('random', opts.quick ? 300 : 3000, reps);
    out.push(
      withTarget(
        result(SUITE, 'review-thread random, executions/s', 'exec/s', summarise(random)),
        target(10_000),
      ),
    );
    const dfs = await execsPerSecond('dfs', opts.quick ? 300 : 3000, reps);
    out.push(
      withTarget(result(SUITE, 'review-thread dfs, executions/s', 'exec/s', summarise(dfs)), target(5_000)),
    );
    const bound = opts.quick ? 1 : 2;
    const t0 = performance.now();
    const ex = await check(loadScenario('builtin:review-thread'), { strategy: 'dfs', preemptions: bound });
    const secs = (performance.now() - t0) / 1000;
    const name = `review-thread dfs bound ${bound} exhausted=${ex.exhausted} (${ex.executions} executions)`;
    out.push(withTarget(result(SUITE, name, 's', summarise([secs])), { on: 'value', op: '<=', bound: 60 }));
    for (const m of MUTATIONS.filter((x) => !x.equivalent)) {
      const s = await timeToFind(m.name, opts.quick ? 1 : 5);
      out.push(
        withTarget(result(SUITE, `first counterexample: ${m.name}`, 's', summarise([s])), {
          on: 'value',
          op: '<=',
          bound: 10,
        }),
      );
    }
    return out;
  },
};
