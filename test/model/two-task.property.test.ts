/**
 * Two tasks (in processes p and q) over random workloads that avoid the kernel's own findings
 * (workload-arb.ts), interleaved by the seeded random scheduler under a few fixed seeds: the
 * unmutated model keeps V1-V5 (no stuck task, nothing left locked, a coherent tree after every
 * step and coherent page tables at the end, reads of the latest writes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkV3 } from '../../src/verify/tree.js';
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
          const r = runScenario(scenarioOf(yaml), {
            checkEachStep: true,
            stepCheck: checkV3,
            elideForcedPoints: false,
            seed,
          });
          expect(describeViolations(r.violations), `seed ${seed}\n${yaml}`).toBe('');
        }
      }),
      { numRuns: 60 },
    );
  });
});
