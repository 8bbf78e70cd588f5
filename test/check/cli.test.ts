import { describe, expect, it } from 'vitest';
import { daxsim } from '../cli/helpers.js';

/** check of the review-thread table with the wake-one bug put back: one worker, JSON out. */
const CHECK_REVIEW_BUG = [
  'check',
  'builtin:review-thread',
  '--mutation',
  'review-downgrade-wake-one',
  '--json',
  '--workers',
  '1',
];

describe('daxsim check / replay / mutations (design.md CLI contract, built binary)', () => {
  it('X3: check exits 1 with a counterexample and the --json contract fields', () => {
    const r = daxsim(CHECK_REVIEW_BUG);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(j).toMatchObject({ result: 'violation', strategy: 'random', exhausted: false });
    for (const k of ['executions', 'elapsedMs']) expect(typeof j[k]).toBe('number');
    expect(j.violation).toMatchObject({ invariant: 'V1', seed: 1 });
    for (const k of ['message', 'schedule', 'table']) expect(typeof j.violation[k]).toBe('string');
  });

  it('X1/X4: check exits 0 on the unmutated model, dfs exhausted, with 2 worker threads', () => {
    const r = daxsim([
      'check',
      'builtin:hole-three-readers',
      '--strategy',
      'dfs',
      '--workers',
      '2',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      result: 'pass',
      strategy: 'dfs',
      exhausted: true,
      workers: 2,
    });
  });

  it('X4: worker threads give the same result as one worker (built code)', () => {
    const args = [
      'check',
      'builtin:review-thread',
      '--strategy',
      'dfs',
      '--executions',
      '2000',
      '--mutation',
      'review-downgrade-wake-one',
      '--json',
    ];
    const one = JSON.parse(daxsim([...args, '--workers', '1']).stdout);
    const two = JSON.parse(daxsim([...args, '--workers', '2']).stdout);
    for (const j of [one, two]) {
      j.elapsedMs = 0;
      j.workers = 0;
    }
    expect(two).toEqual(one);
  });

  it('exits 2 on a bad flag, with a one-line message', () => {
    const r = daxsim(['check', 'builtin:review-thread', '--strategy', 'bfs']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(daxsim(['check', 'builtin:review-thread', '--shard', '3/2']).code).toBe(2);
  });

  it('S6: replay re-runs a schedule, prints the thread table, exits 1 on the violation', () => {
    const c = JSON.parse(daxsim(CHECK_REVIEW_BUG).stdout);
    const r = daxsim([
      'replay',
      'builtin:review-thread',
      '--schedule',
      c.violation.schedule,
      '--mutation',
      'review-downgrade-wake-one',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('V1 violated');
    expect(r.stdout).toMatch(/setup\s+t1\s+t2\s+t3/);
    expect(r.stdout).toContain('forever');
    const bad = daxsim(['replay', 'builtin:review-thread', '--schedule', '7x3']);
    expect(bad.code).toBe(2);
  });

  it('U1: mutations --json lists the catalogue entries', () => {
    const r = daxsim(['mutations', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; scenario: string; equivalent: boolean }[];
    expect(list.length).toBeGreaterThan(20);
    for (const m of list) {
      expect(m).toHaveProperty('origin');
      expect(m).toHaveProperty('rule');
      expect(m.scenario).toMatch(/^builtin:/);
    }
  });

  it('U3: mutations --check prints a 100% mutation score, every equivalence claim proven', () => {
    const r = daxsim(['mutations', '--check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /mutation score: 100% \((\d+)\/\1 killed, (\d+)\/\2 equivalence claims proven\)/,
    );
    expect(r.stdout).toMatch(/skip-recheck@pmd-slot-recheck +builtin:cow-pmd-replace +killed: V[45]/);
    expect(r.stdout).toMatch(
      /skip-recheck@zero-pmd-recheck +builtin:zero-pmd-cow +equivalent: proven \(dfs bound 2, \d+ executions, exhausted, no violation\)/,
    );
  });

  it('X1: --no-reduction explores more executions than the sleep-set dfs, both exhausted with no violation', () => {
    const run = (extra: string[]) =>
      JSON.parse(
        daxsim(['check', 'builtin:truncate-race', '--strategy', 'dfs', '--workers', '1', '--json', ...extra])
          .stdout,
      );
    const reduced = run([]);
    const full = run(['--no-reduction']);
    expect(reduced).toMatchObject({ result: 'pass', exhausted: true });
    expect(full).toMatchObject({ result: 'pass', exhausted: true });
    expect(reduced.executions).toBeLessThan(full.executions);
  });

  it('X3: the replay line of a counterexample names the scenario as it was given', () => {
    const r = daxsim([
      'check',
      'scenarios/review-thread.yaml',
      '--mutation',
      'review-downgrade-wake-one',
      '--workers',
      '1',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'replay: daxsim replay scenarios/review-thread.yaml --profile fixed --schedule ',
    );
  });
});
