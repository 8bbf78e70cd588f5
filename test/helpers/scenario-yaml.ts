/**
 * Scenario YAML built from the pieces the model tests share: the file `data`, the usual
 * processes over it (the YAML twins of fixtures.ts), and tasks with their op items.
 *
 * Invariants: every builder returns YAML text only (parsing and running stay in scenario.ts);
 * the op items a test passes are inserted as written, so a scenario still reads as YAML.
 */

/** One entry of `processes:`: process `name` mapping `length` bytes of `data` from `offset` as `map`. */
export function yamlProc(name: string, map: string, offset: string, length: string, extra = ''): string {
  return `  - name: ${name}\n    mappings: [{ name: ${map}, file: data, offset: ${offset}, length: ${length}${extra} }]`;
}

/** YAML twins of fixtures.ts's P_WHOLE, P_PRIVATE, Q_LOW and Q_HIGH. */
export const YAML_P_WHOLE = yamlProc('p', 'm', '0', '4MiB');
export const YAML_P_PRIVATE = yamlProc('p', 'm', '0', '4MiB', ', shared: false');
export const YAML_Q_LOW = yamlProc('q', 's', '0', '1MiB', ', address: "0x7f0000200000"');
export const YAML_Q_HIGH = yamlProc('q', 's', '2MiB', '1MiB', ', address: "0x7f0000200000"');

/**
 * One entry of `tasks:`: task `name` (in `process`, or the first process when undefined) doing
 * `ops`, the YAML op items (`      - read: { ... }` lines) as written.
 */
export function yamlTask(name: string, process: string | undefined, ops: string): string {
  const head = process === undefined ? `  - name: ${name}` : `  - name: ${name}\n    process: ${process}`;
  return `${head}\n    ops:\n${ops.replace(/^\n/, '')}`;
}

/**
 * A scenario over the one file `data`: `file` is the rest of its flow mapping (`size: 4MiB`,
 * `size: 4MiB, layout: allocated`), then `processes:`, then `rest` (tasks, inject, fs, ...).
 */
export function yamlScenario(file: string, processes: readonly string[], rest: string): string {
  return `files: [{ path: data, ${file} }]\nprocesses:\n${processes.join('\n')}\n${rest}`;
}
