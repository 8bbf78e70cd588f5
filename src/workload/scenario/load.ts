/**
 * Loading scenarios from disk: a path, or `builtin:NAME` from the package's `scenarios/` directory.
 *
 * Invariants:
 * - the package root is found from this module's own URL by walking up to the `package.json` whose name
 *   is `daxsim`, so it works from `src/` (vitest) and from `dist/src/` (after build) alike;
 * - every failure to load is a `ScenarioError`: a missing or unreadable file has line 0, column 0; an
 *   unknown built-in lists the available names; a parse failure has the position in the file;
 * - `Scenario.source` is the reference as the user gave it (`builtin:NAME` or the path), so a report can
 *   say how to run the scenario again; messages name the file actually read.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { ScenarioError } from './error.js';
import { parseScenario } from './parse.js';
import { isName } from './sizes.js';
import type { Scenario } from './types.js';

/** The prefix that selects a built-in scenario. */
export const BUILTIN_PREFIX = 'builtin:';
/** Built-in file extensions, in the order they are tried. */
const BUILTIN_EXTENSIONS = ['.yaml', '.json'] as const;
const PACKAGE_NAME = 'daxsim';

/** Options for `loadScenario`. */
export interface LoadOptions {
  /** Directory relative paths are resolved against (default: `process.cwd()`). */
  cwd?: string;
  /** Directory of built-in scenarios (default: `<package root>/scenarios`); tests point it elsewhere. */
  builtinDir?: string;
}

/** A built-in scenario as `daxsim scenarios` lists it. */
export interface BuiltinScenarioInfo {
  name: string;
  /** The first line of its description ('' when it has none or cannot be read). */
  description: string;
  /** The first sentence of that line: what `daxsim scenarios` shows. */
  summary: string;
}

/** The first sentence of `text` (up to a full stop followed by a capital or a backtick), or all of it. */
export function firstSentence(text: string): string {
  const m = /^(.*?[.!?])\s+(?=[A-Z`])/.exec(text);
  return (m?.[1] ?? text).trim();
}

let cachedRoot: string | undefined;

function isDaxsimPackage(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The daxsim package root (the directory holding its package.json). Throws if installed without one. */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!isDaxsimPackage(dir)) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`daxsim package root not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  cachedRoot = dir;
  return dir;
}

/** Where built-in scenarios live unless overridden. */
export function builtinScenarioDir(): string {
  return join(packageRoot(), 'scenarios');
}

function builtinFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const entries = existsSync(dir) ? readdirSync(dir).sort() : [];
  for (const ext of BUILTIN_EXTENSIONS) {
    for (const entry of entries) {
      if (extname(entry) !== ext) continue;
      const name = entry.slice(0, -ext.length);
      if (isName(name) && !files.has(name)) files.set(name, join(dir, entry));
    }
  }
  return files;
}

function fileIssue(file: string, expected: string, got: string): ScenarioError {
  return new ScenarioError([{ file, line: 0, column: 0, path: '', expected, got }]);
}

function readScenarioText(path: string, shownAs: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'an error';
    const why = code === 'ENOENT' ? 'ENOENT (no such file)' : code === 'EISDIR' ? 'a directory' : code;
    throw fileIssue(shownAs, 'a readable scenario file', why);
  }
}

/** A scenario with the text it was parsed from (a checker shard carries it to `daxsim merge`). */
export interface LoadedScenario {
  scenario: Scenario;
  /** The file's text. */
  text: string;
  /** The file name it was parsed under (its base name names a scenario without `name`). */
  file: string;
}

/** Load `ref` (a path, or `builtin:NAME`) and return the validated scenario; throws `ScenarioError`. */
export function loadScenario(ref: string, opts: LoadOptions = {}): Scenario {
  return loadScenarioSource(ref, opts).scenario;
}

/** `loadScenario`, also handing back the text and the file name it was parsed under. */
export function loadScenarioSource(ref: string, opts: LoadOptions = {}): LoadedScenario {
  if (ref.startsWith(BUILTIN_PREFIX)) {
    const name = ref.slice(BUILTIN_PREFIX.length);
    const files = builtinFiles(opts.builtinDir ?? builtinScenarioDir());
    const path = files.get(name);
    if (path === undefined) {
      const names = [...files.keys()].sort();
      const list = names.length === 0 ? 'none are installed' : names.join(', ');
      throw fileIssue(ref, `the name of a built-in scenario (${list})`, `"${name}"`);
    }
    return parseScenarioSource(readScenarioText(path, path), path, ref);
  }
  const path = resolve(opts.cwd ?? process.cwd(), ref);
  return parseScenarioSource(readScenarioText(path, ref), ref, ref);
}

/** Parse `text` (read from `file`) as the scenario `ref` names; throws `ScenarioError`. */
export function parseScenarioSource(text: string, file: string, ref: string): LoadedScenario {
  return { scenario: { ...parseScenario(text, file), source: ref }, text, file };
}

function firstDescriptionLine(path: string): string {
  try {
    const description = parseDocument(readFileSync(path, 'utf8')).get('description');
    return typeof description === 'string' ? (description.trim().split('\n')[0] ?? '') : '';
  } catch {
    return '';
  }
}

/** The built-in scenarios, sorted by name, with the first line of each description. */
export function listBuiltinScenarios(opts: { builtinDir?: string } = {}): BuiltinScenarioInfo[] {
  const files = builtinFiles(opts.builtinDir ?? builtinScenarioDir());
  return [...files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, path]) => {
      const description = firstDescriptionLine(path);
      return { name, description, summary: firstSentence(description) };
    });
}
