/**
 * daxsim's public library API (design.md): run a scenario, explore it, look at what happened.
 *
 * - Scenarios: `loadScenario` (a path or `builtin:NAME`), `parseScenario` (YAML/JSON text),
 *   `listBuiltinScenarios`; bad input throws `ScenarioError` (file, line, field, expected).
 * - One run: `run` (alias `runScenario`) → `RunResult`; `buildReport` / `formatReport` turn it
 *   into the CLI's report; `toChromeTrace`, `toText` and `toFtrace` render its trace.
 * - Exploration: `check` (random, PCT, or bounded DFS with sleep sets) → `CheckResult`, with a
 *   shrunk, replayable counterexample; `replaySchedule` re-runs one schedule.
 * - Mutations: `MUTATIONS`, `findMutation`, `mutationScore` (U1-U3).
 * - Building blocks: `World` (the whole simulated machine), `Runtime` and its schedulers,
 *   `RadixTree`.
 *
 * Invariant: this is the package's only entry; everything else is internal and may move.
 * Nothing inside src/ imports this file.
 */

export { check } from './check/check.js';
export type { CheckOptions, CheckResult, Counterexample } from './check/explore/types.js';
export { findMutation, MUTATIONS, type MutationInfo } from './check/mutations/catalogue.js';
export { type MutationScore, mutationScore } from './check/mutations/score.js';
export { type Replayed, replaySchedule } from './check/replay.js';
export { type DaxEntry, describeEntry, type EntryKind, entryKind } from './dax/entry.js';
export { FALLBACK_REASONS, type FallbackReason } from './dax/fallback.js';
export { toFtrace } from './dax/ftrace.js';
export { ERRNOS, type Errno, isErrno } from './lib/errno.js';
export { MAX_INDEX, RadixTree, TAG_DIRTY, TAG_SPARE, TAG_TOWRITE, type Tag } from './lib/radix-tree.js';
export { FaultInjector, type InjectRule } from './sim/fault-injector.js';
export { PctScheduler } from './sim/pct-scheduler.js';
export { RandomScheduler } from './sim/random-scheduler.js';
export { ReplayScheduler } from './sim/replay-scheduler.js';
export { Runtime } from './sim/runtime.js';
export type { RunOutcome, RuntimeOptions } from './sim/runtime-types.js';
export { RoundRobinScheduler, RunToCompletionScheduler, type Scheduler } from './sim/scheduler.js';
export { Task } from './sim/task.js';
export { Trace, type TraceEvent } from './sim/trace.js';
export { type ChromeTrace, toChromeTrace } from './sim/trace-chrome.js';
export { toText } from './sim/trace-text.js';
export type { K } from './sim/types.js';
export type { InvariantId, Violation } from './verify/violation.js';
export type { ExpectFailure, TaskOutcome } from './workload/ops.js';
export { buildReport, type Report } from './workload/report.js';
export { formatReport } from './workload/report-text.js';
export { type RunOptions, type RunResult, runScenario as run, runScenario } from './workload/run.js';
export { ScenarioError } from './workload/scenario/error.js';
export { listBuiltinScenarios, loadScenario } from './workload/scenario/load.js';
export { parseScenario } from './workload/scenario/parse.js';
export type { Scenario } from './workload/scenario/types.js';
export { World, type WorldFile, type WorldMapping, type WorldOptions } from './workload/world.js';
