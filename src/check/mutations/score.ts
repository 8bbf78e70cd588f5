/**
 * The mutation score (U3): run the checker on each non-equivalent catalogue mutation with the
 * scenario that should expose it, and count those it kills.
 *
 * A mutation counts as found when some strategy's counterexample violates one of the
 * invariants the catalogue expects. Strategies are tried in order (seeded random walk, then
 * bounded dfs) with fixed budgets, so the score is deterministic.
 */

import type { InvariantId } from '../../verify/violation.js';
import { DEFAULT_PROFILE } from '../../version/profiles.js';
import { loadScenario } from '../../workload/scenario/load.js';
import { check } from '../check.js';
import type { CheckOptions, Strategy } from '../explore/types.js';
import { MUTATIONS, type MutationInfo } from './catalogue.js';

/** The outcome for one mutation. */
export interface MutationVerdict {
  name: string;
  scenario: string;
  equivalent: boolean;
  found: boolean;
  /** The strategy and executions of the exploration that found it. */
  strategy: Strategy | null;
  executions: number;
  invariant: InvariantId | null;
  schedule: string | null;
  /** Some violation was found, but not of an expected invariant. */
  unexpected: string | null;
}

/** The score over the catalogue. */
export interface MutationScore {
  /** The kernel profile the mutations were put into. */
  profile: string;
  verdicts: MutationVerdict[];
  killed: number;
  total: number;
  /** killed / total in percent (100 when total is 0). */
  score: number;
}

/** Budgets per strategy of `mutations --check`. */
export const SCORE_PLAN: readonly { strategy: Strategy; executions: number }[] = [
  { strategy: 'random', executions: 300 },
  { strategy: 'dfs', executions: 20_000 },
];

/** Find one mutation with the plan's strategies (in order) and extra options. */
export async function verdictOf(m: MutationInfo, extra: CheckOptions = {}): Promise<MutationVerdict> {
  const v: MutationVerdict = {
    name: m.name,
    scenario: m.scenario,
    equivalent: m.equivalent,
    found: false,
    strategy: null,
    executions: 0,
    invariant: null,
    schedule: null,
    unexpected: null,
  };
  if (m.equivalent) return v;
  const scenario = loadScenario(m.scenario);
  for (const plan of SCORE_PLAN) {
    const r = await check(scenario, { ...plan, seed: 1, ...m.check, ...extra, mutations: [m.name] });
    v.executions += r.executions;
    const cx = r.violation;
    if (cx === undefined) continue;
    if (!m.expect.includes(cx.invariant)) {
      v.unexpected = `${cx.invariant}: ${cx.message.split('\n')[0]}`;
      continue;
    }
    v.found = true;
    v.strategy = plan.strategy;
    v.executions = r.executions;
    v.invariant = cx.invariant;
    v.schedule = cx.schedule;
    return v;
  }
  return v;
}

/** Score the whole catalogue (or the entries `only` names). */
export async function mutationScore(
  only?: readonly string[],
  onVerdict?: (v: MutationVerdict, done: number, of: number) => void,
  profile: string = DEFAULT_PROFILE,
): Promise<MutationScore> {
  const list = only === undefined ? MUTATIONS : MUTATIONS.filter((m) => only.includes(m.name));
  const verdicts: MutationVerdict[] = [];
  for (const m of list) {
    const v = await verdictOf(m, { shrink: false, profile });
    verdicts.push(v);
    onVerdict?.(v, verdicts.length, list.length);
  }
  const counted = verdicts.filter((v) => !v.equivalent);
  const killed = counted.filter((v) => v.found).length;
  return {
    profile,
    verdicts,
    killed,
    total: counted.length,
    score: counted.length === 0 ? 100 : Math.round((killed / counted.length) * 1000) / 10,
  };
}
