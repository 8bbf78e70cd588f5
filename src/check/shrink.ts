/**
 * Shrinking a counterexample (X3): fewer failures, fewer preemptions, fewer steps, fewer
 * choices, while the same invariant still fails.
 *
 * Candidates are schedules replayed leniently (a token that no longer fits is dropped) and
 * completed non-preemptively; each candidate run re-records its own schedule, so what is kept
 * always replays exactly. Passes: the shortest prefix that still fails, then single-choice
 * deletions, then turning injected failures into successes, until nothing improves or the
 * run budget is spent. A further pass replaces a choice by the one before it (keep running the
 * same task), which removes preemptions.
 *
 * Invariant: the result's score is never worse than the input's, and its schedule replays
 * strictly (with `maxFailures` = its number of `F` tokens) to a violation of the same invariant.
 */

import { ReplayScheduler } from '../sim/replay-scheduler.js';
import { decodeSchedule, encodeSchedule, type ScheduleToken } from '../sim/schedule-string.js';
import type { InvariantId } from '../verify/violation.js';
import type { Scenario } from '../workload/scenario/types.js';
import { type ExecuteOptions, execute, isReplayDivergence, nonPreemptive } from './explore/execute.js';
import type { ExecutionOutcome } from './explore/types.js';

/** A shrunk counterexample. */
export interface Shrunk {
  outcome: ExecutionOutcome;
  maxFailures: number;
  runs: number;
}

function score(o: ExecutionOutcome): number[] {
  return [o.failures, o.preemptions, o.steps, decodeSchedule(o.schedule).length];
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** The first violation's invariant, unless the run only says the replay went wrong. */
export function firstInvariant(o: ExecutionOutcome): InvariantId | null {
  const v = o.violations[0];
  if (v === undefined || isReplayDivergence(v.message)) return null;
  return v.invariant;
}

/** Drop the `S` tokens after the last `F`: with maxFailures = #F they are no longer offered. */
export function normaliseFailures(tokens: readonly ScheduleToken[]): {
  tokens: ScheduleToken[];
  failures: number;
} {
  const lastF = tokens.lastIndexOf('F');
  const out = tokens.filter((t, i) => t !== 'S' || i < lastF);
  return { tokens: out, failures: tokens.filter((t) => t === 'F').length };
}

/** Replay `tokens` leniently, completing non-preemptively. */
function attempt(
  scenario: Scenario,
  eo: ExecuteOptions,
  tokens: readonly ScheduleToken[],
  maxFailures: number,
): ExecutionOutcome | null {
  const s = new ReplayScheduler(encodeSchedule(tokens), { lenient: true, fallback: nonPreemptive() });
  return execute(scenario, s, { ...eo, maxFailures })?.outcome ?? null;
}

/** Replay a schedule strictly with maxFailures = its number of F tokens. */
export function replayStrict(
  scenario: Scenario,
  eo: ExecuteOptions,
  schedule: string,
): ExecutionOutcome | null {
  const failures = decodeSchedule(schedule).filter((t) => t === 'F').length;
  return execute(scenario, new ReplayScheduler(schedule), { ...eo, maxFailures: failures })?.outcome ?? null;
}

/** Shrink `found` (recorded with `eo.maxFailures`) within `budget` candidate runs. */
export function shrink(
  scenario: Scenario,
  eo: ExecuteOptions,
  found: ExecutionOutcome,
  budget = 400,
): Shrunk {
  const want = firstInvariant(found);
  let best = found;
  let runs = 0;
  const tryTokens = (tokens: readonly ScheduleToken[]): boolean => {
    if (runs >= budget) return false;
    runs++;
    const o = attempt(scenario, eo, tokens, eo.maxFailures);
    if (o === null || firstInvariant(o) !== want || !better(score(o), score(best))) return false;
    best = o;
    return true;
  };
  // Pass 1: the shortest prefix that still fails (non-preemptive after it).
  const all = decodeSchedule(best.schedule);
  for (let k = 0; k < all.length; k++) if (tryTokens(all.slice(0, k))) break;
  // Passes 2 and 3: delete single choices; turn failures into successes.
  let improved = true;
  while (improved && runs < budget) {
    improved = false;
    const toks = decodeSchedule(best.schedule);
    for (let i = toks.length - 1; i >= 0 && !improved; i--) {
      improved = tryTokens([...toks.slice(0, i), ...toks.slice(i + 1)]);
    }
    for (let i = 1; i < toks.length && !improved; i++) {
      // Keep running the task chosen before (usually removes a preemption).
      const prev = toks[i - 1]!;
      if (typeof prev === 'number' && typeof toks[i] === 'number' && toks[i] !== prev) {
        improved = tryTokens([...toks.slice(0, i), prev, ...toks.slice(i + 1)]);
      }
    }
    for (let i = 0; i < toks.length && !improved; i++) {
      if (toks[i] === 'F') improved = tryTokens([...toks.slice(0, i), 'S', ...toks.slice(i + 1)]);
    }
  }
  return finalise(scenario, eo, best, found, runs);
}

/** Re-record with maxFailures = #F so the schedule replays strictly on its own. */
function finalise(
  scenario: Scenario,
  eo: ExecuteOptions,
  best: ExecutionOutcome,
  found: ExecutionOutcome,
  runs: number,
): Shrunk {
  const norm = normaliseFailures(decodeSchedule(best.schedule));
  const schedule = encodeSchedule(norm.tokens);
  const strict = replayStrict(scenario, eo, schedule);
  if (strict !== null && firstInvariant(strict) === firstInvariant(found)) {
    return { outcome: strict, maxFailures: norm.failures, runs: runs + 1 };
  }
  // Should not happen; keep the original, which replays with the exploration's maxFailures.
  return { outcome: found, maxFailures: eo.maxFailures, runs: runs + 1 };
}
