/**
 * I/O and memory suite (issue 7): read(2)/write(2) bandwidth for 2 MiB-aligned 1 MiB I/O
 * against a raw `Buffer.copy` of the same bytes; a random 4 KiB store workload with fsync
 * every 64 stores; and memory per mapped 4 KiB page and per 2 MiB mapping.
 *
 * Units: MiB/s (higher is better; `ratio` = model / Buffer.copy), ops/s, bytes.
 * Targets (issue 7): read/write >= 50% of Buffer.copy bandwidth; <= 100 bytes per mapped
 * 4 KiB page.
 */
import { runScenario } from '../../src/workload/run.js';
import { parseScenario } from '../../src/workload/scenario/index.js';
import {
  type BenchResult,
  result,
  type Sample,
  type Suite,
  type SuiteOptions,
  settledHeapUsed,
  summarise,
  timeOneShot,
  withTarget,
} from '../harness.js';
import { scanScenarioYaml } from '../scan-scenario.js';

const SUITE = 'io';
const MiB = 1024 * 1024;

function ioYaml(op: 'pread' | 'pwrite', count: number): string {
  const ops: string[] = [];
  for (let i = 0; i < count; i++) {
    const off = i * 2 * MiB;
    ops.push(
      op === 'pread'
        ? `      - pread: { file: f, offset: ${off}, length: 1MiB }`
        : `      - pwrite: { file: f, offset: ${off}, length: 1MiB, byte: ${(i % 250) + 1} }`,
    );
  }
  return `
device: { size: ${Math.max(4 * count, 64) * 2 * MiB} }
files:
  - { path: f, size: ${count * 2 * MiB}, layout: allocated }
tasks:
  - name: io
    ops:
${ops.join('\n')}
`;
}

function mibPerSecond(ns: Sample, bytes: number): Sample {
  return { ...ns, median: bytes / MiB / (ns.median / 1e9) };
}

function bandwidth(op: 'pread' | 'pwrite', count: number, reps: number): BenchResult {
  const scenario = parseScenario(ioYaml(op, count), 'io.yaml');
  runScenario(scenario, { oracle: false, invariants: false });
  const model = timeOneShot(
    reps,
    () => scenario,
    (s) => runScenario(s, { oracle: false, invariants: false }),
  );
  const src = Buffer.alloc(MiB, 7);
  const dst = Buffer.alloc(count * 2 * MiB);
  const copy = timeOneShot(
    reps,
    () => null,
    () => {
      for (let i = 0; i < count; i++) src.copy(dst, i * 2 * MiB);
    },
  );
  const bytes = count * MiB;
  const r = result(SUITE, `${op} ${count} x 1 MiB, 2 MiB aligned`, 'MiB/s', mibPerSecond(model, bytes), {
    name: 'Buffer.copy',
    sample: mibPerSecond(copy, bytes),
  });
  return withTarget(r, { on: 'ratio', op: '>=', bound: 0.5 });
}

function randomStores(count: number, reps: number): BenchResult {
  const ops: string[] = [];
  let x = 12345;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    ops.push(`      - write: { map: m, offset: ${(x % 16384) * 4096}, data: "w${i % 10}" }`);
    if (i % 64 === 63) ops.push('      - fsync: { file: f }');
  }
  const yaml = `
fs: { writeback: clean-dirty }
files:
  - { path: f, size: 64MiB, layout: allocated }
processes:
  - name: p
    mappings: [{ name: m, file: f, offset: 0, length: 64MiB, address: "0x7f0000001000" }]
tasks:
  - name: w
    ops:
${ops.join('\n')}
`;
  const scenario = parseScenario(yaml, 'stores.yaml');
  runScenario(scenario, { oracle: false, invariants: false });
  const t = timeOneShot(
    reps,
    () => scenario,
    (s) => runScenario(s, { oracle: false, invariants: false }),
  );
  return result(SUITE, `random 4 KiB stores, fsync every 64 (${count} stores, clean-dirty)`, 'stores/s', {
    ...t,
    median: (count * 1e9) / t.median,
  });
}

function memoryPerMapping(kind: '4k' | '2m', count: number): BenchResult {
  const bytes = kind === '4k' ? count * 4096 : count * 2 * MiB;
  const yaml = scanScenarioYaml(kind, bytes);
  const scenario = parseScenario(yaml, 'mem.yaml');
  const before = settledHeapUsed();
  const r = runScenario(scenario, { oracle: false, invariants: false });
  const after = settledHeapUsed();
  if (r.world.counters.pte + r.world.counters.pmd === 0) throw new Error('io bench: no faults');
  const per = (after - before) / count;
  const name = kind === '4k' ? 'retained memory per mapped 4 KiB page' : 'retained memory per 2 MiB mapping';
  const res = result(SUITE, `${name} (${count} mapped, entry + PTE + tree)`, 'bytes', summarise([per]));
  return kind === '4k' ? withTarget(res, { on: 'value', op: '<=', bound: 100 }) : res;
}

/** The registered suite. */
export const ioSuite: Suite = {
  name: SUITE,
  async run(opts: SuiteOptions): Promise<BenchResult[]> {
    const reps = opts.quick ? 2 : 5;
    const n = opts.quick ? 32 : 256;
    return [
      bandwidth('pread', n, reps),
      bandwidth('pwrite', n, reps),
      randomStores(opts.quick ? 512 : 8192, reps),
      memoryPerMapping('4k', opts.quick ? 16384 : 262144),
      memoryPerMapping('2m', opts.quick ? 1024 : 16384),
    ];
  },
};
