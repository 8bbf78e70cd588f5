/**
 * Scenario-level test helpers: YAML text in, a run and its report out.
 *
 * Invariants: every helper builds a fresh World (nothing is shared between calls), so tests
 * stay independent; the scenario source is named `test.yaml` unless the caller says otherwise.
 */
import type { Violation } from '../../src/verify/violation.js';
import { buildReport, type Report } from '../../src/workload/report.js';
import { type RunOptions, type RunResult, runScenario } from '../../src/workload/run.js';
import { parseScenario } from '../../src/workload/scenario/parse.js';
import type { Scenario } from '../../src/workload/scenario/types.js';

/** A run and its report. */
export interface RunAndReport {
  readonly result: RunResult;
  readonly report: Report;
}

/** Parse scenario YAML (throws a ScenarioError on bad input). */
export function scenarioOf(yaml: string, file = 'test.yaml'): Scenario {
  return parseScenario(yaml, file);
}

/** Parse + runScenario + buildReport. */
export function runYaml(yaml: string, opts: RunOptions = {}): RunAndReport {
  return runParsed(scenarioOf(yaml), opts);
}

/** runScenario + buildReport of an already parsed scenario. */
export function runParsed(scenario: Scenario, opts: RunOptions = {}): RunAndReport {
  const result = runScenario(scenario, opts);
  return { result, report: buildReport(result) };
}

/** One line per violation, for readable assertion failures. */
export function describeViolations(vs: readonly Violation[]): string {
  return vs.map((v) => `${v.invariant}: ${v.message}`).join('\n');
}
