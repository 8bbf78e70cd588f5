/**
 * The sequential read scan both the fault and the memory benchmarks run: one task touching
 * one byte per page ('4k') or per 2 MiB ('2m') of an allocated file through one mapping.
 * For '4k' the mapping starts 4 KiB past a 2 MiB boundary, so its blocks never line up with
 * the file's (colour, M3) and every page is a 4 KiB fault; '2m' is colour-matched.
 */
const GiB = 1024 ** 3;

/** Scenario YAML of the scan over `bytes` of file. */
export function scanScenarioYaml(kind: '4k' | '2m', bytes: number): string {
  const address = kind === '4k' ? 'address: "0x7f0000001000"' : 'address: auto';
  const stride = kind === '4k' ? '4KiB' : '2MiB';
  const space = Math.max(2 * bytes, 64 * GiB);
  return `
device: { size: ${space} }
fs: { freeSpace: ${space} }
files:
  - { path: f, size: ${bytes}, layout: allocated }
processes:
  - name: p
    mappings: [{ name: m, file: f, offset: 0, length: ${bytes}, ${address} }]
tasks:
  - name: scan
    ops:
      - touch: { map: m, offset: 0, length: ${bytes}, stride: ${stride}, access: read }
`;
}
