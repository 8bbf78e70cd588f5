import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.js';
import { MUTATIONS } from '../../src/check/mutations/catalogue.js';
import { SCORE_PLAN, verdictOf } from '../../src/check/mutations/score.js';
import { replaySchedule } from '../../src/check/replay.js';
import { MUTATION_SITES } from '../../src/dax/mutation-flags.js';
import { ReplayScheduler } from '../../src/sim/replay-scheduler.js';
import { checkV2 } from '../../src/verify/locks.js';
import { runScenario } from '../../src/workload/run.js';
import { loadScenario } from '../../src/workload/scenario/load.js';

const live = MUTATIONS.filter((m) => !m.equivalent);

describe('the mutation catalogue (U1, U2)', () => {
  it('U2: names are unique and include the required mutations', () => {
    const names = MUTATIONS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of [
      'review-eexist-no-wake',
      'review-preload-no-unlock',
      'review-downgrade-wake-one',
      'hole-insert-wake-one',
      'no-colour-check',
      'write-invalidate-early',
      'dirty-clear-no-wrprotect',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('U2: every operator is listed at every site it applies to', () => {
    const names = new Set(MUTATIONS.map((m) => m.name));
    for (const op of ['skip-recheck']) {
      for (const site of ['grab-recheck', 'pmd-slot-recheck', 'zero-pmd-recheck', 'hole-page-recheck']) {
        expect(names.has(`${op}@${site}`)).toBe(true);
      }
    }
    const wakeSites = Object.values(MUTATION_SITES).filter((s) => !s.includes('recheck'));
    for (const site of wakeSites) expect(names.has(`drop-wake@${site}`)).toBe(true);
  });

  it('U1: every entry has an origin, a rule, a builtin scenario, and equivalent ones an argument', () => {
    for (const m of MUTATIONS) {
      expect(m.scenario).toMatch(/^builtin:[a-z0-9-]+$/);
      expect(m.rule.length).toBeGreaterThan(0);
      expect(['review', 'upstream-fix', 'synthetic']).toContain(m.origin);
      if (m.equivalent) expect(m.argument.length).toBeGreaterThan(40);
      expect(() => loadScenario(m.scenario)).not.toThrow();
    }
  });
});

describe('U3: the checker kills every non-equivalent mutation', () => {
  for (const m of live) {
    it(`${m.name} (${m.rule}) on ${m.scenario}: a violation of ${m.expect.join('/')} whose shrunk schedule replays`, async () => {
      const v = await verdictOf(m, { shrink: false });
      expect(v.found).toBe(true);
      const plan = SCORE_PLAN.find((p) => p.strategy === v.strategy)!;
      const sc = loadScenario(m.scenario);
      const r = await check(sc, { ...plan, seed: 1, ...m.check, mutations: [m.name] });
      const cx = r.violation!;
      expect(m.expect).toContain(cx.invariant);
      expect(cx.preemptions).toBeLessThanOrEqual(cx.original.preemptions);
      const rep = replaySchedule(sc, cx.schedule, {
        seed: cx.seed,
        mutations: [m.name],
        maxFailures: cx.maxFailures,
      });
      expect(rep.outcome.violations[0]?.invariant).toBe(cx.invariant);
      expect(cx.table).toContain('step');
    });
  }
});

describe('the unmutated model (V1-V7)', () => {
  // builtin:invalidate-waiters exposes a model bug (V4 at quiescence), reported, not fixed here.
  const scenarios = [...new Set(MUTATIONS.map((m) => m.scenario))].sort();

  it('V4: write(2) racing faults on a zero entry leaves no PTE without an entry (the bug the checker found, fixed)', async () => {
    const sc = loadScenario('builtin:invalidate-waiters');
    const replay = '1.3x4.1x2.2x3.1.3x2.1.2x2.1x10.3x7.2x6';
    const r = await check(sc, { executions: 300, seed: 1 });
    expect(r.violation?.message ?? null).toBeNull();
    const run = runScenario(sc, { scheduler: new ReplayScheduler(replay, { lenient: true }) });
    expect(run.violations).toEqual([]);
  });

  for (const ref of scenarios) {
    it(`V1-V7 hold on ${ref} under the random walk and bounded dfs budgets`, async () => {
      const sc = loadScenario(ref);
      for (const plan of SCORE_PLAN) {
        const r = await check(sc, { ...plan, executions: Math.min(plan.executions, 800), seed: 1 });
        expect(r.violation?.message ?? null).toBeNull();
      }
      const withFailures = await check(sc, { strategy: 'random', executions: 100, maxFailures: 1 });
      expect(withFailures.violation?.message ?? null).toBeNull();
    });
  }
});

describe('fault injection (S4, G2)', () => {
  const sc = loadScenario('builtin:downgrade-preload-fail');

  it('V2: a preload failure during a downgrade leaves nothing locked', () => {
    const r = runScenario(sc);
    expect(r.outcomes.t1).toBe('OOM');
    expect(r.violations).toEqual([]);
    expect(checkV2(r.world)).toEqual([]);
  });

  it('V2: with review-preload-no-unlock the entry stays locked', () => {
    const r = runScenario(sc, { mutations: ['review-preload-no-unlock'] });
    expect(r.violations.map((v) => v.invariant)).toContain('V2');
  });

  it('X1: exploring preload failures as choices on review-thread finds drop-wake@grab-downgrade-unlock', async () => {
    const rt = loadScenario('builtin:review-thread');
    const r = await check(rt, {
      maxFailures: 1,
      executions: 300,
      mutations: ['drop-wake@grab-downgrade-unlock'],
    });
    expect(r.violation?.invariant).toBe('V1');
    expect(r.violation?.schedule).toContain('F');
    expect(r.violation?.maxFailures).toBe(1);
  });
});
