/**
 * The data oracle (the V5/V6 reference model) on the edges the random workloads reach: bytes
 * past the end of file inside the last page, which read as zeros whatever the setup fill.
 */
import { describe, expect, it } from 'vitest';
import { describeViolations, runYaml } from '../helpers/scenario.js';

describe('the V5 reference of private copies', () => {
  it('V5/F3: once truncate dropped a private copy, the private mapping reads the file again', () => {
    const { result, report } = runYaml(`
files: [{ path: data, size: 4MiB, layout: allocated, fill: 0x5a }]
processes:
  - name: p
    mappings: [{ name: m, file: data, offset: 0, length: 4MiB, shared: false }]
tasks:
  - name: t
    ops:
      - write: { map: m, offset: 0x5000, data: "mine" }
      - write: { map: m, offset: 0x1000, data: "kept" }
      - truncate: { file: data, size: 0x1800 }
      - truncate: { file: data, size: 4MiB }
      - read: { map: m, offset: 0x5000, length: 4, equals: "0x00000000" }
      - read: { map: m, offset: 0x1000, length: 4, equals: "kept" }
`);
    expect(report.expectFailures).toEqual([]);
    expect(describeViolations(result.violations)).toBe('');
  });
});

describe('the V5 reference of never-written bytes', () => {
  it('V5: past EOF in the last page a filled file reads zeros, and the oracle expects zeros', () => {
    const { result, report } = runYaml(`
files: [{ path: data, size: 0x300010, layout: allocated, fill: 0x5a }]
processes:
  - name: p
    mappings: [{ name: m, file: data, offset: 0, length: 4MiB, shared: false }]
tasks:
  - name: t
    ops:
      - read: { map: m, offset: 0x30000e, length: 4, equals: "0x5a5a0000" }
      - pread: { file: data, offset: 0x30000e, length: 4, equals: "0x5a5a" }
`);
    expect(report.expectFailures).toEqual([]);
    expect(describeViolations(result.violations)).toBe('');
  });
});
