/** The format example of scenario-format.md (made valid) parsed key by key, as YAML and as JSON. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseScenario } from '../../src/workload/scenario/parse.js';
import type { Op, Scenario } from '../../src/workload/scenario/types.js';
import { DEFAULT_DEVICE, DEFAULT_FS } from '../helpers/scenario.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/format-example.yaml', import.meta.url));
const text = readFileSync(FIXTURE, 'utf8');
const KiB = 1024;
const MiB = 1024 * KiB;
const bytes = (...b: number[]) => new Uint8Array(b);
const filled = (n: number, b: number) => new Uint8Array(n).fill(b);

/** The source line of the `- <kind>:` item in the fixture, found by text so the test survives edits. */
function lineOf(needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`fixture has no line with ${needle}`);
  return i + 1;
}

const expectedOps: Op[] = [
  { kind: 'read', map: 'm', offset: 0x202000, length: 8, equals: filled(8, 0), line: lineOf('- read:') },
  {
    kind: 'write',
    map: 'm',
    offset: 0x203000,
    data: new TextEncoder().encode('hello'),
    line: lineOf('"hello"'),
  },
  { kind: 'write', map: 'm', offset: 0, data: filled(4 * KiB, 0x5a), line: lineOf('byte: 0x5a') },
  {
    kind: 'touch',
    map: 'm',
    offset: 0,
    length: 4 * MiB,
    stride: 4 * KiB,
    access: 'read',
    line: lineOf('access: read'),
  },
  {
    kind: 'pread',
    file: 'data',
    offset: 0,
    length: 4,
    equals: bytes(0x5a, 0x5a, 0x5a, 0x5a),
    line: lineOf('- pread:'),
  },
  {
    kind: 'pwrite',
    file: 'data',
    offset: 4 * MiB,
    data: new TextEncoder().encode('tail'),
    line: lineOf('"tail"'),
  },
  { kind: 'fsync', file: 'data', line: lineOf('- fsync:') },
  {
    kind: 'pwrite',
    file: 'data',
    offset: 0,
    data: filled(4 * KiB, 0),
    errno: 'ENOSPC',
    line: lineOf('ENOSPC'),
  },
  { kind: 'msync', map: 'm', line: lineOf('- msync:') },
  { kind: 'truncate', file: 'data', size: 1 * MiB, line: lineOf('- truncate:') },
  { kind: 'punch', file: 'data', offset: 0, length: 2 * MiB, line: lineOf('- punch:') },
  { kind: 'fallocate', file: 'data', offset: 0, length: 2 * MiB, line: lineOf('- fallocate:') },
  {
    kind: 'mmap',
    mapping: { name: 'm2', file: 'data', offset: 0, length: 2 * MiB, shared: true, address: 'auto' },
    line: lineOf('- mmap:'),
  },
  { kind: 'munmap', map: 'm2', line: lineOf('- munmap:') },
  { kind: 'crash', lose: 'all', line: lineOf('- crash:') },
];

const expected: Scenario = {
  name: 'review-thread',
  description: "The seed's review thread table: three PTE faults meet one 2 MiB zero entry.",
  seed: 1,
  source: 'fixtures/format-example.yaml',
  device: DEFAULT_DEVICE,
  fs: { ...DEFAULT_FS, writeback: 'keep-dirty' },
  files: [
    { path: 'data', sizeBytes: 4 * MiB, layout: 'allocated', fill: 0 },
    {
      path: 'odd',
      sizeBytes: 8 * MiB,
      layout: 'sparse',
      extents: [
        { offset: 0, length: 2 * MiB, type: 'mapped' },
        { offset: 2 * MiB, length: 2 * MiB, type: 'mapped', sector: 0x5008 },
        { offset: 4 * MiB, length: 2 * MiB, type: 'unwritten' },
        { offset: 6 * MiB, length: 2 * MiB, type: 'hole' },
      ],
      fill: 0xab,
    },
  ],
  processes: [
    {
      name: 'p',
      mappings: [
        { name: 'm', file: 'data', offset: 0, length: 4 * MiB, shared: true, address: 'auto' },
        { name: 'm3', file: 'odd', offset: 2 * MiB, length: 2 * MiB, shared: false, address: 0x7f0000201000 },
      ],
    },
  ],
  tasks: [
    { name: 'setup', process: 'p', after: [], ops: [] },
    { name: 't1', process: 'p', after: ['setup'], ops: expectedOps },
    {
      name: 't2',
      process: 'p',
      after: [],
      ops: [
        {
          kind: 'touch',
          map: 'm3',
          offset: 0,
          length: 2 * MiB,
          stride: 4 * KiB,
          access: 'write',
          line: lineOf('access: write'),
        },
      ],
    },
  ],
  inject: [
    { site: 'radix-preload', nth: 1 },
    { site: 'huge-zero-page', every: true },
    { site: 'page-alloc', probability: 0.05 },
  ],
  mutations: ['review-downgrade-wake-one'],
  expect: {
    faults: { pmd: 0, pte: 3, fallback: 0, major: 0, cow: 0, sigbus: 0 },
    fallbackReasons: { colour: 1 },
    entries: { pte: 3, pmd: 0, zero: 0, empty: 0, holePages: 0 },
    pageTables: { hugePmds: 0, ptes: 3, pteTables: 1 },
    tasks: { t1: 'done', t2: 'SIGBUS' },
    violations: 0,
  },
};

describe('the scenario-format.md example (fixtures/format-example.yaml)', () => {
  it('parses every key to its normalised value', () => {
    expect(parseScenario(text, 'fixtures/format-example.yaml')).toEqual(expected);
  });

  it('gives each op the line of its list item', () => {
    const ops = parseScenario(text, 'x.yaml').tasks[1]?.ops ?? [];
    expect(ops.map((o) => o.line)).toEqual(expectedOps.map((o) => o.line));
    expect(new Set(ops.map((o) => o.line)).size).toBe(ops.length);
  });

  it('has no undefined-valued properties (absent optional keys stay absent)', () => {
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return;
      for (const [k, x] of Object.entries(v)) {
        expect(x, k).not.toBeUndefined();
        walk(x);
      }
    };
    walk(parseScenario(text, 'x.yaml'));
  });
});

describe('JSON input (JSON is YAML)', () => {
  it('the same scenario written as JSON parses to the same value, lines aside', () => {
    const json = JSON.stringify(parseYaml(text), null, '\t');
    const fromJson = parseScenario(json, 'review-thread.json');
    const strip = (s: Scenario) => ({
      ...s,
      source: '',
      tasks: s.tasks.map((t) => ({ ...t, ops: t.ops.map((o) => ({ ...o, line: 0 })) })),
    });
    expect(strip(fromJson)).toEqual(strip(expected));
  });

  it('reads sizes, hex offsets and bytes written as JSON strings', () => {
    const json = `{
      "files": [{ "path": "data", "size": "4MiB", "layout": "allocated", "fill": "0x5a" }],
      "processes": [{ "name": "p", "mappings": [{ "name": "m", "file": "data", "offset": "0x200000", "length": 2097152 }] }],
      "tasks": [{ "name": "t", "ops": [{ "read": { "map": "m", "offset": "4KiB", "length": "8" } }] }]
    }`;
    const s = parseScenario(json, 'small.json');
    expect(s.name).toBe('small');
    expect(s.files[0]).toEqual({ path: 'data', sizeBytes: 4 * MiB, layout: 'allocated', fill: 0x5a });
    expect(s.processes[0]?.mappings[0]?.offset).toBe(2 * MiB);
    expect(s.tasks[0]?.ops[0]).toEqual({ kind: 'read', map: 'm', offset: 4 * KiB, length: 8, line: 4 });
  });
});
