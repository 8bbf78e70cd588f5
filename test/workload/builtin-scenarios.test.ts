import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/workload/report.js';
import { runScenario } from '../../src/workload/run.js';
import { listBuiltinScenarios, loadScenario } from '../../src/workload/scenario/load.js';

/** The rules each built-in scenario teaches (it also cites them in its description). */
const RULES: Record<string, string> = {
  'alloc-2m': 'F2 M7',
  'alloc-4k': 'F2 M7',
  'file-tail': 'M4 P1',
  'fsync-crash': 'W1 W2 W3 B2 V6',
  'hole-read-write': 'M8 D3 I3',
  'no-devmap': 'B1 M7',
  'pmd-aligned': 'M7 D2',
  'pmd-misaligned': 'M2 M3 H3',
  'private-cow': 'M1 P4',
  'pte-and-pmd': 'G5 I4 W2',
  'review-thread': 'G2 L2 H1',
  'seq-64g': 'M7 E2',
  'truncate-race': 'F3 D6 H5',
  'vma-bounds': 'M2',
  'write-into-hole': 'R2 H4 I2',
  'zero-downgrade': 'G2 M5',
};

describe('built-in scenarios meet their expect counts with no violation (V1-V7)', () => {
  const list = listBuiltinScenarios();

  it('there are at least a dozen, each with a description', () => {
    expect(list.length).toBeGreaterThanOrEqual(12);
    for (const s of list) expect(s.description.length).toBeGreaterThan(20);
  });

  for (const { name } of list) {
    it(`${name} (${RULES[name] ?? 'see its description'}), seeds 1-3`, () => {
      const scenario = loadScenario(`builtin:${name}`);
      expect(scenario.expect, `${name} has expect counts`).toBeDefined();
      for (const seed of name === 'seq-64g' ? [1] : [1, 2, 3]) {
        const report = buildReport(runScenario(scenario, { seed }));
        expect(report.violations, `${name} seed ${seed}`).toEqual([]);
        expect(report.expectFailures, `${name} seed ${seed}`).toEqual([]);
      }
    });
  }
});
