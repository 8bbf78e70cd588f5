/**
 * docs/rules.md covers every rule id the code can print, and README/docs links resolve.
 *
 * The ids are derived from the code, not from a hand-kept list: every rule-id token (a capital
 * and a digit: `M3`, `G2`, `V1`) in any string literal under src/ (trace `rule` fields, report
 * and error texts, the mutation catalogue's `rule`, schema descriptions), every literal of the
 * `InvariantId` type (`V1`..`V7` and pseudo-ids such as `model`), the values of FALLBACK_RULE,
 * and the rules of every mutation in the catalogue.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { MUTATIONS } from '../../src/check/mutations/catalogue.js';
import { findRule, parseRules } from '../../src/cli/rules-doc.js';
import { FALLBACK_RULE } from '../../src/dax/fallback.js';
import { daxsim } from '../cli/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const RULES = parseRules(readFileSync(join(ROOT, 'docs/rules.md'), 'utf8'));
const RULE_TOKEN = /\b([A-Z][1-9])\b/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Rule ids in string literals (and template pieces) of src/, with where each was seen. */
function idsInStringLiterals(): Map<string, string> {
  const ids = new Map<string, string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
        for (const m of node.text.matchAll(RULE_TOKEN))
          if (!ids.has(m[1]!)) ids.set(m[1]!, relative(ROOT, file));
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return ids;
}

/** The string literals of the `InvariantId` union type (src/verify/violation.ts). */
function invariantIds(): string[] {
  const file = join(ROOT, 'src/verify/violation.ts');
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTypeAliasDeclaration(node) && node.name.text === 'InvariantId') {
      const collect = (t: ts.Node): void => {
        if (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)) out.push(t.literal.text);
        ts.forEachChild(t, collect);
      };
      collect(node.type);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe('docs/rules.md (daxsim rules)', () => {
  it('has an entry for every rule id the code can print', () => {
    const emitted = idsInStringLiterals();
    for (const id of invariantIds()) emitted.set(id, 'InvariantId');
    for (const id of Object.values(FALLBACK_RULE)) emitted.set(id, 'FALLBACK_RULE');
    for (const m of MUTATIONS) for (const id of m.rule.split(/,\s*/)) emitted.set(id, `mutation ${m.name}`);
    expect(emitted.size).toBeGreaterThan(40); // the scan sees the code, or it proves nothing
    const missing = [...emitted]
      .filter(([id]) => findRule(RULES, id) === undefined)
      .map(([id, at]) => `${id} (${at})`);
    expect(missing).toEqual([]);
  });

  it('the scan finds what the code emits (self-test: trace rules, fallback rules, invariants)', () => {
    const emitted = idsInStringLiterals();
    for (const id of ['G2', 'L3', 'P6', 'M7', 'W2', 'V1', 'S3']) expect(emitted.has(id), id).toBe(true);
    expect(invariantIds()).toContain('model');
  });

  it('every entry names what it means; ids are unique', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) expect(r.text.split('\n').length, r.id).toBeGreaterThan(1);
  });

  it('daxsim rules ID prints one entry; an unknown id is exit 2 listing the valid ones', () => {
    const m3 = daxsim(['rules', 'm3']);
    expect(m3.code).toBe(0);
    expect(m3.stdout).toMatch(/^### M3: /);
    expect(m3.stdout).toContain('dax_iomap_pmd_fault');
    const bad = daxsim(['rules', 'Q9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^daxsim: rules: expected a rule id \(E1, .*V1.*\), got 'Q9'\n$/);
    const list = daxsim(['rules', '--list']);
    expect(list.stdout.split('\n').filter(Boolean)).toHaveLength(RULES.length);
    expect(daxsim(['rules']).stdout).toContain('# Rule reference');
  });
});

describe('links in README.md and docs/', () => {
  const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
    f.endsWith('.md'),
  );

  it('every relative link points to a file that exists', () => {
    const broken: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (target === '' || /^[a-z]+:/i.test(target)) continue;
        if (!existsSync(resolve(dirname(join(ROOT, f)), target))) broken.push(`${f}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
