/**
 * daxsim's public library API (design.md): the radix tree, the runtime, the World builder,
 * `run` / `check`, the mutation catalogue and the scenario types.
 *
 * Invariant: everything a library user needs is exported here; deep imports are not API.
 */

export {
  type CheckOptions,
  type CheckResult,
  check,
  findMutation,
  MUTATIONS,
  type MutationInfo,
  mutationScore,
  replaySchedule,
} from './check/index.js';
export type { InvariantId, Violation } from './check/invariants/violation.js';
export { type DaxEntry, describeEntry, type EntryKind, entryKind } from './dax/entry.js';
export { FALLBACK_REASONS, type FallbackReason } from './dax/fallback.js';
export { toFtrace } from './dax/ftrace.js';
export { ERRNOS, type Errno, isErrno } from './lib/errno.js';
export { RadixTree, TAG_DIRTY, TAG_SPARE, TAG_TOWRITE, type Tag } from './lib/radix-tree.js';
export * as sim from './sim/index.js';
export type { ExpectFailure, TaskOutcome } from './workload/ops.js';
export { buildReport, type Report } from './workload/report.js';
export { formatReport } from './workload/report-text.js';
export { type RunOptions, type RunResult, runScenario as run, runScenario } from './workload/run.js';
export {
  listBuiltinScenarios,
  loadScenario,
  parseScenario,
  type Scenario,
  ScenarioError,
} from './workload/scenario/index.js';
export { World, type WorldFile, type WorldMapping, type WorldOptions } from './workload/world.js';
