import { it } from 'vitest';
import { listBuiltinScenarios } from '../../src/workload/scenario/index.js';
import { runBuiltin } from '../helpers/scenario.js';

it('scratch', () => {
  for (const s of listBuiltinScenarios()) {
    if (s.name === 'seq-64g') continue;
    const { report } = runBuiltin(s.name);
    console.log(s.name, JSON.stringify({ f: report.faults, e: report.entries, pt: report.pageTables, t: report.tasks, v: report.violations, x: report.expectFailures }));
  }
});
