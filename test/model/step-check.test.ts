/**
 * The per-step check the model properties rely on: with forced points kept, a single-task run
 * is checked (V3/V4) at every scheduling point of its ops, not once at its end.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/workload/run.js';
import { scenarioOf } from '../helpers/scenario.js';
import { YAML_P_WHOLE, yamlScenario } from '../helpers/scenario-yaml.js';

const ONE_TASK = yamlScenario(
  'size: 4MiB',
  [YAML_P_WHOLE],
  `
tasks:
  - name: t
    ops:
      - read: { map: m, offset: 0, length: 1 }
      - write: { map: m, offset: 0x1000, data: "x" }
      - fsync: { file: data }
`,
);

describe('checkEachStep on a single task', () => {
  it('V3/V4 are checked at every scheduling point when forced points are kept', () => {
    let checks = 0;
    const count = () => {
      checks++;
      return [];
    };
    const elided = runScenario(scenarioOf(ONE_TASK), { checkEachStep: true, stepCheck: count });
    const elidedChecks = checks;
    checks = 0;
    const kept = runScenario(scenarioOf(ONE_TASK), {
      checkEachStep: true,
      stepCheck: count,
      elideForcedPoints: false,
    });
    expect(elidedChecks).toBe(elided.steps);
    expect(checks).toBe(kept.steps);
    expect(kept.steps).toBeGreaterThan(10);
    expect(kept.schedule).toBe(elided.schedule);
  });
});
