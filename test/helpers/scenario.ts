/**
 * Scenario-level test helpers: YAML text in, a run and its report out.
 *
 * Invariants: every helper builds a fresh World (nothing is shared between calls), so tests
 * stay independent; the scenario source is named `test.yaml` unless the caller says otherwise.
 */
import { expect } from 'vitest';
import type { Violation } from '../../src/verify/violation.js';
import { buildReport, type Report } from '../../src/workload/report.js';
import { type RunOptions, type RunResult, runScenario } from '../../src/workload/run.js';
import { parseScenario } from '../../src/workload/scenario/parse.js';
import type { Scenario } from '../../src/workload/scenario/types.js';

/** The device a scenario gets when it names none (scenario-format.md "defaults shown"; B1). */
export const DEFAULT_DEVICE = { sizeBytes: 64 * 2 ** 30, baseAlignBytes: 2 * 2 ** 20, devmap: true };
/** The fs settings a scenario gets when it names none (F2, W3 keep-dirty). */
export const DEFAULT_FS = {
  allocAlignBytes: 2 * 2 ** 20,
  extentHintBytes: 2 * 2 ** 20,
  freeSpaceBytes: 64 * 2 ** 30,
};

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

/** Run scenario YAML and expect it clean: no violation, no failed expectation. */
export function expectCleanRun(yaml: string, opts: RunOptions = {}): RunAndReport {
  const run = runYaml(yaml, opts);
  expect(describeViolations(run.result.violations)).toBe('');
  expect(run.report.expectFailures).toEqual([]);
  return run;
}

/** The invariant ids of violations, in order (V1 lost wake-up, V2 lock left held, ...). */
export function invariants(vs: readonly Violation[]): string[] {
  return vs.map((v) => v.invariant);
}
