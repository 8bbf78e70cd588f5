/**
 * A scenario's source text parsed with the `yaml` document API, so any value can be traced back to the
 * line and column of the node it came from (JSON input is YAML too, and gets the same positions).
 *
 * Invariants:
 * - `parseYamlSource` returns either the source with its plain JS value or the parser's first error
 *   (position from the parser, via the `LineCounter`); a document with errors is never used;
 * - `locate` never fails: a path that leaves the document (a missing key) resolves to the deepest node
 *   that exists on it, so "missing key" issues point at the mapping that lacks the key;
 * - positions are 1-based (`LineCounter.linePos`).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type DocPath, formatDocPath, type PathIssue, type ScenarioIssue } from './error.js';

/** A parsed source: text, document and line index. */
export interface YamlSource {
  file: string;
  text: string;
  doc: ReturnType<typeof parseDocument>;
  lineCounter: LineCounter;
}

/** Where a path lands: its line and column, and whether the full path exists. */
export interface Location {
  line: number;
  column: number;
  /** The node reached (the value, or the key when `atKey` was asked and the key exists). */
  node: Node | null;
  found: boolean;
}

/** Anchors and aliases are allowed, but a billion-laughs document is not. */
const MAX_ALIAS_COUNT = 100;
const MAX_GOT_CHARS = 60;

/** Parse `text`; a syntax error comes back as an issue at the parser's position. */
export function parseYamlSource(
  text: string,
  file: string,
): { ok: true; source: YamlSource; value: unknown } | { ok: false; issue: ScenarioIssue } {
  const binary = binaryIssue(text, file);
  if (binary !== null) return { ok: false, issue: binary };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const source: YamlSource = { file, text, doc, lineCounter };
  const error = doc.errors[0];
  if (error !== undefined) {
    const pos = lineCounter.linePos(error.pos[0]);
    const got = `${error.message.replace(/\.$/, '')} (${error.code})`;
    return {
      ok: false,
      issue: { file, line: pos.line, column: pos.col, path: '', expected: 'valid YAML or JSON', got },
    };
  }
  try {
    return { ok: true, source, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    const got = e instanceof Error ? e.message : String(e);
    return { ok: false, issue: { file, line: 1, column: 1, path: '', expected: 'valid YAML or JSON', got } };
  }
}

/**
 * A NUL byte or bytes that are not UTF-8 (read as U+FFFD) mean the file is not text: say so at
 * the first one rather than echoing the bytes back.
 */
function binaryIssue(text: string, file: string): ScenarioIssue | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is searched for
  const at = text.search(/[\u0000\ufffd]/);
  if (at < 0) return null;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const what = text[at] === '\u0000' ? 'a NUL byte' : 'bytes that are not UTF-8';
  return { file, line, column, path: '', expected: 'a YAML or JSON text file', got: `binary data (${what})` };
}

function deref(source: YamlSource, node: unknown): unknown {
  return isAlias(node) ? node.resolve(source.doc) : node;
}

function keyMatches(key: unknown, seg: string | number): boolean {
  const k = isScalar(key) ? key.value : key;
  return String(k) === String(seg);
}

/** Walk `path`; with `atKey`, the last step lands on the key node of its pair rather than the value. */
export function locate(source: YamlSource, path: DocPath, atKey = false): Location {
  let node: unknown = deref(source, source.doc.contents);
  let reached: Node | null = (node as Node | null) ?? null;
  let found = true;
  for (const [i, seg] of path.entries()) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, seg));
      const last = i === path.length - 1;
      next = pair === undefined ? undefined : last && atKey ? pair.key : (pair.value ?? pair.key);
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined || next === null) {
      found = false;
      break;
    }
    node = deref(source, next);
    reached = next as Node;
  }
  const offset = reached?.range?.[0] ?? 0;
  const pos = source.lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col, node: reached, found };
}

/** How a value reads in a message: its source text for scalars, else a kind ("a mapping"). */
export function describeAt(source: YamlSource, path: DocPath): string {
  const where = locate(source, path);
  if (!where.found || where.node === null) return 'nothing';
  const node = where.node;
  if (isMap(node)) return node.items.length === 0 ? 'an empty mapping' : 'a mapping';
  if (isSeq(node)) return node.items.length === 0 ? 'an empty list' : 'a list';
  if (isScalar(node) && node.range) {
    const raw = source.text.slice(node.range[0], node.range[1]).trim();
    if (raw === '') return 'an empty value';
    return raw.length > MAX_GOT_CHARS ? `${raw.slice(0, MAX_GOT_CHARS)}...` : raw;
  }
  return 'an unreadable value';
}

/** Give a value-level issue its file, line and column; `got` defaults to the source text there. */
export function positionIssue(source: YamlSource, issue: PathIssue): ScenarioIssue {
  const where = locate(source, issue.path, issue.atKey === true);
  return {
    file: source.file,
    line: where.line,
    column: where.column,
    path: formatDocPath(issue.path),
    expected: issue.expected,
    got: issue.got ?? describeAt(source, issue.path),
  };
}
