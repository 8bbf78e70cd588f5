import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FaultInjector, type InjectRule } from '../../src/sim/fault-injector.js';
import { Prng } from '../../src/sim/prng.js';
import { RandomScheduler } from '../../src/sim/random-scheduler.js';
import { ReplayScheduler } from '../../src/sim/replay-scheduler.js';
import { Runtime } from '../../src/sim/runtime.js';
import { RunToCompletionScheduler, type Scheduler } from '../../src/sim/scheduler.js';
import type { AllocSite } from '../../src/sim/types.js';

function pattern(inj: FaultInjector, site: AllocSite, n: number): boolean[] {
  return Array.from({ length: n }, () => inj.shouldFail(site));
}

describe('FaultInjector rules (S4)', () => {
  it('S4: never fails without rules', () => {
    const inj = FaultInjector.never();
    expect(pattern(inj, 'page-alloc', 5)).toEqual([false, false, false, false, false]);
    expect(inj.calls('page-alloc')).toBe(5);
    expect(inj.failures('page-alloc')).toBe(0);
  });

  it('S4: nth fails exactly the Nth call of its site (1-based), other sites untouched', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), (nth) => {
        const inj = new FaultInjector([{ site: 'radix-preload', nth }]);
        const p = pattern(inj, 'radix-preload', 12);
        expect(p.map((f, i) => (f ? i + 1 : 0)).filter((x) => x > 0)).toEqual([nth]);
        expect(pattern(inj, 'block-alloc', 12).some(Boolean)).toBe(false);
        expect(inj.failures('radix-preload')).toBe(1);
      }),
    );
  });

  it('S4: every fails every call; with nth, every call from the Nth on', () => {
    expect(
      pattern(new FaultInjector([{ site: 'huge-zero-page', every: true }]), 'huge-zero-page', 3),
    ).toEqual([true, true, true]);
    expect(
      pattern(new FaultInjector([{ site: 'block-alloc', every: true, nth: 3 }]), 'block-alloc', 4),
    ).toEqual([false, false, true, true]);
  });

  it('S4: probability is seeded: same seed, same failures; roughly p of the calls', () => {
    const mk = (seed: number) =>
      new FaultInjector([{ site: 'page-alloc', probability: 0.25 }], new Prng(seed));
    expect(pattern(mk(3), 'page-alloc', 100)).toEqual(pattern(mk(3), 'page-alloc', 100));
    const n = pattern(mk(4), 'page-alloc', 1000).filter(Boolean).length;
    expect(n).toBeGreaterThan(180);
    expect(n).toBeLessThan(320);
  });

  it('rejects malformed rules with a message saying what is expected', () => {
    const bad: [InjectRule, RegExp][] = [
      [{ site: 'page-alloc' }, /give nth, every: true or probability/],
      [{ site: 'page-alloc', nth: 0 }, /nth 0 must be an integer >= 1/],
      [{ site: 'page-alloc', probability: 1.5 }, /probability 1.5 must be in \[0, 1\]/],
      [{ site: 'nope' as AllocSite, every: true }, /unknown allocation site 'nope'/],
    ];
    for (const [r, msg] of bad) expect(() => new FaultInjector([r], new Prng(1))).toThrow(msg);
    expect(() => new FaultInjector([{ site: 'page-alloc', probability: 0.5 }])).toThrow(/needs a Prng/);
  });
});

/** One task doing `n` allocations at `site`; returns the results. */
function allocs(scheduler: Scheduler, injector: FaultInjector, n: number, site: AllocSite = 'radix-preload') {
  const rt = new Runtime({ scheduler, injector, recordChoices: true, elideForcedPoints: false });
  const results: boolean[] = [];
  rt.spawn('allocator', function* () {
    for (let i = 0; i < n; i++) results.push(yield* rt.alloc(site));
  });
  const out = rt.run();
  return { rt, out, results };
}

describe('FaultInjector through Runtime.alloc (S4)', () => {
  it('S4: the Nth call of a site fails at the runtime allocation point', () => {
    const { results, rt } = allocs(
      new RunToCompletionScheduler(),
      new FaultInjector([{ site: 'radix-preload', nth: 2 }]),
      4,
    );
    expect(results).toEqual([true, false, true, true]);
    expect(rt.choices).toEqual([]);
    expect(rt.steps).toBe(5);
  });

  it('S4: choice mode records F/S choices, bounded by maxFailures, and replays them', () => {
    const choice = () => new FaultInjector([], undefined, { choice: { maxFailures: 2 } });
    const a = allocs(new RandomScheduler(5, { failureProbability: 1 }), choice(), 5);
    expect(a.results).toEqual([false, false, true, true, true]);
    expect(a.out.schedule).toBe('Fx2');
    expect(a.rt.injector.chosenFailures).toBe(2);
    const b = allocs(new ReplayScheduler(a.out.schedule), choice(), 5);
    expect(b.results).toEqual(a.results);
    // A prefix; run-to-completion (never fails) answers the remaining choices.
    const c = allocs(new ReplayScheduler('S.F', { fallback: new RunToCompletionScheduler() }), choice(), 5);
    expect(c.results).toEqual([true, false, true, true, true]);
    expect(c.out.schedule).toBe('S.F.Sx3');
  });

  it('S4: choice mode offers only the configured sites; rule failures are not choices', () => {
    const inj = new FaultInjector([{ site: 'page-alloc', nth: 1 }], undefined, {
      choice: { maxFailures: 5, sites: ['block-alloc'] },
    });
    const { results, out } = allocs(new RunToCompletionScheduler(), inj, 2, 'page-alloc');
    expect(results).toEqual([false, true]);
    expect(out.schedule).toBe('');
    expect(inj.canChoose('block-alloc')).toBe(true);
    expect(inj.canChoose('page-alloc')).toBe(false);
  });
});
