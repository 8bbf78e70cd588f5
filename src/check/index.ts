/**
 * The checker's public API (X1-X4, U1-U3): `check`, replay, shrinking, the thread table and
 * the mutation catalogue and score.
 *
 * Invariant: the CLI and `src/index.ts` import the checker only through this barrel.
 */
export { check, resolveOptions } from './check.js';
export { mergePartials } from './explore/merge.js';
export { workerScriptAvailable } from './explore/parallel.js';
export type {
  CheckOptions,
  CheckResult,
  Counterexample,
  ExecutionOutcome,
  PartialResult,
  ResolvedOptions,
  Strategy,
} from './explore/types.js';
export { STRATEGIES } from './explore/types.js';
export { findMutation, MUTATIONS, type MutationInfo, type MutationOrigin } from './mutations/catalogue.js';
export {
  type MutationScore,
  type MutationVerdict,
  mutationScore,
  SCORE_PLAN,
  verdictOf,
} from './mutations/score.js';
export { type Replayed, type ReplayOptions, replaySchedule } from './replay.js';
export { shrink } from './shrink.js';
export { renderTable } from './table.js';
