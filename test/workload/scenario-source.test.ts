/** Positions and messages: document paths, issue ordering, node location and "got" text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDocPath,
  formatScenarioIssue,
  ScenarioError,
  type ScenarioIssue,
  sortIssues,
} from '../../src/workload/scenario/error.js';
import {
  describeAt,
  locate,
  parseYamlSource,
  positionIssue,
  type YamlSource,
} from '../../src/workload/scenario/yaml-source.js';

function source(text: string): YamlSource {
  const r = parseYamlSource(text, 'f.yaml');
  if (!r.ok) throw new Error(`unexpected syntax error: ${r.issue.got}`);
  return r.source;
}

const issue = (line: number, column: number, path = 'a'): ScenarioIssue => ({
  file: 'f.yaml',
  line,
  column,
  path,
  expected: 'x',
  got: 'y',
});

describe('document paths and messages (error.ts)', () => {
  it('formats paths as keys and [indices]', () => {
    expect(formatDocPath(['tasks', 0, 'ops', 2, 'read', 'offset'])).toBe('tasks[0].ops[2].read.offset');
    expect(formatDocPath([])).toBe('');
    expect(formatDocPath([3])).toBe('[3]');
  });

  it('keeps a message on one line even when input spans lines', () => {
    const text = formatScenarioIssue({ ...issue(2, 3), got: '"a\n  b"', expected: 'one\r\nthing' });
    expect(text).toBe('f.yaml:2:3: a: expected one thing, got "a b"');
  });

  it('sorts issues by line then column, keeping ties in order (property)', () => {
    const arb = fc.array(
      fc.record({ line: fc.nat(5), column: fc.nat(5), path: fc.string({ maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const input = raw.map((r, i) => ({ ...issue(r.line, r.column, `${i}`) }));
        const sorted = sortIssues(input);
        expect(sorted).toHaveLength(input.length);
        for (let k = 1; k < sorted.length; k++) {
          const a = sorted[k - 1] as ScenarioIssue;
          const b = sorted[k] as ScenarioIssue;
          const order = a.line - b.line || a.column - b.column || Number(a.path) - Number(b.path);
          expect(order).toBeLessThan(0);
        }
      }),
    );
  });

  it('ScenarioError takes the first issue in source order and needs at least one', () => {
    const e = new ScenarioError([issue(5, 1, 'late'), issue(2, 9, 'early')]);
    expect([e.line, e.column, e.path]).toEqual([2, 9, 'early']);
    expect(e.issues.map((i) => i.path)).toEqual(['early', 'late']);
    expect(() => new ScenarioError([])).toThrow(RangeError);
  });
});

describe('locate and describeAt (yaml-source.ts)', () => {
  const text = [
    'a:',
    '  b: [1, 0x10, "q"]',
    '  c: { d: 2 }',
    '  e:',
    `  long: "${'x'.repeat(80)}"`,
    'list:',
    '  - &anchor { k: v }',
    '  - *anchor',
    '',
  ].join('\n');
  const src = source(text);

  it('finds values by path, 1-based', () => {
    expect(locate(src, ['a', 'b', 1])).toMatchObject({ line: 2, column: 10, found: true });
    expect(locate(src, ['a', 'c', 'd'])).toMatchObject({ line: 3, column: 11, found: true });
    expect(locate(src, [])).toMatchObject({ line: 1, column: 1, found: true });
  });

  it('lands on the deepest existing node when the path leaves the document', () => {
    expect(locate(src, ['a', 'c', 'zz'])).toMatchObject({ line: 3, column: 6, found: false });
    expect(locate(src, ['a', 'b', 9])).toMatchObject({ line: 2, column: 6, found: false });
    expect(locate(src, ['nope', 'deeper'])).toMatchObject({ line: 1, column: 1, found: false });
  });

  it('lands on the key when asked (unknown or bad keys)', () => {
    expect(locate(src, ['a', 'c'], true)).toMatchObject({ line: 3, column: 3 });
    expect(locate(src, ['a', 'c'])).toMatchObject({ line: 3, column: 6 });
  });

  it('follows aliases', () => {
    expect(locate(src, ['list', 1, 'k'])).toMatchObject({ found: true });
  });

  it('describes what is there as the source writes it', () => {
    expect(describeAt(src, ['a', 'b', 1])).toBe('0x10');
    expect(describeAt(src, ['a', 'b', 2])).toBe('"q"');
    expect(describeAt(src, ['a', 'c'])).toBe('a mapping');
    expect(describeAt(src, ['a', 'b'])).toBe('a list');
    expect(describeAt(src, ['a', 'e'])).toBe('an empty value');
    expect(describeAt(src, ['a', 'zz'])).toBe('nothing');
    expect(describeAt(src, ['a', 'long'])).toMatch(/^"x{59}\.\.\.$/);
  });

  it('positionIssue fills file, line, column, path and the source text', () => {
    expect(positionIssue(src, { path: ['a', 'c', 'd'], expected: 'three' })).toEqual({
      file: 'f.yaml',
      line: 3,
      column: 11,
      path: 'a.c.d',
      expected: 'three',
      got: '2',
    });
    expect(positionIssue(src, { path: ['a', 'c'], expected: 'k', got: 'g', atKey: true })).toMatchObject({
      column: 3,
      got: 'g',
    });
  });

  it('syntax errors come back as an issue with the parser position', () => {
    const r = parseYamlSource('a: 1\n b: [\n', 'bad.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue).toMatchObject({ file: 'bad.yaml', path: '', expected: 'valid YAML or JSON' });
  });

  it('refuses alias explosions', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ];
    const r = parseYamlSource(`${bomb.join('\n')}\n`, 'bomb.yaml');
    expect(r.ok).toBe(false);
  });
});
