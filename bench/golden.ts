/**
 * The checker's golden digest: `node dist/bench/golden.js > digest.txt`.
 *
 * A speed change must change no result. Run this from the build before and the build after
 * and compare the two files: they must be identical. One line per item:
 * - each built-in but seq-64g, seeds 1-3: digests of the schedule, the fault counts, the
 *   entries and the violations, and the number of trace events;
 * - each built-in, random and dfs (300 executions, seed 1): verdict, executions, the first
 *   counterexample's schedule and invariant;
 * - each catalogue mutation on its scenario (2,000 executions, seed 1): the same.
 *
 * Invariant: the output depends only on the model and the checker, never on the host (no
 * timings, no worker count), so any difference is a change of behaviour.
 */
import { createHash } from 'node:crypto';
import {
  buildReport,
  check,
  listBuiltinScenarios,
  loadScenario,
  MUTATIONS,
  runScenario,
} from '../src/index.js';

/** A short digest of `x`'s JSON. */
function digest(x: unknown): string {
  return createHash('sha1').update(JSON.stringify(x)).digest('hex').slice(0, 10);
}

async function main(): Promise<void> {
  const out: string[] = [];
  for (const s of listBuiltinScenarios()) {
    // 32,768 PMD faults three times over: seconds of work that the other rows already cover.
    if (s.name.startsWith('seq-64g')) continue;
    const sc = loadScenario(`builtin:${s.name}`);
    for (const seed of [1, 2, 3]) {
      const r = runScenario(sc, { seed, trace: true });
      const rep = buildReport(r);
      const fields = [digest(r.schedule), digest(rep.faults), digest(rep.entries), digest(r.violations)];
      out.push([s.name, seed, ...fields, r.world.rt.trace.events.length].join(' '));
    }
    for (const strategy of ['random', 'dfs'] as const) {
      const c = await check(sc, { strategy, executions: 300, seed: 1 });
      const v = c.violation;
      out.push([s.name, strategy, c.result, c.executions, v?.schedule ?? '', v?.invariant ?? ''].join(' '));
    }
  }
  for (const m of MUTATIONS) {
    const c = await check(loadScenario(m.scenario), { mutations: [m.name], executions: 2000, seed: 1 });
    const v = c.violation;
    out.push([m.name, c.result, c.executions, v?.schedule ?? '', v?.invariant ?? ''].join(' '));
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
