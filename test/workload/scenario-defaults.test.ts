/** Every default scenario-format.md states, filled by the normaliser. */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/workload/scenario/parse.js';
import { DEFAULT_DEVICE, DEFAULT_FS } from '../helpers/scenario.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const minimal = 'files:\n  - path: data\n    size: 4MiB\ntasks: []\n';

describe('defaults (scenario-format.md "defaults shown")', () => {
  it('fills device (B1), fs (F2; W3 left to the profile), name, description, process, inject and mutations', () => {
    const s = parseScenario(minimal, 'dir/minimal.yaml');
    expect(s).toEqual({
      name: 'minimal',
      description: '',
      source: 'dir/minimal.yaml',
      device: DEFAULT_DEVICE,
      fs: DEFAULT_FS,
      files: [{ path: 'data', sizeBytes: 4 * MiB, layout: 'sparse', fill: 0 }],
      processes: [{ name: 'p', mappings: [] }],
      tasks: [],
      inject: [],
      mutations: [],
    });
    expect('seed' in s).toBe(false);
    expect('expect' in s).toBe(false);
  });

  it('caps the default free space at the device size, but keeps an explicit one', () => {
    const small = parseScenario(`device: { size: 1GiB }\n${minimal}`, 'x.yaml');
    expect(small.fs.freeSpaceBytes).toBe(GiB);
    const big = parseScenario(`device: { size: 128GiB }\n${minimal}`, 'x.yaml');
    expect(big.fs.freeSpaceBytes).toBe(64 * GiB);
    const given = parseScenario(`fs: { freeSpace: 8MiB }\n${minimal}`, 'x.yaml');
    expect(given.fs.freeSpaceBytes).toBe(8 * MiB);
  });

  it('a task runs in the first process; mappings default to shared, auto address', () => {
    const s = parseScenario(
      `files:
  - path: data
    size: 4MiB
processes:
  - name: first
    mappings:
      - { name: m, file: data, offset: 0, length: 2MiB }
  - name: second
tasks:
  - name: t
    ops:
      - mmap: { name: m2, file: data, offset: 0, length: 2MiB }
      - crash: {}
      - crash:
  - name: u
    process: second
    ops: []
`,
      'x.yaml',
    );
    expect(s.processes[1]).toEqual({ name: 'second', mappings: [] });
    expect(s.processes[0]?.mappings[0]).toEqual({
      name: 'm',
      file: 'data',
      offset: 0,
      length: 2 * MiB,
      shared: true,
      address: 'auto',
    });
    expect(s.tasks.map((t) => t.process)).toEqual(['first', 'second']);
    const ops = s.tasks[0]?.ops ?? [];
    expect(ops[0]).toMatchObject({ kind: 'mmap', mapping: { shared: true, address: 'auto' } });
    expect(ops.slice(1)).toEqual([
      { kind: 'crash', lose: 'all', line: 13 },
      { kind: 'crash', lose: 'all', line: 14 },
    ]);
  });

  it('keeps a folded description whole, trimming its trailing newline', () => {
    const s = parseScenario(
      `description: >\n  One line\n  continued.\n\n  Second paragraph.\n${minimal}`,
      'x.yaml',
    );
    expect(s.description).toBe('One line continued.\nSecond paragraph.');
  });

  it('takes the name from the file: base name without extension', () => {
    expect(parseScenario(minimal, '/a/b/c.d/thing.json').name).toBe('thing');
    expect(parseScenario(`name: given\n${minimal}`, 'other.yaml').name).toBe('given');
  });
});
