/**
 * `daxsim compare`: one scenario under several kernel profiles, side by side. Each profile
 * gets one run with the same seed (its report: faults by size and reason, entries, page
 * tables, task outcomes, violations) and, when asked, a checker verdict with the same budget.
 *
 * Invariant: the profiles are run independently and in the order given; nothing but the
 * profile differs between the columns.
 */
import { buildReport, type Report } from '../workload/report.js';
import { runScenario } from '../workload/run.js';
import type { Scenario } from '../workload/scenario/types.js';
import { check } from './check.js';
import type { CheckOptions, CheckResult } from './explore/types.js';

/** One profile's column. */
export interface CompareColumn {
  profile: string;
  report: Report;
  check: CheckResult | null;
}

/** Options of a comparison. */
export interface CompareOptions {
  seed?: number;
  mutations?: readonly string[];
  /** Run the checker on each profile with these options (null: runs only). */
  check?: CheckOptions | null;
}

/** Run (and check) `scenario` under each profile. */
export async function compareProfiles(
  scenario: Scenario,
  profiles: readonly string[],
  opts: CompareOptions = {},
): Promise<CompareColumn[]> {
  const out: CompareColumn[] = [];
  for (const profile of profiles) {
    const run = runScenario(scenario, {
      profile,
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      mutations: opts.mutations ?? [],
    });
    const report = buildReport(run);
    const verdict =
      opts.check === undefined || opts.check === null
        ? null
        : await check(scenario, { ...opts.check, profile, mutations: [...(opts.mutations ?? [])] });
    out.push({ profile, report, check: verdict });
  }
  return out;
}
