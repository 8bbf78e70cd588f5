import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/workload/scenario/error.js';
import { parseScenario } from '../../src/workload/scenario/parse.js';

/** Lines joined with newlines, so a case reads like the file and line numbers are easy to count. */
const doc = (...lines: string[]) => `${lines.join('\n')}\n`;
const FILES = ['files:', '  - path: data', '    size: 4MiB'];
const withFiles = (...lines: string[]) => doc(...FILES, ...lines);

function errorOf(text: string, file = 'bad.yaml'): ScenarioError {
  try {
    parseScenario(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError, but the scenario parsed');
}

/**
 * Where an issue must point: the line holding `lineText` and the column where `colText` starts in it
 * (found by searching the text, independently of the YAML node ranges the loader uses).
 */
type At = string | [lineText: string, colText: string];

interface Want {
  at: At;
  path: string;
  expected: string | RegExp;
  got?: string | RegExp;
}

function position(text: string, at: At): { line: number; column: number } {
  const [lineText, colText] = typeof at === 'string' ? [at, at] : at;
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.includes(lineText));
  const column = (lines[index] ?? '').indexOf(colText) + 1;
  if (index < 0 || column < 1) throw new Error(`test bug: ${JSON.stringify(at)} not in the text`);
  return { line: index + 1, column };
}

function expectIssue(text: string, want: Want): ScenarioError {
  const e = errorOf(text);
  const { line, column } = position(text, want.at);
  expect({ line: e.line, column: e.column, path: e.path }).toEqual({ line, column, path: want.path });
  if (typeof want.expected === 'string') expect(e.expected).toBe(want.expected);
  else expect(e.expected).toMatch(want.expected);
  if (want.got !== undefined) {
    if (typeof want.got === 'string') expect(e.got).toBe(want.got);
    else expect(e.got).toMatch(want.got);
  }
  const path = want.path === '' ? '' : ` ${want.path}:`;
  expect(e.message).toBe(`bad.yaml:${line}:${column}:${path} expected ${e.expected}, got ${e.got}`);
  return e;
}

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
    expectIssue(withFiles('tasks: {}'), { at: ['tasks', '{}'], path: 'tasks', expected: 'a list', got: 'an empty mapping' });
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
      expected: /^one of the keys name, description, seed, device, fs, files/,
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

  it('at least one file', () => {
    expectIssue(doc('files: []', 'tasks: []'), { at: '[]', path: 'files', expected: 'a list of at least one file' });
  });

  it('enums: errno, task outcome, inject site', () => {
    expectIssue(withFiles('tasks:', '  - name: t', '    ops:', '      - fsync: { file: data, errno: ENOPE }'), {
      at: 'ENOPE',
      path: 'tasks[0].ops[0].fsync.errno',
      expected: 'one of EEXIST, ENOMEM, ENOSPC, EIO, EINVAL, EBUSY, EFBIG, EAGAIN, ENOENT, EFAULT',
      got: 'ENOPE',
    });
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

  it('unknown fallback reason names the allowed ones', () => {
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

  it('does NOT check mutation names (the catalogue is not the loader’s business)', () => {
    expect(parseScenario(withFiles('tasks: []', 'mutations: [no-such-mutation]'), 'x.yaml').mutations).toEqual([
      'no-such-mutation',
    ]);
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
    const e = errorOf(json);
    expect([e.line, e.column, e.path, e.got]).toEqual([2, json.split('\n')[1]?.indexOf('"2MB"') + 1, 'files[0].size', '"2MB"']);
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

describe('value checks', () => {
  const mapping = (fields: string) =>
    withFiles('processes:', '  - name: p', '    mappings:', `      - { ${fields} }`, 'tasks: []');

  it('misaligned or out-of-range explicit address', () => {
    expectIssue(mapping('name: m, file: data, offset: 0, length: 4KiB, address: 0x7f0000201001'), {
      at: '0x7f0000201001',
      path: 'processes[0].mappings[0].address',
      expected: /page aligned/,
      got: '0x7f0000201001',
    });
    expectIssue(mapping('name: m, file: data, offset: 0, length: 4KiB, address: "0x800000000000"'), {
      at: '"0x800000000000"',
      path: 'processes[0].mappings[0].address',
      expected: /inside user space/,
    });
  });

  it('misaligned mapping offset, in processes and in an mmap op', () => {
    expectIssue(mapping('name: m, file: data, offset: 0x1001, length: 4KiB'), {
      at: '0x1001',
      path: 'processes[0].mappings[0].offset',
      expected: /page aligned/,
      got: '0x1001',
    });
    const mmap = withFiles('tasks:', '  - name: t', '    ops:', '      - mmap: { name: m, file: data, offset: 100, length: 4KiB }');
    expectIssue(mmap, { at: '100', path: 'tasks[0].ops[0].mmap.offset', expected: /page aligned/, got: '100' });
  });

  it('device and fs settings (B1, F2)', () => {
    expectIssue(withFiles('tasks: []', 'device: { baseAlign: 3MiB }'), {
      at: '3MiB',
      path: 'device.baseAlign',
      expected: 'a power of two of at least 4KiB (B1)',
    });
    expectIssue(withFiles('tasks: []', 'fs: { allocAlign: 1MiB }'), {
      at: '1MiB',
      path: 'fs.allocAlign',
      expected: '4KiB or 2MiB (F2)',
    });
    expectIssue(withFiles('tasks: []', 'fs: { extentHint: 4KiB }'), {
      at: ['extentHint', '4KiB'],
      path: 'fs.extentHint',
      expected: 'a multiple of 4KiB of at least fs.allocAlign (2MiB)',
    });
    expectIssue(withFiles('tasks: []', 'device: { size: 1GiB }', 'fs: { freeSpace: 2GiB }'), {
      at: '2GiB',
      path: 'fs.freeSpace',
      expected: 'at most device.size (1GiB)',
    });
    expectIssue(withFiles('tasks: []', 'device: { size: 5000 }'), {
      at: '5000',
      path: 'device.size',
      expected: 'a non-zero multiple of 4KiB',
    });
  });

  it('op ranges: lengths, stride, equals size, msync start, data limit, nth', () => {
    const op = (body: string) =>
      withFiles(
        'processes: [{ name: p, mappings: [{ name: m, file: data, offset: 0, length: 4MiB }] }]',
        'tasks:',
        '  - name: t',
        '    ops:',
        `      - ${body}`,
      );
    const cases: [string, Want][] = [
      [
        'read: { map: m, offset: 0, length: 0 }',
        { at: ['read:', '0 }'], path: 'tasks[0].ops[0].read.length', expected: 'at least 1 byte' },
      ],
      [
        'read: { map: m, offset: 0, length: 4, equals: "0x0000" }',
        {
          at: '"0x0000"',
          path: 'tasks[0].ops[0].read.equals',
          expected: "exactly 4 bytes (the op's length)",
          got: '2 bytes',
        },
      ],
      [
        'pread: { file: data, offset: 0, length: 1, equals: "ab" }',
        { at: '"ab"', path: 'tasks[0].ops[0].pread.equals', expected: "at most 1 bytes (the op's length)" },
      ],
      [
        'read: { map: m, offset: 0, length: 3, equals: "0x123" }',
        { at: '"0x123"', path: 'tasks[0].ops[0].read.equals', expected: /even, non-zero number of digits/ },
      ],
      [
        'touch: { map: m, offset: 0, length: 4KiB, stride: 0, access: read }',
        { at: ['touch', '0, access'], path: 'tasks[0].ops[0].touch.stride', expected: 'at least 1 byte' },
      ],
      [
        'msync: { map: m, offset: 100 }',
        { at: '100', path: 'tasks[0].ops[0].msync.offset', expected: /page aligned/ },
      ],
      [
        'write: { map: m, offset: 0, length: 1GiB, byte: 0 }',
        { at: '1GiB', path: 'tasks[0].ops[0].write.length', expected: /at most 64MiB/ },
      ],
      [
        'write: { map: m, offset: 0, data: "x", byte: 1 }',
        {
          at: ['write:', '{ map'],
          path: 'tasks[0].ops[0].write',
          expected: 'either data, or length with byte',
          got: 'data and byte',
        },
      ],
    ];
    for (const [body, want] of cases) expectIssue(op(body), want);
    expectIssue(withFiles('tasks: []', 'inject: [{ site: page-alloc, nth: 0 }]'), {
      at: ['inject', '0 }'],
      path: 'inject[0].nth',
      expected: /at least 1/,
    });
    expectIssue(withFiles('tasks: []', 'inject: [{ site: page-alloc, nth: 1, every: true }]'), {
      at: ['inject', '{ site'],
      path: 'inject[0]',
      expected: 'exactly one of nth, every, probability',
      got: 'nth and every',
    });
  });

  it('an op item holds exactly one op', () => {
    const ops = (item: string) => withFiles('tasks:', '  - name: t', '    ops:', `      - ${item}`);
    expectIssue(ops('{ fsync: { file: data }, crash: {} }'), {
      at: '{ fsync',
      path: 'tasks[0].ops[0]',
      expected: /^exactly one op \(read, write, touch/,
      got: 'fsync and crash',
    });
    expectIssue(ops('sync: { file: data }'), {
      at: 'sync',
      path: 'tasks[0].ops[0].sync',
      expected: /^one of the keys read, write, touch/,
      got: /unknown key "sync" \(did you mean "(fsync|msync)"\?\)/,
    });
  });
});

describe('extents: explicit, in order, covering [0, size) (F1)', () => {
  const file = (size: string, ...extents: string[]) =>
    doc('files:', '  - path: f', `    size: ${size}`, '    extents:', ...extents.map((e) => `      - { ${e} }`), 'tasks: []');

  it('a gap', () => {
    expectIssue(file('8KiB', 'offset: 0, length: 4KiB, type: mapped', 'offset: 8KiB, length: 4KiB, type: hole'), {
      at: ['type: hole', '8KiB'],
      path: 'files[0].extents[1].offset',
      expected: '4KiB (each extent starts where the previous one ends)',
      got: '8KiB',
    });
  });

  it('not starting at 0', () => {
    expectIssue(file('8KiB', 'offset: 4KiB, length: 4KiB, type: mapped'), {
      at: ['type: mapped', '4KiB'],
      path: 'files[0].extents[0].offset',
      expected: '0 (the first extent starts at 0)',
    });
  });

  it('stopping short of the size, or running past it', () => {
    expectIssue(file('8KiB', 'offset: 0, length: 4KiB, type: mapped'), {
      at: ['type: mapped', '4KiB'],
      path: 'files[0].extents[0].length',
      expected: 'extents covering [0, size) up to 8KiB',
      got: 'extents ending at 4KiB',
    });
    expectIssue(file('4KiB', 'offset: 0, length: 8KiB, type: mapped'), {
      at: '8KiB',
      path: 'files[0].extents[0].length',
      expected: /ending at or before 4KiB/,
    });
  });

  it('a partial last block is covered by a whole block', () => {
    const s = parseScenario(file('5000', 'offset: 0, length: 8KiB, type: mapped'), 'x.yaml');
    expect(s.files[0]?.extents).toEqual([{ offset: 0, length: 8192, type: 'mapped' }]);
  });

  it('lengths in whole blocks', () => {
    expectIssue(file('8KiB', 'offset: 0, length: 6000, type: mapped', 'offset: 6000, length: 2192, type: hole'), {
      at: ['type: mapped', '6000'],
      path: 'files[0].extents[0].length',
      expected: 'a non-zero multiple of 4KiB (whole blocks, F1)',
    });
  });

  it('sectors: aligned, past the superblock, inside the device, not on holes, not shared', () => {
    const one = (extent: string) => file('4KiB', extent);
    expectIssue(one('offset: 0, length: 4KiB, type: mapped, sector: 9'), {
      at: '9',
      path: 'files[0].extents[0].sector',
      expected: 'a multiple of 8 (a 4KiB-aligned sector)',
    });
    expectIssue(one('offset: 0, length: 4KiB, type: mapped, sector: 0'), {
      at: ['sector', '0 }'],
      path: 'files[0].extents[0].sector',
      expected: /superblock/,
    });
    expectIssue(one('offset: 0, length: 4KiB, type: hole, sector: 8'), {
      at: '8 }',
      path: 'files[0].extents[0].sector',
      expected: 'no sector on a hole extent',
    });
    expectIssue(one('offset: 0, length: 4KiB, type: mapped, sector: 0x8000000'), {
      at: '0x8000000',
      path: 'files[0].extents[0].sector',
      expected: /ends inside the device \(64GiB\)/,
    });
    const shared = file(
      '8KiB',
      'offset: 0, length: 4KiB, type: mapped, sector: 8',
      'offset: 4KiB, length: 4KiB, type: unwritten, sector: 8',
    );
    expectIssue(shared, {
      at: ['unwritten', '8 }'],
      path: 'files[0].extents[1].sector',
      expected: 'a sector range not overlapping files[0].extents[0]',
    });
  });

  it('layout and extents together', () => {
    expectIssue(doc('files:', '  - path: f', '    size: 4KiB', '    layout: sparse', '    extents: []', 'tasks: []'), {
      at: '[]',
      path: 'files[0].extents',
      expected: 'either layout or extents, not both',
    });
  });

  it('a non-zero fill only for small files', () => {
    expectIssue(doc('files:', '  - path: f', '    size: 1GiB', '    layout: allocated', '    fill: 1', 'tasks: []'), {
      at: ['fill', '1'],
      path: 'files[0].fill',
      expected: /fill 0 for a file with over 64MiB mapped/,
    });
  });
});

describe('names: references, duplicates, after cycles', () => {
  const P = 'processes: [{ name: p, mappings: [{ name: m, file: data, offset: 0, length: 4MiB }] }]';

  it('unknown file reference (mapping and op)', () => {
    const badMapping = 'processes: [{ name: p, mappings: [{ name: m, file: nope, offset: 0, length: 4KiB }] }]';
    expectIssue(withFiles(badMapping, 'tasks: []'), {
      at: 'nope',
      path: 'processes[0].mappings[0].file',
      expected: 'a file path from files (data)',
      got: 'nope',
    });
    expectIssue(withFiles('tasks: [{ name: t, ops: [{ fsync: { file: dat } }] }]'), {
      at: 'dat ',
      path: 'tasks[0].ops[0].fsync.file',
      expected: 'a file path from files (data)',
      got: 'dat',
    });
  });

  it('unknown map reference, and the mmap visibility rule', () => {
    const tasks = (...lines: string[]) => withFiles(P, 'tasks:', ...lines);
    expectIssue(tasks('  - name: t', '    ops:', '      - read: { map: q, offset: 0, length: 1 }'), {
      at: 'q,',
      path: 'tasks[0].ops[0].read.map',
      expected: 'a mapping of the process or of an earlier mmap op of this task (m)',
      got: 'q',
    });
    const usedBeforeMmap = tasks(
      '  - name: t',
      '    ops:',
      '      - munmap: { map: m2 }',
      '      - mmap: { name: m2, file: data, offset: 0, length: 4KiB }',
    );
    expectIssue(usedBeforeMmap, {
      at: ['munmap', 'm2'],
      path: 'tasks[0].ops[0].munmap.map',
      expected: /earlier mmap op of this task \(m\)/,
    });
    const otherTask = tasks(
      '  - name: a',
      '    ops: [{ mmap: { name: m2, file: data, offset: 0, length: 4KiB } }]',
      '  - name: b',
      '    ops: [{ munmap: { map: m2 } }]',
    );
    expectIssue(otherTask, { at: ['munmap', 'm2'], path: 'tasks[1].ops[0].munmap.map', got: 'm2', expected: /\(m\)$/ });
    const sameTaskEarlier = tasks(
      '  - name: t',
      '    ops:',
      '      - mmap: { name: m2, file: data, offset: 0, length: 4KiB }',
      '      - munmap: { map: m2 }',
    );
    expect(parseScenario(sameTaskEarlier, 'x.yaml').tasks[0]?.ops.map((o) => o.kind)).toEqual(['mmap', 'munmap']);
  });

  it('unknown process reference', () => {
    expectIssue(withFiles(P, 'tasks: [{ name: t, process: q, ops: [] }]'), {
      at: 'q,',
      path: 'tasks[0].process',
      expected: 'a process from processes (p)',
      got: 'q',
    });
    expectIssue(withFiles('tasks: [{ name: t, process: q, ops: [] }]'), {
      at: 'q,',
      path: 'tasks[0].process',
      expected: 'a process from processes (p)',
    });
  });

  it('unknown task reference (after, expect.tasks)', () => {
    expectIssue(withFiles('tasks: [{ name: t, after: [setup], ops: [] }]'), {
      at: 'setup',
      path: 'tasks[0].after[0]',
      expected: 'a task name (t)',
      got: 'setup',
    });
    expectIssue(withFiles('tasks: [{ name: t, ops: [] }]', 'expect: { tasks: { t2: done } }'), {
      at: 't2',
      path: 'expect.tasks.t2',
      expected: 'a task name (t)',
      got: '"t2"',
    });
  });

  it('duplicate names: files, processes, tasks, mappings (initial and mmap), after entries', () => {
    expectIssue(doc('files:', '  - { path: data, size: 4KiB }', '  - { path: data, size: 8KiB }', 'tasks: []'), {
      at: ['8KiB', 'data'],
      path: 'files[1].path',
      expected: 'a unique file path (files[0].path has "data")',
      got: 'data',
    });
    expectIssue(withFiles('processes: [{ name: p }, { name: p }]', 'tasks: []'), {
      at: ['processes', 'p }]'],
      path: 'processes[1].name',
      expected: 'a unique process name (processes[0].name has "p")',
    });
    expectIssue(withFiles('tasks:', '  - { name: t, ops: [] }', '  - { name: t, after: [], ops: [] }'), {
      at: ['after', 't,'],
      path: 'tasks[1].name',
      expected: 'a unique task name (tasks[0].name has "t")',
    });
    expectIssue(withFiles(P, 'tasks: [{ name: t, ops: [{ mmap: { name: m, file: data, offset: 0, length: 4KiB } }] }]'), {
      at: ['mmap', 'm, file'],
      path: 'tasks[0].ops[0].mmap.name',
      expected: 'a unique mapping name in process p (processes[0].mappings[0].name has "m")',
    });
    expectIssue(withFiles('tasks: [{ name: a, ops: [] }, { name: t, after: [a, a], ops: [] }]'), {
      at: 'a]',
      path: 'tasks[1].after[1]',
      expected: 'a unique task in after (tasks[1].after[0] has "a")',
    });
  });

  it('after cycles: reported on the edge that closes the cycle', () => {
    expectIssue(withFiles('tasks: [{ name: t, after: [t], ops: [] }]'), {
      at: 't]',
      path: 'tasks[0].after[0]',
      expected: 'no cycle in after',
      got: 't -> t',
    });
    const three = withFiles(
      'tasks:',
      '  - { name: a, after: [b], ops: [] }',
      '  - { name: b, after: [c], ops: [] }',
      '  - { name: c, after: [a], ops: [] }',
    );
    expectIssue(three, { at: ['name: c', 'a]'], path: 'tasks[2].after[0]', expected: 'no cycle in after', got: 'a -> b -> c -> a' });
  });
});
