/**
 * Model-based property (V3-V6) over random single-task workloads that avoid the kernel's own
 * findings (workload-arb.ts, docs/findings.md): with the tree checked after every step (V3;
 * V4 at the end, since write(2)'s invalidation deletes entries before it unmaps them, as the
 * kernel does), no violation; every read returns the latest written bytes (V5, the data oracle
 * as reference model); and a crash after a final fsync of every file loses nothing (V6).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkV3 } from '../../src/verify/tree.js';
import { runScenario } from '../../src/workload/run.js';
import { describeViolations, scenarioOf } from '../helpers/scenario.js';
import { withFsyncAndCrash, workloadArb, workloadYaml } from '../helpers/workload-arb.js';

/** Violations of a run of `yaml` with V3/V4 checked after every step. */
function violationsOf(yaml: string, seed = 1): string {
  const r = runScenario(scenarioOf(yaml), {
    checkEachStep: true,
    stepCheck: checkV3,
    elideForcedPoints: false,
    seed,
  });
  return describeViolations(r.violations);
}

describe('single-task workloads', () => {
  it('V3/V4/V5: tree and page tables stay coherent after every step; reads see the latest writes', () => {
    fc.assert(
      fc.property(workloadArb(1, 10), (w) => {
        const yaml = workloadYaml(w);
        expect(violationsOf(yaml), yaml).toBe('');
      }),
      { numRuns: 120 },
    );
  });

  it('V6: a crash after an fsync of every file loses nothing written before it', () => {
    fc.assert(
      fc.property(workloadArb(1, 10), (w) => {
        const yaml = workloadYaml(withFsyncAndCrash(w));
        expect(violationsOf(yaml), yaml).toBe('');
      }),
      { numRuns: 120 },
    );
  });
});
