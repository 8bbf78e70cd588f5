/**
 * `daxsim view` and `daxsim check --view` through the built binary: export, serve, and the
 * one-line exit-2 errors of the CLI contract.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ViewData } from '../../src/view/view-data.js';
import { daxsim, ROOT, tempFiles } from '../cli/helpers.js';
import { exportedData } from './helpers.js';

const MUT = ['--mutation', 'review-downgrade-wake-one'];

describe('daxsim view', () => {
  it('--export writes one self-contained page: inline app and data, a CSP that forbids any load', () => {
    const dir = tempFiles({});
    const file = join(dir, 'rt.html');
    const r = daxsim(['view', 'builtin:review-thread', ...MUT, '--export', file]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${file}\n`);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(http/i);
    const data = exportedData(file);
    expect(data.run).toMatchObject({ mode: 'seed', seed: 1, mutations: ['review-downgrade-wake-one'] });
    expect(data.endRows[0]![2]).toContain('data:0x200');
  });

  it('--schedule replays a schedule exactly (daxsim replay), --seed the seeded run (daxsim run)', () => {
    const dir = tempFiles({});
    const run = JSON.parse(daxsim(['run', 'builtin:review-thread', ...MUT, '--seed', '3', '--json']).stdout);
    const a = join(dir, 'seed.html');
    const b = join(dir, 'schedule.html');
    expect(daxsim(['view', 'builtin:review-thread', ...MUT, '--seed', '3', '--export', a]).code).toBe(0);
    expect(
      daxsim([
        'view',
        'builtin:review-thread',
        ...MUT,
        '--seed',
        '3',
        '--schedule',
        run.schedule,
        '--export',
        b,
      ]).code,
    ).toBe(0);
    const seeded = exportedData(a);
    const replayed = exportedData(b);
    expect(seeded.run).toMatchObject({ mode: 'seed', steps: run.steps, schedule: run.schedule });
    expect(replayed.run).toMatchObject({ mode: 'schedule', steps: run.steps, schedule: run.schedule });
    expect(replayed.rows).toEqual(seeded.rows);
  });

  it('check --view exports the shrunk counterexample (its schedule, replayed)', () => {
    const dir = tempFiles({});
    const file = join(dir, 'cex.html');
    const r = daxsim(['check', 'builtin:review-thread', ...MUT, '--workers', '1', '--json', '--view', file]);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout).violation;
    const data = exportedData(file);
    expect(data.run).toMatchObject({ mode: 'schedule', schedule: v.schedule, seed: v.seed, steps: v.steps });
    expect(data.run.problems[0]).toMatch(/^V1 violated/);
  });

  it('serves on 127.0.0.1 and prints the URL as its first line; SIGINT stops it with exit 0', async () => {
    const child = spawn(process.execPath, [
      join(ROOT, 'dist/src/cli/main.js'),
      'view',
      'builtin:review-thread',
    ]);
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(`${url}run.json`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as ViewData).scenario.name).toBe('review-thread');
    const code = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await code).toBe(0);
  });

  it('bad input exits 2 with one line: flags, schedule, export path, scenario', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, 'sub'));
    const cases: [string[], RegExp][] = [
      [['view', 'builtin:review-thread', '--seed', 'x', '--export', join(dir, 'a.html')], /--seed/],
      [['view', 'builtin:review-thread', '--max-failures', '1'], /--max-failures: only with --schedule/],
      [['view', 'builtin:review-thread', '--schedule', 'zz!'], /--schedule/],
      [['view', 'builtin:review-thread', '--schedule', '9x3', '--export', join(dir, 'b.html')], /--schedule/],
      [['view', 'builtin:review-thread', '--export', join(dir, 'missing/x.html')], /--export: cannot write/],
      [['view', 'builtin:review-thread', '--export', join(dir, 'sub')], /--export: .* is a directory/],
      [['view', 'builtin:review-thread', '--port', '70000'], /--port/],
      [['view', 'builtin:no-such-scenario', '--export', join(dir, 'c.html')], /no-such-scenario/],
      [['view', 'builtin:review-thread', '--bogus'], /unknown option/],
      [['check', 'builtin:review-thread', '--view', join(dir, 'missing/x.html')], /--view: cannot write/],
    ];
    for (const [args, msg] of cases) {
      const r = daxsim(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(msg);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
