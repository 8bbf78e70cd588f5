/**
 * Name checks on a parsed scenario: uniqueness, references, and the `after` order.
 *
 * Invariants:
 * - scopes: file paths, process names and task names are unique scenario-wide; mapping names are unique
 *   within a process, counting its initial mappings and every `mmap` op of every task in it (a name
 *   never means two mappings, so a trace or report line naming one is unambiguous);
 * - an op's `map` names a mapping of its task's process: an initial one, or one created by an earlier
 *   `mmap` op of the same task (another task's mmap may not have happened yet);
 * - `after` names existing tasks, each once, and the "waits for" graph has no cycle (a task in a cycle
 *   could never start);
 * - pure: returns `PathIssue`s; when a process reference is unknown its ops' map names are not checked,
 *   so one mistake gives one message.
 */
import type { DocPath, PathIssue } from './error.js';
import { formatDocPath } from './error.js';
import { rawOpEntry } from './op-schema.js';
import type { RawScenario } from './schema.js';

/** The implicit process when `processes` is absent (scenario-format.md). */
export const DEFAULT_PROCESS = 'p';
const MAX_LISTED = 8;

function listOf(names: Iterable<string>): string {
  const all = [...names];
  if (all.length === 0) return 'none declared';
  const shown = all.slice(0, MAX_LISTED).join(', ');
  return all.length > MAX_LISTED ? `${shown}, ...` : shown;
}

/** Records names in one scope and reports the second use of any of them. */
class Scope {
  readonly seen = new Map<string, DocPath>();
  constructor(
    private readonly what: string,
    private readonly issues: PathIssue[],
  ) {}

  /** Declare `name` at `path`; a repeat is an issue. */
  declare(name: string, path: DocPath): void {
    const prev = this.seen.get(name);
    if (prev === undefined) this.seen.set(name, path);
    else this.issues.push({ path, expected: `a unique ${this.what} (${formatDocPath(prev)} has "${name}")` });
  }
}

function refIssue(issues: PathIssue[], path: DocPath, expected: string, known: Iterable<string>): void {
  issues.push({ path, expected: `${expected} (${listOf(known)})` });
}

/** True when the mapping was declared by an `mmap` op rather than by `processes`. */
function isTaskCreated(maps: Scope, name: string): boolean {
  return maps.seen.get(name)?.[0] === 'tasks';
}

/** Op references: files everywhere, maps against what the task can see at that point. */
function checkTaskOps(
  raw: RawScenario,
  i: number,
  files: Set<string>,
  maps: Scope | undefined,
  issues: PathIssue[],
) {
  const visible = new Set(
    maps === undefined ? [] : [...maps.seen.keys()].filter((n) => !isTaskCreated(maps, n)),
  );
  for (const [j, op] of (raw.tasks[i]?.ops ?? []).entries()) {
    const entry = rawOpEntry(op);
    const path: DocPath = ['tasks', i, 'ops', j, entry.kind];
    const body = entry.body as { file?: string; map?: string; name?: string } | null;
    if (body?.file !== undefined && !files.has(body.file)) {
      refIssue(issues, [...path, 'file'], 'a file path from files', files);
    }
    if (maps === undefined) continue;
    if (entry.kind === 'mmap') {
      maps.declare(entry.body.name, [...path, 'name']);
      visible.add(entry.body.name);
    } else if (body?.map !== undefined && !visible.has(body.map)) {
      const what = 'a mapping of the process or of an earlier mmap op of this task';
      refIssue(issues, [...path, 'map'], what, visible);
    }
  }
}

/** Find one cycle through `after`; report it at the edge that closes it. */
function checkAfterCycles(raw: RawScenario, issues: PathIssue[]): void {
  const index = new Map(raw.tasks.map((t, i) => [t.name, i]));
  const state = new Array<'new' | 'open' | 'done'>(raw.tasks.length).fill('new');
  const stack: number[] = [];
  const visit = (i: number): boolean => {
    state[i] = 'open';
    stack.push(i);
    for (const [k, dep] of (raw.tasks[i]?.after ?? []).entries()) {
      const d = index.get(dep);
      if (d === undefined || state[d] === 'done') continue;
      if (state[d] === 'open') {
        const names = [...stack.slice(stack.indexOf(d)), d].map((n) => raw.tasks[n]?.name ?? '?');
        issues.push({
          path: ['tasks', i, 'after', k],
          expected: 'no cycle in after',
          got: names.join(' -> '),
        });
        return true;
      }
      if (visit(d)) return true;
    }
    stack.pop();
    state[i] = 'done';
    return false;
  };
  for (let i = 0; i < raw.tasks.length; i++) {
    if (state[i] === 'new' && visit(i)) return;
  }
}

function checkProcesses(raw: RawScenario, files: Set<string>, issues: PathIssue[]): Map<string, Scope> {
  const processScope = new Scope('process name', issues);
  const mapScopes = new Map<string, Scope>();
  for (const [i, p] of (raw.processes ?? []).entries()) {
    processScope.declare(p.name, ['processes', i, 'name']);
    if (mapScopes.has(p.name)) continue;
    const maps = new Scope(`mapping name in process ${p.name}`, issues);
    mapScopes.set(p.name, maps);
    for (const [j, m] of p.mappings.entries()) {
      maps.declare(m.name, ['processes', i, 'mappings', j, 'name']);
      if (!files.has(m.file)) {
        refIssue(issues, ['processes', i, 'mappings', j, 'file'], 'a file path from files', files);
      }
    }
  }
  if (raw.processes === undefined) mapScopes.set(DEFAULT_PROCESS, new Scope('mapping name', issues));
  return mapScopes;
}

function checkTasks(
  raw: RawScenario,
  files: Set<string>,
  mapScopes: Map<string, Scope>,
  issues: PathIssue[],
) {
  const taskScope = new Scope('task name', issues);
  for (const [i, t] of raw.tasks.entries()) taskScope.declare(t.name, ['tasks', i, 'name']);
  const firstProcess = [...mapScopes.keys()][0];
  for (const [i, t] of raw.tasks.entries()) {
    const proc = t.process ?? firstProcess;
    const maps = proc === undefined ? undefined : mapScopes.get(proc);
    if (t.process !== undefined && maps === undefined) {
      refIssue(issues, ['tasks', i, 'process'], 'a process from processes', mapScopes.keys());
    }
    checkTaskOps(raw, i, files, maps, issues);
    const after = new Scope('task in after', issues);
    for (const [k, dep] of t.after.entries()) {
      after.declare(dep, ['tasks', i, 'after', k]);
      if (!taskScope.seen.has(dep))
        refIssue(issues, ['tasks', i, 'after', k], 'a task name', taskScope.seen.keys());
    }
  }
  for (const name of Object.keys(raw.expect?.tasks ?? {})) {
    if (!taskScope.seen.has(name)) {
      const expected = `a task name (${listOf(taskScope.seen.keys())})`;
      issues.push({ path: ['expect', 'tasks', name], expected, got: `"${name}"`, atKey: true });
    }
  }
}

/** Uniqueness, references and `after` cycles; issues in order of discovery. */
export function checkNames(raw: RawScenario): PathIssue[] {
  const issues: PathIssue[] = [];
  const fileScope = new Scope('file path', issues);
  for (const [i, f] of raw.files.entries()) fileScope.declare(f.path, ['files', i, 'path']);
  const files = new Set(fileScope.seen.keys());
  const mapScopes = checkProcesses(raw, files, issues);
  checkTasks(raw, files, mapScopes, issues);
  checkAfterCycles(raw, issues);
  return issues;
}
