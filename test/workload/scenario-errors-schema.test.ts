/** Bad input that the YAML parser or the zod schema rejects: each gives a ScenarioError at the right place. */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/workload/scenario/parse.js';
import { doc, errorOf, expectIssue, FILES, withFiles } from './scenario-expect-issue.js';

describe('ScenarioError messages', () => {
  it('is one line: file:line:col: path: expected ..., got ...', () => {
    const e = errorOf(withFiles('tasks: []', 'device: { size: -4096 }'));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ScenarioError');
    expect(e.message).toBe('bad.yaml:5:17: device.size: expected a non-negative size, got -4096');
    expect(e.file).toBe('bad.yaml');
  });

  it('collects every issue of a stage, in source order', () => {
    const e = errorOf(
      withFiles('tasks: []', 'fs: { writeback: never }', 'device: { size: 2MB, devmap: 1 }', 'seed: -1'),
    );
    expect(e.issues.map((i) => i.path)).toEqual(['fs.writeback', 'device.size', 'device.devmap', 'seed']);
    expect(e.issues.map((i) => i.line)).toEqual([5, 6, 6, 7]);
    expect(e.messages()[0]).toBe(e.message);
    expect(e.messages().every((m) => !m.includes('\n'))).toBe(true);
  });
});

describe('malformed YAML: the parser position', () => {
  it('reports an unclosed flow sequence where the parser stops', () => {
    const e = errorOf(doc('files: [', '  a: 1'));
    expect([e.line, e.column, e.path, e.expected]).toEqual([3, 1, '', 'valid YAML or JSON']);
    expect(e.got).toMatch(/BAD_INDENT|MISSING_CHAR|UNEXPECTED/);
    expect(e.message).toMatch(/^bad\.yaml:3:1: expected valid YAML or JSON, got /);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const e = errorOf(doc('tasks: []', 'files: []', 'tasks: []'));
    expect([e.line, e.column]).toEqual([3, 1]);
    expect(e.got).toMatch(/DUPLICATE_KEY/);
  });

  it('rejects several documents in one file', () => {
    expect(errorOf(doc('tasks: []', '---', 'tasks: []')).got).toMatch(/MULTIPLE_DOCS/);
  });

  it('reports malformed JSON too', () => {
    const e = errorOf('{\n  "files": [],\n  "tasks": [\n}\n', 'bad.json');
    expect(e.file).toBe('bad.json');
    expect(e.line).toBeGreaterThan(1);
    expect(e.expected).toBe('valid YAML or JSON');
  });
});

describe('schema: types, unknown keys, required keys', () => {
  it('wrong type', () => {
    expectIssue(withFiles('tasks: {}'), {
      at: ['tasks', '{}'],
      path: 'tasks',
      expected: 'a list',
      got: 'an empty mapping',
    });
    expectIssue(withFiles('tasks: []', 'device: { devmap: yes }'), {
      at: ['devmap', 'yes'],
      path: 'device.devmap',
      expected: 'true or false',
      got: 'yes',
    });
  });

  it('not a mapping at the top, or an empty file', () => {
    expectIssue(doc('- 1'), { at: '- 1', path: '', expected: 'a mapping', got: 'a list' });
    const e = errorOf('');
    expect([e.line, e.column, e.expected, e.got]).toEqual([1, 1, 'a mapping', 'nothing']);
  });

  it('unknown key: placed on the key, with the known keys and a suggestion', () => {
    expectIssue(withFiles('tasks: []', 'device:', '  sise: 4KiB'), {
      at: 'sise',
      path: 'device.sise',
      expected: 'one of the keys size, baseAlign, devmap',
      got: 'unknown key "sise" (did you mean "size"?)',
    });
    expectIssue(withFiles('tasks: []', 'zzz: 1'), {
      at: 'zzz',
      path: 'zzz',
      expected: /^one of the keys name, description, seed, profile, device, fs, files/,
      got: 'unknown key "zzz"',
    });
  });

  it('missing required key: at the mapping that lacks it', () => {
    expectIssue(doc('files:', '  - path: data', 'tasks: []'), {
      at: 'path: data',
      path: 'files[0].size',
      expected: 'a size (required)',
      got: 'nothing',
    });
    expectIssue(doc(...FILES), { at: 'files:', path: 'tasks', expected: 'a list (required)' });
  });

  it('at least one file, and at least one process when processes is given', () => {
    expectIssue(withFiles('processes: []', 'tasks: []'), {
      at: '[]',
      path: 'processes',
      expected: 'a list of at least one process (or no processes key)',
    });
    expectIssue(doc('files: []', 'tasks: []'), {
      at: '[]',
      path: 'files',
      expected: 'a list of at least one file',
    });
  });

  it('enums: errno, task outcome, inject site (S4)', () => {
    expectIssue(
      withFiles('tasks:', '  - name: t', '    ops:', '      - fsync: { file: data, errno: ENOPE }'),
      {
        at: 'ENOPE',
        path: 'tasks[0].ops[0].fsync.errno',
        expected: 'one of EEXIST, ENOMEM, ENOSPC, EIO, EINVAL, EBUSY, EFBIG, EAGAIN, ENOENT, EFAULT',
        got: 'ENOPE',
      },
    );
    expectIssue(withFiles('tasks: [{ name: t, ops: [] }]', 'expect: { tasks: { t: crashed } }'), {
      at: 'crashed',
      path: 'expect.tasks.t',
      expected: 'one of done, SIGBUS, SIGSEGV, OOM, blocked',
    });
    expectIssue(withFiles('tasks: []', 'inject: [{ site: slab, nth: 1 }]'), {
      at: 'slab',
      path: 'inject[0].site',
      expected: 'one of radix-preload, page-alloc, huge-zero-page, block-alloc',
    });
  });

  it('unknown fallback reason (design.md, one per M rule branch) names the allowed ones', () => {
    expectIssue(withFiles('tasks: []', 'expect: { fallbackReasons: { color: 1 } }'), {
      at: 'color',
      path: 'expect.fallbackReasons.color',
      expected: /^one of the keys cow-write, vma-bounds, colour, .*, pmd-raced, iomap-end$/,
      got: 'unknown key "color" (did you mean "colour"?)',
    });
  });

  it('names: scenario, task and record keys follow [a-z][a-z0-9-]*', () => {
    expectIssue(withFiles('name: Review', 'tasks: []'), {
      at: 'Review',
      path: 'name',
      expected: 'a name matching [a-z][a-z0-9-]*',
      got: 'Review',
    });
    expectIssue(withFiles('tasks: []', 'expect: { tasks: { T1: done } }'), {
      at: 'T1',
      path: 'expect.tasks.T1',
      expected: 'a name matching [a-z][a-z0-9-]*',
      got: '"T1"',
    });
  });

  it('file paths: a name or an absolute path', () => {
    expectIssue(doc('files:', '  - path: dir/data', '    size: 4KiB', 'tasks: []'), {
      at: 'dir/data',
      path: 'files[0].path',
      expected: /a file name or an absolute path/,
    });
  });

  it('mutation names: a catalogue name or SWITCH=VALUE, refused at load with the key', () => {
    expectIssue(withFiles('tasks: []', 'mutations: [no-such-mutation]'), {
      at: 'no-such-mutation',
      path: 'mutations[0]',
      expected: /a mutation `daxsim mutations` lists, or SWITCH=VALUE/,
      got: "'no-such-mutation'",
    });
    expect(
      parseScenario(withFiles('tasks: []', 'mutations: [review-downgrade-wake-one]'), 'x.yaml').mutations,
    ).toEqual(['review-downgrade-wake-one']);
  });
});

describe('sizes in context', () => {
  it('negative size', () => {
    expectIssue(withFiles('tasks: []', 'device: { size: "-4KiB" }'), {
      at: '"-4KiB"',
      path: 'device.size',
      expected: 'a non-negative size',
      got: '"-4KiB"',
    });
  });

  it('bad size unit, in YAML and in JSON', () => {
    expectIssue(doc('files:', '  - path: data', '    size: 2MB', 'tasks: []'), {
      at: '2MB',
      path: 'files[0].size',
      expected: /binary unit written KiB, MiB, GiB or TiB/,
      got: '2MB',
    });
    const json = '{\n  "files": [{ "path": "data", "size": "2MB" }],\n  "tasks": []\n}\n';
    expectIssue(json, { at: '"2MB"', path: 'files[0].size', expected: /binary unit/, got: '"2MB"' });
  });

  it('fractions and sizes past 2^53 - 1', () => {
    expectIssue(withFiles('tasks: []', 'device: { size: 1.5GiB }'), {
      at: '1.5GiB',
      path: 'device.size',
      expected: /no fractions/,
    });
    expectIssue(withFiles('tasks: []', 'device: { size: 99999999999999999999 }'), {
      at: '9999',
      path: 'device.size',
      expected: /at most 2\^53 - 1/,
      got: '99999999999999999999',
    });
  });
});
