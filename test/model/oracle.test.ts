/**
 * The data oracle (the V5/V6 reference model) on the edges the random workloads reach: bytes
 * past the end of file inside the last page, which read as zeros whatever the setup fill.
 */
import { describe, it } from 'vitest';
import { expectCleanRun } from '../helpers/scenario.js';
import { YAML_P_PRIVATE, yamlScenario, yamlTask } from '../helpers/scenario-yaml.js';

/** `data` of `size`, allocated and filled with 0x5a, mapped privately by p. */
const FILLED = (size: string) => `size: ${size}, layout: allocated, fill: 0x5a`;

describe('the V5 reference of private copies', () => {
  it('V5/F3: once truncate dropped a private copy, the private mapping reads the file again', () => {
    const ops = `
      - write: { map: m, offset: 0x5000, data: "mine" }
      - write: { map: m, offset: 0x1000, data: "kept" }
      - truncate: { file: data, size: 0x1800 }
      - truncate: { file: data, size: 4MiB }
      - read: { map: m, offset: 0x5000, length: 4, equals: "0x00000000" }
      - read: { map: m, offset: 0x1000, length: 4, equals: "kept" }
`;
    expectCleanRun(
      yamlScenario(FILLED('4MiB'), [YAML_P_PRIVATE], `tasks:\n${yamlTask('t', undefined, ops)}`),
    );
  });
});

describe('the V5 reference of never-written bytes', () => {
  it('V5: past EOF in the last page a filled file reads zeros, and the oracle expects zeros', () => {
    const ops = `
      - read: { map: m, offset: 0x30000e, length: 4, equals: "0x5a5a0000" }
      - pread: { file: data, offset: 0x30000e, length: 4, equals: "0x5a5a" }
`;
    expectCleanRun(
      yamlScenario(FILLED('0x300010'), [YAML_P_PRIVATE], `tasks:\n${yamlTask('t', undefined, ops)}`),
    );
  });
});
