/**
 * Two tasks (in processes p and q) over random workloads, interleaved by the seeded random
 * scheduler under a few fixed seeds: the unmutated model keeps V1-V5 (no stuck task, nothing
 * left locked, coherent tree and page tables after every step, reads of the latest writes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/workload/run.js';
import { describeViolations, scenarioOf } from '../helpers/scenario.js';
import { workloadArb, workloadYaml } from '../helpers/workload-arb.js';

const SEEDS = [1, 2, 3];

describe('two-task workloads', () => {
  it('V1-V5 hold for every interleaving the seeds pick', () => {
    fc.assert(
      fc.property(workloadArb(2, 8), (w) => {
        const yaml = workloadYaml(w);
        for (const seed of SEEDS) {
          const r = runScenario(scenarioOf(yaml), { checkEachStep: true, elideForcedPoints: false, seed });
          expect(describeViolations(r.violations), `seed ${seed}\n${yaml}`).toBe('');
        }
      }),
      { numRuns: 60 },
    );
  });
});
