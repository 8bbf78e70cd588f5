/** Loading from disk: paths, `builtin:NAME` (in a temporary built-in directory), listing, package root. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/workload/scenario/error.js';
import {
  builtinScenarioDir,
  firstSentence,
  listBuiltinScenarios,
  loadScenario,
  packageRoot,
} from '../../src/workload/scenario/load.js';
import { isName } from '../../src/workload/scenario/sizes.js';

const MINIMAL = 'files: [{ path: data, size: 4KiB }]\ntasks: []\n';
let dir = '';
let builtinDir = '';

function errorOf(run: () => unknown): ScenarioError {
  try {
    run();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'daxsim-scenario-'));
  writeFileSync(join(dir, 'plain.yaml'), MINIMAL);
  writeFileSync(join(dir, 'broken.yaml'), 'files: [{ path: data, size: 2MB }]\ntasks: []\n');
  mkdirSync(join(dir, 'sub'));
  builtinDir = join(dir, 'builtins');
  mkdirSync(builtinDir);
  writeFileSync(join(builtinDir, 'alpha.yaml'), `description: >\n  First line.\n\n  More.\n${MINIMAL}`);
  writeFileSync(
    join(builtinDir, 'beta.json'),
    JSON.stringify({ description: 'From JSON', files: [{ path: 'f', size: '4KiB' }], tasks: [] }),
  );
  writeFileSync(join(builtinDir, 'gamma.yaml'), `description: the YAML one\n${MINIMAL}`);
  writeFileSync(join(builtinDir, 'gamma.json'), JSON.stringify({ description: 'the JSON one' }));
  writeFileSync(join(builtinDir, 'delta.yaml'), 'description: [unclosed\n');
  writeFileSync(join(builtinDir, 'Not_A_Name.yaml'), MINIMAL);
  writeFileSync(join(builtinDir, 'notes.txt'), 'not a scenario');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadScenario(path)', () => {
  it('resolves a relative path against cwd; name from the file; source is the ref as given', () => {
    const s = loadScenario('plain.yaml', { cwd: dir });
    expect([s.name, s.source, s.files[0]?.path]).toEqual(['plain', 'plain.yaml', 'data']);
    const abs = loadScenario(join(dir, 'plain.yaml'));
    expect(abs.source).toBe(join(dir, 'plain.yaml'));
  });

  it('a missing file is a ScenarioError at line 0, shown without a position', () => {
    const e = errorOf(() => loadScenario('missing.yaml', { cwd: dir }));
    expect([e.file, e.line, e.column, e.path]).toEqual(['missing.yaml', 0, 0, '']);
    expect(e.message).toBe('missing.yaml: expected a readable scenario file, got ENOENT (no such file)');
  });

  it('a directory is a ScenarioError too', () => {
    expect(errorOf(() => loadScenario('sub', { cwd: dir })).got).toBe('a directory');
  });

  it('a bad file names the path as given, with line and column', () => {
    const e = errorOf(() => loadScenario('broken.yaml', { cwd: dir }));
    expect(e.message).toMatch(/^broken\.yaml:1:29: files\[0\]\.size: expected .*binary unit/);
  });
});

describe('loadScenario(builtin:NAME)', () => {
  it('resolves NAME.yaml, or NAME.json, in the built-in directory', () => {
    const alpha = loadScenario('builtin:alpha', { builtinDir });
    expect([alpha.name, alpha.source, alpha.description]).toEqual([
      'alpha',
      'builtin:alpha',
      'First line.\nMore.',
    ]);
    const beta = loadScenario('builtin:beta', { builtinDir });
    expect([beta.name, beta.source, beta.files[0]?.sizeBytes]).toEqual(['beta', 'builtin:beta', 4096]);
  });

  it('prefers NAME.yaml over NAME.json', () => {
    expect(loadScenario('builtin:gamma', { builtinDir }).description).toBe('the YAML one');
  });

  it('an unknown built-in lists the available names', () => {
    const e = errorOf(() => loadScenario('builtin:nope', { builtinDir }));
    expect([e.file, e.line, e.column]).toEqual(['builtin:nope', 0, 0]);
    expect(e.expected).toBe('the name of a built-in scenario (alpha, beta, delta, gamma)');
    expect(e.got).toBe('"nope"');
    const empty = errorOf(() => loadScenario('builtin:x', { builtinDir: join(dir, 'sub') }));
    expect(empty.expected).toMatch(/none are installed/);
  });

  it('a broken built-in names the file it read', () => {
    const e = errorOf(() => loadScenario('builtin:delta', { builtinDir }));
    expect(e.file).toBe(join(builtinDir, 'delta.yaml'));
    expect(e.expected).toBe('valid YAML or JSON');
  });
});

describe('listBuiltinScenarios', () => {
  it('lists valid names, sorted, each with the first line of its description and its first sentence', () => {
    expect(listBuiltinScenarios({ builtinDir })).toEqual([
      { name: 'alpha', description: 'First line.', summary: 'First line.' },
      { name: 'beta', description: 'From JSON', summary: 'From JSON' },
      { name: 'delta', description: '', summary: '' },
      { name: 'gamma', description: 'the YAML one', summary: 'the YAML one' },
    ]);
    expect(firstSentence('Two tasks fault (M3). The check sends both to 4 KiB.')).toBe(
      'Two tasks fault (M3).',
    );
    expect(firstSentence('Faults, e.g. at 4 KiB: done.')).toBe('Faults, e.g. at 4 KiB: done.');
  });

  it('is empty for a missing directory', () => {
    expect(listBuiltinScenarios({ builtinDir: join(dir, 'nowhere') })).toEqual([]);
  });
});

describe('the package root and the shipped built-ins', () => {
  it('finds the daxsim package.json above this module', () => {
    const root = packageRoot();
    const here = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
    expect(root).toBe(here);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name).toBe('daxsim');
    expect(builtinScenarioDir()).toBe(join(root, 'scenarios'));
  });

  it('every shipped built-in scenario has a valid name and loads', () => {
    for (const { name } of listBuiltinScenarios()) {
      expect(isName(name)).toBe(true);
      expect(loadScenario(`builtin:${name}`).source).toBe(`builtin:${name}`);
    }
  });
});
