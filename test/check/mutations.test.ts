import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.js';
import { MUTATIONS } from '../../src/check/mutations/catalogue.js';
import { SCORE_PLAN, verdictOf } from '../../src/check/mutations/score.js';
import { replaySchedule } from '../../src/check/replay.js';
import { MUTATION_SITES } from '../../src/dax/mutation-flags.js';
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

  it('U3: every equivalent mutation carries a proof: a builtin scenario dfs must exhaust under a bound', () => {
    for (const m of MUTATIONS.filter((x) => x.equivalent)) {
      expect(m.proof, m.name).toBeDefined();
      expect(m.proof!.scenario).toBe(m.scenario);
      expect(m.proof!.preemptions).toBeGreaterThanOrEqual(1);
    }
  });

  it('U3: the zero-PMD proof scenario breaks the claim once its premise goes (pte-table-alloc=early: V4, a leaked table)', async () => {
    const m = MUTATIONS.find((x) => x.name === 'skip-recheck@zero-pmd-recheck')!;
    const sc = loadScenario(m.proof!.scenario);
    const opts = {
      strategy: 'dfs' as const,
      preemptions: m.proof!.preemptions,
      executions: 20_000,
      shrink: false,
    };
    const broken = await check(sc, { ...opts, mutations: [m.name, 'pte-table-alloc=early'] });
    expect(broken.violation?.invariant).toBe('V4');
    expect(broken.violation?.message).toMatch(/overwrote a PTE table/);
    const proof = await check(sc, { ...opts, mutations: [m.name] });
    expect(proof.violation).toBeUndefined();
    expect(proof.exhausted).toBe(true);
  });

  it('a switch mutation under a profile that already has it is not scored (in profile)', async () => {
    const m = MUTATIONS.find((x) => x.name === 'no-colour-check')!;
    const v = await verdictOf(m, { shrink: false, profile: '4.12' });
    expect(v.inProfile).toBe(true);
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
  const scenarios = [...new Set(MUTATIONS.map((m) => m.scenario))].sort();

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
