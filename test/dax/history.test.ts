/**
 * H1-H3: the review of the seed, the 4 KiB hole wake-up and the colour check. Each test shows
 * the correct model passing and the named mutation putting the historical bug back, observed
 * the way the checker would see it (V1 lost wake-up, V2 lock left held), under a scripted
 * interleaving where the bug needs one. H4-H8 are in history-races.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ReplayScheduler } from '../../src/sim/replay-scheduler.js';
import { RoundRobinScheduler } from '../../src/sim/scheduler.js';
import type { Task } from '../../src/sim/task.js';
import { dataFile, P_WHOLE, Q_HIGH } from '../helpers/fixtures.js';
import { holding, untilWaiters } from '../helpers/hold.js';
import { treeSummary } from '../helpers/inspect.js';
import { REVIEW_YAML, reviewScheduler } from '../helpers/review.js';
import { describeViolations, expectCleanRun, invariants, runYaml } from '../helpers/scenario.js';
import { YAML_Q_LOW, yamlProc, yamlScenario } from '../helpers/scenario-yaml.js';
import { atPoint, PhaseScheduler, sleepingOn } from '../helpers/schedulers.js';
import { loadMap, makeWorld, quiescentViolations, spawn } from '../helpers/world.js';

describe('H1: the review of the seed', () => {
  /** A hand-held 4 KiB entry at 0x200; a 2 MiB fault queues on it first, then a 4 KiB fault. */
  function eexist(mutations: string[]) {
    const world = makeWorld({
      files: dataFile({ layout: 'allocated' }),
      processes: [P_WHOLE, Q_HIGH],
      scheduler: new RoundRobinScheduler(),
      mutations,
    });
    const mapping = world.file('data');
    const faults: Task[] = [];
    spawn(world, 'holder', () =>
      holding(world, mapping, 0x200, 'pte', function* () {
        faults.push(spawn(world, 'huge', () => loadMap(world, 'p', 'm', 0x201000, 1)));
        yield* untilWaiters(world, mapping, 0x200, 1, '2 MiB fault waits');
        faults.push(spawn(world, 'small', () => loadMap(world, 'q', 's', 0, 1)));
        yield* untilWaiters(world, mapping, 0x200, 2, '4 KiB fault waits');
      }),
    );
    world.rt.run();
    return { violations: quiescentViolations(world), states: faults.map((t) => t.state) };
  }

  it('H1/G1: a 2 MiB fault that meets a 4 KiB entry passes the wake-up on; both faults finish', () => {
    expect(eexist([])).toEqual({ violations: [], states: ['done', 'done'] });
  });

  it('H1/G1 review-eexist-no-wake: without the put the 4 KiB fault sleeps forever (V1)', () => {
    const r = eexist(['review-eexist-no-wake']);
    expect(r.states).toEqual(['done', 'sleeping']);
    expect(invariants(r.violations)).toContain('V1');
    expect(r.violations.find((v) => v.invariant === 'V1')?.message).toMatch(
      /small#\d+ sleeping[\s\S]*data:0x200/,
    );
  });

  const PRELOAD_FAIL = yamlScenario(
    'size: 2MiB',
    [yamlProc('p', 'm', '0', '2MiB'), YAML_Q_LOW],
    `
inject: [{ site: radix-preload, nth: 2 }]
tasks:
  - { name: zero, process: p, ops: [{ read: { map: m, offset: 0, length: 1 } }] }
  - { name: small, process: q, after: [zero], ops: [{ read: { map: s, offset: 0x3000, length: 1 } }] }
`,
  );

  it('H1/G2: a radix preload failure during downgrade leaves nothing locked (the fault is OOM)', () => {
    const { result, report } = runYaml(PRELOAD_FAIL);
    expect(report.tasks).toEqual({ zero: 'done', small: 'OOM' });
    expect(result.violations).toEqual([]);
    expect(treeSummary(result.world.file('data'))).toEqual(['0x0:pmd-zero']);
  });

  it('H1/G2 review-preload-no-unlock: the 2 MiB entry stays locked (V2)', () => {
    const { result } = runYaml(PRELOAD_FAIL, { mutations: ['review-preload-no-unlock'] });
    expect(invariants(result.violations)).toEqual(['V2']);
    expect(result.violations[0]!.message).toMatch(
      /entry left locked: mapping data index 0x0 \(pmd-zero locked\)/,
    );
  });

  it('H1/G2: the review-thread table completes with the wake-all', () => {
    const { report } = expectCleanRun(REVIEW_YAML, { scheduler: reviewScheduler() });
    expect(report.tasks).toEqual({ setup: 'done', t1: 'done', t2: 'done', t3: 'done' });
  });

  it('H1/G2 review-downgrade-wake-one: the table hangs; V1 names t3 asleep on key 0x200', () => {
    const { result, report } = runYaml(REVIEW_YAML, {
      scheduler: reviewScheduler(),
      mutations: ['review-downgrade-wake-one'],
    });
    expect(report.tasks).toEqual({ setup: 'done', t1: 'done', t2: 'done', t3: 'blocked' });
    expect(invariants(result.violations)).toEqual(['V1']);
    expect(result.violations[0]!.message).toMatch(/t3#\d+ sleeping[\s\S]*key data:0x200/);
    // The schedule the script produced replays exactly (S6).
    const again = runYaml(REVIEW_YAML, {
      scheduler: new ReplayScheduler(result.schedule),
      mutations: ['review-downgrade-wake-one'],
    });
    expect(again.report.tasks).toEqual(report.tasks);
    expect(again.result.schedule).toBe(result.schedule);
  });

  it('H1/M4: an empty file faults SIGBUS at 2 MiB without the unsigned wrap of max_pgoff', () => {
    const tasks = `tasks: [{ name: t, ops: [{ read: { map: m, offset: 0, length: 1 } }] }]`;
    const { report } = runYaml(yamlScenario('size: 0', [yamlProc('p', 'm', '0', '2MiB')], tasks));
    expect(report.tasks).toEqual({ t: 'SIGBUS' });
    expect(report.faults).toMatchObject({ sigbus: 1, fallback: 0, pte: 0 });
  });
});

describe('H2: three read faults on one 4 KiB hole', () => {
  const HOLE3 = yamlScenario(
    'size: 4MiB',
    [YAML_Q_LOW],
    `
tasks:
  - { name: t1, process: q, ops: [{ read: { map: s, offset: 0x5000, length: 1 } }] }
  - { name: t2, process: q, ops: [{ read: { map: s, offset: 0x5000, length: 1 } }] }
  - { name: t3, process: q, ops: [{ read: { map: s, offset: 0x5000, length: 1 } }] }
`,
  );
  // t1 holds the locked empty entry at 5 and is about to allocate the hole page; t2 and t3 sleep on it.
  const script = () =>
    new PhaseScheduler([
      { task: 't1', until: atPoint('alloc(page-alloc)') },
      { task: 't2', until: sleepingOn(5) },
      { task: 't3', until: sleepingOn(5) },
    ]);

  it('H2/P6: the hole page replaces the locked empty entry and wakes all its waiters', () => {
    const { result, report } = runYaml(HOLE3, { scheduler: script() });
    expect(report.tasks).toEqual({ t1: 'done', t2: 'done', t3: 'done' });
    expect(result.violations).toEqual([]);
  });

  it('H2 hole-insert-wake-one: one waiter sleeps forever (V1)', () => {
    const { result, report } = runYaml(HOLE3, { scheduler: script(), mutations: ['hole-insert-wake-one'] });
    expect(Object.values(report.tasks).filter((s) => s === 'blocked')).toHaveLength(1);
    expect(invariants(result.violations)).toEqual(['V1']);
    expect(result.violations[0]!.message).toMatch(/key data:0x5/);
  });
});

describe('H3: the colour check', () => {
  const MISALIGNED = yamlScenario(
    'size: 4MiB',
    [yamlProc('p', 'm', '0', '4MiB', ', address: "0x7f0000201000"')],
    `
tasks:
  - name: reader
    ops:
      # Mapping offset 2 MiB is file index 0x200; its PMD-aligned address is index 0x1ff.
      - read: { map: m, offset: 2MiB, length: 1 }
      - read: { map: m, offset: 0, length: 1 }
`,
  );

  it('H3/M3 (colour-check=on): a misaligned VMA falls back on colour, first of all checks, and maps 4 KiB', () => {
    const { result, report } = runYaml(MISALIGNED);
    expect(result.violations).toEqual([]);
    expect(report.faults.fallbackReasons).toEqual({ colour: 2 });
    expect(report.tasks).toEqual({ reader: 'done' });
    expect(treeSummary(result.world.file('data'))).toEqual(['0x0:hole-page', '0x200:hole-page']);
  });

  it('H3 (colour-check=off, pmd-insert-index=aligned, 4.10): the huge zero PMD covers a tree block with no entry (V4)', () => {
    // Checked after every step: the second read's downgrade (G2) unmaps the PMD again.
    const { result } = runYaml(MISALIGNED, {
      profile: '4.10',
      checkEachStep: true,
      elideForcedPoints: false,
    });
    expect(invariants(result.violations)).toContain('V4');
    expect(describeViolations(result.violations)).toMatch(
      /data index 0x1ff\): huge PMD \(zero\) but the tree has pmd-zero( locked)? at 0x0/,
    );
  });

  it('H3 (colour-check=off, pmd-insert-index=faulting, 4.11): the insert at the faulting page writes a locked entry into a 64-page slot (V2, V3)', () => {
    const { result } = runYaml(MISALIGNED, { profile: '4.11' });
    expect(invariants(result.violations)).toEqual(expect.arrayContaining(['V2', 'V3']));
    expect(describeViolations(result.violations)).toMatch(/index 0x200: pmd-zero locked stored at order 6/);
  });
});
