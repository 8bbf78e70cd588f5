/**
 * Scenario problems as values (`ScenarioIssue`) and the one error type that carries them.
 *
 * Invariants:
 * - a message is one line: `file:line:col: path: expected ..., got ...` (the path is left out when the
 *   problem is the file itself, and the position when there is none), with newlines in quoted input
 *   flattened so a terminal shows one line;
 * - `line` and `column` are 1-based positions in the source; 0 means "no position" (file not found);
 * - a `ScenarioError` carries every issue found, in source order; its own fields are the first one's.
 */

/** A path into the scenario document: keys and list indices. */
export type DocPath = readonly (string | number)[];

/** A problem found on the parsed value, before it is given a position: `got` defaults to the source text. */
export interface PathIssue {
  path: DocPath;
  expected: string;
  got?: string;
  /** Point at the key of the last path step rather than at its value (for bad or unknown keys). */
  atKey?: boolean;
}

/** One problem with a scenario file, with its place and what was expected there. */
export interface ScenarioIssue {
  file: string;
  line: number;
  column: number;
  /** e.g. `tasks[0].ops[2].read.offset`; empty for the whole file. */
  path: string;
  expected: string;
  got: string;
}

/** Render a document path the way messages show it: `tasks[0].ops[2].read.offset`. */
export function formatDocPath(path: DocPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** The one-line message of an issue. */
export function formatScenarioIssue(issue: ScenarioIssue): string {
  // Line 0 means the file as a whole (not found, not a built-in): no position to show.
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const path = issue.path === '' ? '' : ` ${issue.path}:`;
  return oneLine(`${where}:${path} expected ${issue.expected}, got ${issue.got}`);
}

/** Order issues as a reader meets them: by line, then column; ties keep their order. */
export function sortIssues(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.i - b.i)
    .map(({ issue }) => issue);
}

/** A scenario that cannot be used: the first issue in source order, and all of them in `issues`. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly expected: string;
  readonly got: string;
  readonly issues: readonly ScenarioIssue[];

  /** Build from at least one issue; they are sorted into source order. */
  constructor(issues: readonly ScenarioIssue[]) {
    const sorted = sortIssues(issues);
    const first = sorted[0];
    if (first === undefined) throw new RangeError('ScenarioError needs at least one issue');
    super(formatScenarioIssue(first));
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.path = first.path;
    this.expected = first.expected;
    this.got = first.got;
    this.issues = sorted;
  }

  /** Every issue's one-line message, in source order. */
  messages(): string[] {
    return this.issues.map(formatScenarioIssue);
  }
}
