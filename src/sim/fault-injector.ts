/**
 * Allocation fault injection (S4), like the kernel's failslab / fail_page_alloc.
 *
 * Rules per site: `nth` fails exactly the Nth call (1-based); `every` fails every call (from
 * the Nth on when `nth` is also given); `probability` fails each call (from the Nth on) with
 * that probability, drawn from the injector's Prng. Several rules on one site: any may fail it.
 *
 * Choice mode (for the explorer): when configured with `choice`, an allocation the rules let
 * succeed becomes a choice the scheduler makes (`Scheduler.chooseFailure`) and the runtime
 * records it in the schedule as `F` / `S`, while fewer than `maxFailures` chosen failures
 * have happened and the site is eligible.
 *
 * Invariants:
 * - `calls(site)` counts every allocation at the site, failed or not; `failures(site)` counts
 *   failed ones (rule or choice); `chosenFailures` counts choice-mode failures only.
 * - With no rules and no choice mode the injector never fails and draws nothing.
 */
import type { Prng } from './prng.js';
import { ALLOC_SITES, type AllocSite } from './types.js';

/** One injection rule (S4). */
export interface InjectRule {
  site: AllocSite;
  /** Fail the Nth call (1-based); with `every` or `probability`, the first call affected. */
  nth?: number;
  /** Fail every call. */
  every?: boolean;
  /** Fail each call with this probability (seeded). */
  probability?: number;
}

/** Choice-mode configuration: failures become recorded scheduler choices. */
export interface ChoiceConfig {
  /** Bound on chosen failures per run (X1 `--max-failures`). */
  maxFailures: number;
  /** Sites offered as choices (default: every site). */
  sites?: readonly AllocSite[];
}

function siteIndex(site: AllocSite): number {
  const i = ALLOC_SITES.indexOf(site);
  if (i < 0)
    throw new RangeError(
      `fault injector: unknown allocation site '${site}' (expected ${ALLOC_SITES.join(', ')})`,
    );
  return i;
}

function checkRule(r: InjectRule): void {
  siteIndex(r.site);
  if (r.nth === undefined && r.every !== true && r.probability === undefined) {
    throw new RangeError(`inject rule for ${r.site}: give nth, every: true or probability`);
  }
  if (r.nth !== undefined && !(Number.isInteger(r.nth) && r.nth >= 1)) {
    throw new RangeError(`inject rule for ${r.site}: nth ${r.nth} must be an integer >= 1`);
  }
  if (r.probability !== undefined && !(r.probability >= 0 && r.probability <= 1)) {
    throw new RangeError(`inject rule for ${r.site}: probability ${r.probability} must be in [0, 1]`);
  }
}

/** Decides which allocations fail (S4). */
export class FaultInjector {
  readonly rules: readonly InjectRule[];
  readonly choice: Readonly<ChoiceConfig> | null;
  /** Failures decided by the scheduler in choice mode. */
  chosenFailures = 0;
  private readonly prng: Prng | null;
  private readonly callCounts = [0, 0, 0, 0];
  private readonly failCounts = [0, 0, 0, 0];
  private readonly choiceSites: boolean[];

  /** An injector with `rules`; `prng` is required when a rule has a probability. */
  constructor(rules: readonly InjectRule[] = [], prng?: Prng, opts: { choice?: ChoiceConfig } = {}) {
    for (const r of rules) checkRule(r);
    if (prng === undefined && rules.some((r) => r.probability !== undefined)) {
      throw new RangeError(
        'fault injector: a probability rule needs a Prng (pass one seeded from the run seed)',
      );
    }
    this.rules = rules;
    this.prng = prng ?? null;
    const choice = opts.choice;
    if (choice !== undefined && !(Number.isInteger(choice.maxFailures) && choice.maxFailures >= 0)) {
      throw new RangeError(`fault injector: maxFailures ${choice.maxFailures} must be an integer >= 0`);
    }
    this.choice = choice ?? null;
    this.choiceSites = ALLOC_SITES.map((s) => choice !== undefined && (choice.sites?.includes(s) ?? true));
  }

  /** An injector that never fails. */
  static never(): FaultInjector {
    return new FaultInjector([]);
  }

  /** Count a call at `site` and apply the rules: true = this allocation fails. */
  shouldFail(site: AllocSite): boolean {
    const i = siteIndex(site);
    const n = ++this.callCounts[i]!;
    let fail = false;
    for (const r of this.rules) {
      if (r.site !== site) continue;
      const from = r.nth ?? 1;
      if (r.every === true) fail ||= n >= from;
      else if (r.probability !== undefined) fail = (n >= from && this.prng!.chance(r.probability)) || fail;
      else fail ||= n === from;
    }
    if (fail) this.failCounts[i]!++;
    return fail;
  }

  /** Choice mode: may the scheduler decide this allocation (site eligible, budget left)? */
  canChoose(site: AllocSite): boolean {
    return (
      this.choice !== null &&
      this.choiceSites[siteIndex(site)]! &&
      this.chosenFailures < this.choice.maxFailures
    );
  }

  /** Record that a choice failed an allocation at `site`. */
  noteChosenFailure(site: AllocSite): void {
    this.chosenFailures++;
    this.failCounts[siteIndex(site)]!++;
  }

  /** Allocations attempted at `site`. */
  calls(site: AllocSite): number {
    return this.callCounts[siteIndex(site)]!;
  }

  /** Allocations failed at `site` (rules and choices). */
  failures(site: AllocSite): number {
    return this.failCounts[siteIndex(site)]!;
  }
}
