/**
 * Inputs the schema accepts but the model cannot hold, output files that cannot be written,
 * replay schedules that do not fit, absurd flags: each is exit 2 with one line naming the file,
 * line and key, or the flag (design.md exit codes), never an internal error (70) or a hang.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daxsim, ROOT, tempFiles } from './helpers.js';

const MAPPED = (file: string, mappings: string, ops = '') => `
files:
  - { path: f, ${file} }
processes:
  - name: p
    mappings:
${mappings}
tasks:
  - name: t
    ops: [${ops}]
`;

function run(yaml: string, ...flags: string[]) {
  const dir = tempFiles({ 's.yaml': yaml });
  return { dir, r: daxsim(['run', 's.yaml', ...flags], dir) };
}

/** Exit 2 with exactly one `daxsim:` line on stderr containing every fragment. */
function expectUsage(r: { code: number; stderr: string }, ...fragments: string[]): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/^daxsim: [^\n]+\n$/);
  for (const f of fragments) expect(r.stderr).toContain(f);
}

describe('inputs the model cannot hold (exit 2 at the key responsible)', () => {
  it('B1: a device over the model limit names device.size', () => {
    const { r } = run('device: { size: 2000TiB }\nfiles: [{ path: f, size: 4MiB }]\ntasks: []\n');
    expectUsage(r, 's.yaml:1:', 'device.size', '1024TiB');
  });

  it('F1: a file over the largest file size names files[0].size', () => {
    const { r } = run('files: [{ path: f, size: 9007199254740991 }]\ntasks: []\n');
    expectUsage(r, 'files[0].size', '4096TiB');
  });

  it('F2: an allocated file larger than its device names files[0].size (setup, not a crash)', () => {
    const { r } = run(
      'device: { size: 4MiB }\nfiles:\n  - { path: f, size: 8MiB, layout: allocated }\ntasks: []\n',
    );
    expectUsage(r, 's.yaml:3:', 'files[0].size', 'ENOSPC');
  });

  it('D1: initial mappings at overlapping explicit addresses name the second one', () => {
    const maps = [
      '      - { name: a, file: f, offset: 0, length: 4MiB, address: "0x7f0000000000" }',
      '      - { name: b, file: f, offset: 0, length: 4MiB, address: "0x7f0000100000" }',
    ].join('\n');
    const { r } = run(MAPPED('size: 4MiB', maps));
    expectUsage(r, 'processes[0].mappings[1].address', 'not overlapping processes[0].mappings[0]');
  });

  it('U1: an unknown mutation name or a bad switch value in the scenario names mutations[i]', () => {
    const base = MAPPED('size: 2MiB', '      - { name: m, file: f, offset: 0, length: 2MiB }');
    const typo = run(`${base}mutations: [review-thread-wake-one]\n`);
    expectUsage(typo.r, 's.yaml:', 'mutations[0]', "'review-thread-wake-one'");
    const value = run(`${base}mutations: [hole-insert-wake-one, colour-check=maybe]\n`);
    expectUsage(value.r, 's.yaml:', 'mutations[1]', "'maybe' is not one of off, on");
    const cli = run(base, '--mutation', 'no-such-bug');
    expectUsage(cli.r, "unknown mutation 'no-such-bug'");
  });

  it('a touch making more accesses than the model allows is refused up front, naming its stride', () => {
    const maps = '      - { name: m, file: f, offset: 0, length: 1GiB }';
    const { r } = run(
      MAPPED('size: 1GiB', maps, '{ touch: { map: m, offset: 0, length: 1GiB, stride: 1, access: write } }'),
    );
    expectUsage(r, 'tasks[0].ops[0].touch.stride', 'accesses');
  });

  it('D1: an access past user space is a SIGSEGV of the task, not a model error', () => {
    const maps = '      - { name: m, file: f, offset: 0, length: 4MiB }';
    const { r } = run(
      MAPPED('size: 4MiB', maps, '{ read: { map: m, offset: 0x7fff00000000, length: 8 } }'),
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.tasks).toEqual({ t: 'SIGSEGV' });
    expect(j.violations).toEqual([]);
  });
});

describe('flags and files (exit 2 naming the flag)', () => {
  it('--trace into a missing folder is refused before the run', () => {
    const { r } = run(
      MAPPED('size: 4MiB', '      - { name: m, file: f, offset: 0, length: 4MiB }'),
      '--trace',
      'no/t.json',
    );
    expectUsage(r, '--trace', 'no/t.json', 'no such folder');
    expect(r.stdout).toBe('');
  });

  it('--ftrace naming a folder is refused', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, 'out'));
    expectUsage(daxsim(['run', 'builtin:pmd-aligned', '--ftrace', 'out'], dir), '--ftrace', 'folder');
  });

  it('--workers in the thousands is refused with the allowed range', () => {
    expectUsage(daxsim(['check', 'builtin:review-thread', '--workers', '5000']), '--workers', 'in [1,');
  });

  it('S6: replay of a schedule naming a task the scenario lacks lists its tasks', () => {
    const r = daxsim(['replay', 'builtin:review-thread', '--schedule', '7x3.1']);
    expectUsage(r, '--schedule', 'task 7', '1 t1');
  });

  it('S6: replay of a schedule with a huge repeat count answers at once (no expansion)', () => {
    const t0 = Date.now();
    const r = daxsim(['replay', 'builtin:review-thread', '--schedule', '1x99999999999']);
    expectUsage(r, '--schedule');
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('a missing scenario file names the file without a made-up position', () => {
    const r = daxsim(['run', 'no-such-file.yaml']);
    expectUsage(r, 'daxsim: no-such-file.yaml: expected a readable scenario file');
    expect(r.stderr).not.toContain(':0:0');
  });

  it('a reader closing the pipe early is not an error (no EPIPE stack trace)', () => {
    const bin = join(ROOT, 'dist/src/cli/main.js');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" schema | head -c 10`], {
      encoding: 'utf8',
    });
    expect(r.stdout).toHaveLength(10);
    expect(r.stderr).toBe('');
  });
});
