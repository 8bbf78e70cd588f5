/**
 * The mutation score (U3): run the checker on each non-equivalent catalogue mutation with the
 * scenario that should expose it, and count those it kills; run each equivalence proof.
 *
 * A mutation counts as found when some strategy's counterexample violates one of the
 * invariants the catalogue expects. Strategies are tried in order (seeded random walk, then
 * bounded dfs) with fixed budgets, so the score is deterministic. An equivalence claim holds
 * when dfs with its preemption bound exhausts the proof scenario and finds nothing; a claim
 * that fails counts against the score like a survivor. Under a profile that already has a
 * switch mutation's values (`--profile 4.10` and `no-colour-check`), the mutation changes
 * nothing and is left out of the score as `in profile`; where the unmutated profile already
 * violates an invariant on the mutation's scenario (a buggy kernel fails on its own), the
 * mutation is left out too, with that violation named.
 */

import type { InvariantId } from '../../verify/violation.js';
import { switchMutation } from '../../version/bug-overrides.js';
import { resolveKernel } from '../../version/kernel.js';
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
  /** The profile already has the mutation's switch values: nothing to find. */
  inProfile: boolean;
  /**
   * Under a profile other than `fixed`: the violation the unmutated profile already shows on
   * the scenario (a kill there proves nothing, so the mutation is left out of the score).
   */
  profileFails: string | null;
  /** An equivalent mutation's proof run, or null. */
  proof: ProofRun | null;
}

/** What the dfs of an equivalence proof did. */
export interface ProofRun {
  scenario: string;
  preemptions: number;
  executions: number;
  exhausted: boolean;
  /** The violation that refutes the claim, or null. */
  violation: string | null;
  /** Exhausted with no violation. */
  holds: boolean;
}

/** The score over the catalogue. */
export interface MutationScore {
  /** The kernel profile the mutations were put into. */
  profile: string;
  verdicts: MutationVerdict[];
  killed: number;
  total: number;
  /** Equivalence claims whose proof held, of all claims run. */
  proven: number;
  claims: number;
  /** (killed + proven) / (total + claims) in percent (100 when both are 0). */
  score: number;
}

/** A proof's dfs budget: far above any proof scenario's space, so "not exhausted" is a failure. */
const PROOF_EXECUTIONS = 200_000;

/** True when the profile already has every switch value the mutation sets. */
function alreadyInProfile(m: MutationInfo, profile: string): boolean {
  const overrides = switchMutation(m.name);
  if (overrides === undefined) return false;
  const base = resolveKernel(profile).sw as unknown as Record<string, string>;
  const mutated = resolveKernel(profile, overrides).sw as unknown as Record<string, string>;
  return Object.keys(base).every((k) => base[k] === mutated[k]);
}

function firstLine(cx: { invariant: string; message: string }): string {
  return `${cx.invariant}: ${cx.message.split('\n')[0]}`;
}

/** The unmutated profile's own violation on a scenario under the score plan, per profile. */
const baselines = new Map<string, Promise<string | null>>();

function baseline(
  scenarioRef: string,
  extra: CheckOptions,
  plan: readonly CheckOptions[],
): Promise<string | null> {
  const key = `${extra.profile}|${scenarioRef}|${JSON.stringify(plan)}`;
  let b = baselines.get(key);
  if (b === undefined) {
    b = (async () => {
      for (const p of plan) {
        const r = await check(loadScenario(scenarioRef), { seed: 1, ...p, ...extra, mutations: [] });
        if (r.violation !== undefined) return firstLine(r.violation);
      }
      return null;
    })();
    baselines.set(key, b);
  }
  return b;
}

function otherProfile(extra: CheckOptions): boolean {
  return extra.profile !== undefined && extra.profile !== DEFAULT_PROFILE;
}

async function runProof(m: MutationInfo, extra: CheckOptions): Promise<ProofRun> {
  const proof = m.proof!;
  const opts = { strategy: 'dfs' as const, preemptions: proof.preemptions, executions: PROOF_EXECUTIONS };
  const r = await check(loadScenario(proof.scenario), { ...extra, ...opts, mutations: [m.name] });
  const violation = r.violation === undefined ? null : firstLine(r.violation);
  return {
    scenario: proof.scenario,
    preemptions: proof.preemptions,
    executions: r.executions,
    exhausted: r.exhausted,
    violation,
    holds: r.exhausted && violation === null,
  };
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
    inProfile: false,
    profileFails: null,
    proof: null,
  };
  if (extra.profile !== undefined && alreadyInProfile(m, extra.profile)) {
    v.inProfile = true;
    return v;
  }
  if (m.equivalent) {
    if (m.proof === undefined) return v;
    if (otherProfile(extra)) {
      const p = m.proof;
      const plan = [{ strategy: 'dfs' as const, preemptions: p.preemptions, executions: PROOF_EXECUTIONS }];
      v.profileFails = await baseline(p.scenario, extra, plan);
      if (v.profileFails !== null) return v;
    }
    v.proof = await runProof(m, extra);
    return v;
  }
  if (otherProfile(extra)) {
    v.profileFails = await baseline(
      m.scenario,
      extra,
      SCORE_PLAN.map((p) => ({ ...p, ...m.check })),
    );
    if (v.profileFails !== null) return v;
  }
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
  workers = 1,
): Promise<MutationScore> {
  const list = only === undefined ? MUTATIONS : MUTATIONS.filter((m) => only.includes(m.name));
  const verdicts: MutationVerdict[] = [];
  for (const m of list) {
    const v = await verdictOf(m, { shrink: false, profile, workers });
    verdicts.push(v);
    onVerdict?.(v, verdicts.length, list.length);
  }
  const counted = verdicts.filter((v) => !v.equivalent && !v.inProfile && v.profileFails === null);
  const killed = counted.filter((v) => v.found).length;
  const claims = verdicts.filter((v) => v.proof !== null);
  const proven = claims.filter((v) => v.proof!.holds).length;
  const all = counted.length + claims.length;
  return {
    profile,
    verdicts,
    killed,
    total: counted.length,
    proven,
    claims: claims.length,
    score: all === 0 ? 100 : Math.round(((killed + proven) / all) * 1000) / 10,
  };
}
