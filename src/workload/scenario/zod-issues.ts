/**
 * zod's validation issues turned into `ScenarioIssue`s: positioned, with "expected" and "got" phrases.
 *
 * Invariants:
 * - every issue's zod `message` is the "expected" phrase: fields set their own (fields.ts), and
 *   `expectedPhrase` (passed to zod as the per-parse error map) supplies it for zod's built-in checks;
 * - "got" is the offending node's source text (`0x1001`, not 4097), or a custom `params.got`;
 * - an unknown key gets one issue per key, placed on the key itself, with a did-you-mean when a known
 *   key is one or two edits away.
 */
import type { z } from 'zod';
import type { DocPath, ScenarioIssue } from './error.js';
import { formatDocPath } from './error.js';
import { describeAt, locate, type YamlSource } from './yaml-source.js';

const KEYS_PREFIX = 'one of the keys ';

const TYPE_PHRASES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  int: 'an integer',
  null: 'null',
};

function plural(n: number | bigint, word: string): string {
  return `${n} ${word}${n === 1 || n === 1n ? '' : 's'}`;
}

function sizePhrase(iss: { origin?: string; minimum?: unknown; maximum?: unknown }, small: boolean): string {
  const bound = (small ? iss.minimum : iss.maximum) as number | bigint;
  const word = small ? 'at least' : 'at most';
  if (iss.origin === 'array') return `${word} ${plural(bound, 'item')}`;
  if (iss.origin === 'string')
    return small && bound === 1 ? 'a non-empty string' : `${word} ${plural(bound, 'character')}`;
  return `${word} ${bound}`;
}

function shapeKeys(inst: unknown): string[] {
  const def = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.shape ? Object.keys(def.shape) : [];
}

/** The per-parse zod error map: the "expected" phrase for zod's own checks (custom ones keep theirs). */
export function expectedPhrase(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type': {
      const phrase = TYPE_PHRASES[iss.expected] ?? `a ${iss.expected}`;
      return iss.input === undefined ? `${phrase} (required)` : phrase;
    }
    case 'invalid_value':
      return iss.values.length === 1 ? String(iss.values[0]) : `one of ${iss.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `${KEYS_PREFIX}${shapeKeys(iss.inst).join(', ')}`;
    case 'too_small':
      return sizePhrase(iss, true);
    case 'too_big':
      return sizePhrase(iss, false);
    case 'invalid_format':
      return 'pattern' in iss && iss.pattern ? `a string matching ${iss.pattern}` : `a valid ${iss.format}`;
    case 'not_multiple_of':
      return `a multiple of ${iss.divisor}`;
    case 'invalid_key':
      return iss.issues[0]?.message ?? 'a valid key';
    default:
      return iss.message ?? 'a valid value';
  }
}

/** Edit distance, for "did you mean" on unknown keys (keys are short: quadratic is fine). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

function unknownKeyIssues(
  source: YamlSource,
  path: DocPath,
  keys: string[],
  expected: string,
): ScenarioIssue[] {
  const known = expected.startsWith(KEYS_PREFIX) ? expected.slice(KEYS_PREFIX.length).split(', ') : [];
  return keys.map((key) => {
    const keyPath = [...path, key];
    const where = locate(source, keyPath, true);
    const best = known
      .map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) }))
      .sort((x, y) => x.d - y.d)[0];
    const hint = best !== undefined && best.d <= 2 ? ` (did you mean "${best.k}"?)` : '';
    return {
      file: source.file,
      line: where.line,
      column: where.column,
      path: formatDocPath(keyPath),
      expected,
      got: `unknown key "${key}"${hint}`,
    };
  });
}

/** Convert zod's issues (parsed with `expectedPhrase` as error map) into positioned scenario issues. */
export function fromZodIssues(source: YamlSource, issues: readonly z.core.$ZodIssue[]): ScenarioIssue[] {
  return issues.flatMap((iss): ScenarioIssue[] => {
    const path = iss.path as DocPath;
    if (iss.code === 'unrecognized_keys') return unknownKeyIssues(source, path, iss.keys, iss.message);
    const atKey = iss.code === 'invalid_key';
    const where = locate(source, path, atKey);
    const custom = iss.code === 'custom' ? (iss.params?.got as string | undefined) : undefined;
    const got = custom ?? (atKey ? `"${String(path[path.length - 1])}"` : describeAt(source, path));
    return [
      {
        file: source.file,
        line: where.line,
        column: where.column,
        path: formatDocPath(path),
        expected: iss.message,
        got,
      },
    ];
  });
}
