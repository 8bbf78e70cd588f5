import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { YAML_P_WHOLE, yamlScenario } from '../helpers/scenario-yaml.js';
import { daxsim, tempFiles } from './helpers.js';

const GOOD = yamlScenario(
  'size: 4MiB, layout: allocated',
  [YAML_P_WHOLE],
  `
tasks:
  - { name: a, ops: [{ read: { map: m, offset: 0, length: 8 } }] }
  - { name: b, ops: [{ write: { map: m, offset: 2MiB, data: "hi" } }] }
`,
);

describe('daxsim run (design.md CLI contract)', () => {
  it('runs a built-in scenario and prints the text report (M7)', () => {
    const r = daxsim(['run', 'builtin:pmd-aligned']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scenario pmd-aligned');
    expect(r.stdout).toMatch(/pmd \(2 MiB\)\s+4/);
    expect(r.stdout).toContain('invariants: all hold');
  });

  it('--json prints exactly one object with the contract fields', () => {
    const r = daxsim(['run', 'builtin:pmd-misaligned', '--json', '--seed', '7']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(j).toMatchObject({ scenario: 'pmd-misaligned', seed: 7, violations: [], expectFailures: [] });
    for (const k of ['pmd', 'pte', 'fallback', 'major', 'cow', 'sigbus', 'fallbackReasons'])
      expect(j.faults).toHaveProperty(k);
    for (const k of ['pte', 'pmd', 'zero', 'empty', 'holePages']) expect(j.entries).toHaveProperty(k);
    for (const k of ['hugePmds', 'ptes', 'pteTables']) expect(j.pageTables).toHaveProperty(k);
    expect(j.faults.fallbackReasons.colour).toBe(2);
    expect(j.tasks).toEqual({ reader: 'done' });
  });

  it('S6: the same seed gives byte-identical --json output', () => {
    const a = daxsim(['run', 'builtin:truncate-race', '--json', '--seed', '5']);
    const b = daxsim(['run', 'builtin:truncate-race', '--json', '--seed', '5']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length).toBeGreaterThan(100);
  });

  it('exits 1 with the violation when a mutation breaks V1 (review-downgrade-wake-one, seed 1)', () => {
    const r = daxsim([
      'run',
      'builtin:review-thread',
      '--seed',
      '1',
      '--mutation',
      'review-downgrade-wake-one',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.violations[0].invariant).toBe('V1');
    expect(j.violations[0].message).toContain('data:0x200');
    expect(j.tasks.t3).toBe('blocked');
  });

  it('exits 1 and lists expect failures when counts do not match', () => {
    const dir = tempFiles({ 's.yaml': `${GOOD}\nexpect:\n  faults: { pmd: 99 }\n` });
    const r = daxsim(['run', 's.yaml', '--json'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).expectFailures).toEqual([{ what: 'faults.pmd', expected: '99', found: '2' }]);
  });

  it('S5: --trace writes Perfetto JSON with one track per task; --ftrace writes fs_dax lines', () => {
    const dir = tempFiles({ 's.yaml': GOOD });
    const r = daxsim(['run', 's.yaml', '--trace', 't.json', '--ftrace', 't.txt'], dir);
    expect(r.code).toBe(0);
    const trace = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8'));
    const events = Array.isArray(trace) ? trace : trace.traceEvents;
    const threadNames = events.filter(
      (e: { ph: string; name: string }) => e.ph === 'M' && e.name === 'thread_name',
    );
    expect(threadNames.map((e: { args: { name: string } }) => e.args.name).sort()).toEqual(['a#0', 'b#1']);
    const text = readFileSync(join(dir, 't.txt'), 'utf8');
    const pmd = text.split('\n').filter((l) => l.includes(' dax_pmd_fault: '));
    expect(pmd.length).toBe(2);
    expect(pmd[0]).toMatch(
      /^ +[ab]-100\d +\[000\] \.\.\.\. +\d+\.\d{6}: dax_pmd_fault: dev 259:0 ino 0x1 shared (WRITE\|)?ALLOW_RETRY\|KILLABLE\|USER address 0x[0-9a-f]+ vm_start 0x[0-9a-f]+ vm_end 0x[0-9a-f]+ pgoff 0x[0-9a-f]+ max_pgoff 0x400 $/,
    );
    expect(text).toMatch(
      /dax_pmd_insert_mapping: dev 259:0 ino 0x1 shared (read|write) address 0x[0-9a-f]+ length 0x200000 pfn 0x[0-9a-f]+ DEV\|MAP radix_entry 0x[0-9a-f]+/,
    );
    expect(text).toMatch(/dax_pmd_fault_done: .* max_pgoff 0x400 NOPAGE/);
  });
});

describe('daxsim bad input: exit 2 and one line naming the location', () => {
  const cases: [string, string, RegExp][] = [
    ['malformed YAML', 'files: [\n  - { path: data\n', /s\.yaml:\d+:\d+/],
    ['wrong type', 'files:\n  - { path: data, size: true }\ntasks: []\n', /s\.yaml:2:\d+: files\[0\]\.size/],
    [
      'unknown key',
      'files:\n  - { path: data, size: 4KiB, colour: red }\ntasks: []\n',
      /s\.yaml:2:\d+: .*colour/,
    ],
    [
      'negative size',
      'files:\n  - { path: data, size: -4096 }\ntasks: []\n',
      /s\.yaml:2:\d+: files\[0\]\.size/,
    ],
    [
      'misaligned explicit address',
      'files:\n  - { path: data, size: 4MiB }\nprocesses:\n  - name: p\n    mappings:\n      - { name: m, file: data, offset: 0, length: 4MiB, address: "0x7f0000000123" }\ntasks: []\n',
      /s\.yaml:6:\d+: processes\[0\]\.mappings\[0\]\.address/,
    ],
  ];
  for (const [what, text, where] of cases) {
    it(`${what}`, () => {
      const dir = tempFiles({ 's.yaml': text });
      const r = daxsim(['run', 's.yaml'], dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(where);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('missing file', () => {
    const r = daxsim(['run', 'no-such-file.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-file\.yaml/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('unknown builtin lists what exists', () => {
    const r = daxsim(['run', 'builtin:nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('review-thread');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('bad flag value', () => {
    const r = daxsim(['run', 'builtin:pmd-aligned', '--seed', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed/);
  });

  it('unknown command', () => {
    const r = daxsim(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('daxsim scenarios and schema', () => {
  it('lists at least a dozen built-in scenarios with descriptions', () => {
    const r = daxsim(['scenarios', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; description: string }[];
    expect(list.length).toBeGreaterThanOrEqual(12);
    for (const s of list) expect(s.description.length).toBeGreaterThan(10);
    const text = daxsim(['scenarios']);
    expect(text.stdout).toContain('review-thread');
  });

  it('prints the JSON Schema', () => {
    const r = daxsim(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.properties).toHaveProperty('files');
    expect(schema.properties).toHaveProperty('tasks');
  });
});
