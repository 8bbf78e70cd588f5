/**
 * The architecture, checked: src/ is built in floors, one per kernel layer, and a value import
 * may only point to its own floor or lower. `import type` may point anywhere (the vm_ops-style
 * indirection: mm calls the filesystem's fault handlers through an interface it only types).
 * Also: no barrel modules (the package entry src/index.ts is the only one, and nothing inside
 * src imports it), the runtime's finished steps stay inside src/sim, and no file is over 400
 * lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Bottom to top. */
const FLOORS = [
  'lib',
  'version',
  'sim',
  'block',
  'fs',
  'mm',
  'dax',
  'syscalls',
  'verify',
  'workload',
  'check',
  'view',
  'cli',
] as const;

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The floor of a file under src/ (null for src/index.ts, the package entry). */
function floorOf(file: string): string | null {
  const rel = relative(SRC, file).split('/');
  return rel.length === 1 ? null : rel[0]!;
}

interface ImportLine {
  file: string;
  line: number;
  target: string;
  valueImport: boolean;
}

/** Every relative import/export-from of a file, and whether it brings values (not only types). */
function importsOf(file: string, text: string): ImportLine[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const out: ImportLine[] = [];
  for (const st of sf.statements) {
    let spec: ts.Expression | undefined;
    let valueImport = true;
    if (ts.isImportDeclaration(st)) {
      spec = st.moduleSpecifier;
      const clause = st.importClause;
      if (clause?.isTypeOnly) valueImport = false;
      else if (
        clause &&
        clause.name === undefined &&
        clause.namedBindings &&
        ts.isNamedImports(clause.namedBindings)
      ) {
        const els = clause.namedBindings.elements;
        if (els.length > 0 && els.every((e) => e.isTypeOnly)) valueImport = false;
      }
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier !== undefined) {
      spec = st.moduleSpecifier;
      valueImport = !st.isTypeOnly;
    }
    if (spec === undefined || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    const line = sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1;
    out.push({ file, line, target: resolve(dirname(file), spec.text).replace(/\.js$/, '.ts'), valueImport });
  }
  return out;
}

const FILES = sourceFiles(SRC);
const TEXT = new Map(FILES.map((f) => [f, readFileSync(f, 'utf8')]));
const IMPORTS = FILES.flatMap((f) => importsOf(f, TEXT.get(f)!));
const where = (i: ImportLine) => `${relative(ROOT, i.file)}:${i.line} -> ${relative(ROOT, i.target)}`;

describe('floors: lib < version < sim < block < fs < mm < dax < syscalls < verify < workload < check < view < cli', () => {
  it('every folder under src/ is a floor', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.filter((f) => !(FLOORS as readonly string[]).includes(f))).toEqual([]);
  });

  it('a value import points to its own floor or lower', () => {
    const up = IMPORTS.filter((i) => {
      const from = floorOf(i.file);
      const to = floorOf(i.target);
      if (from === null || to === null || !i.valueImport) return false;
      return FLOORS.indexOf(to as never) > FLOORS.indexOf(from as never);
    });
    expect(up.map(where)).toEqual([]);
  });

  it('the checker sees the imports it judges (self-test on a known shape)', () => {
    const text = [
      "import type { A } from '../dax/a.js';",
      "import { type B, type C } from '../dax/b.js';",
      "import { D, type E } from '../dax/d.js';",
      "export { F } from '../check/f.js';",
    ].join('\n');
    const got = importsOf(join(SRC, 'mm/x.ts'), text).map((i) => [relative(SRC, i.target), i.valueImport]);
    expect(got).toEqual([
      ['dax/a.ts', false],
      ['dax/b.ts', false],
      ['dax/d.ts', true],
      ['check/f.ts', true],
    ]);
  });

  it('no barrels: nothing in src/ imports an index module (src/index.ts is the package entry only)', () => {
    const barrels = IMPORTS.filter((i) => i.target.endsWith('/index.ts'));
    expect(barrels.map(where)).toEqual([]);
    expect(FILES.filter((f) => f.endsWith('/index.ts') && f !== join(SRC, 'index.ts'))).toEqual([]);
  });

  it('S1: finished steps stay inside src/sim; kernel code states points through the runtime', () => {
    const leaks = IMPORTS.filter((i) => floorOf(i.file) !== 'sim' && i.target === join(SRC, 'sim/done.ts'));
    expect(leaks.map(where)).toEqual([]);
    const words = /\b(preemptible|grabNow|lockNow|lockIrqNow|otherRunnable)\b/;
    const outside = FILES.filter((f) => floorOf(f) !== 'sim' && words.test(TEXT.get(f)!));
    expect(outside.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it(`no file under src/ is over ${MAX_LINES} lines`, () => {
    const long = FILES.map((f) => [relative(ROOT, f), TEXT.get(f)!.split('\n').length] as const).filter(
      ([, n]) => n > MAX_LINES,
    );
    expect(long).toEqual([]);
  });
});
