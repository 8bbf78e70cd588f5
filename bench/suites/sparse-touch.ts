/**
 * Sparse-touch suites (issue: work bounded by the model, not by the host): one task makes a
 * 1-byte write every 4 KiB over a sparse 8 GiB file (quick: 512 MiB), as `daxsim run` does it
 * (data oracle and invariants on). `sparse-touch-pmd` maps the file colour-matched, so each
 * 2 MiB block is one write fault that allocates it and maps a huge PMD; `sparse-touch-pte`
 * maps it 4 KiB past a 2 MiB boundary, so every page is a 4 KiB fault (2M faults, PTEs, radix
 * entries and rmap lookups).
 *
 * Rows: wall time of the run (target <= 60 s), the process's peak resident memory
 * (`process.resourceUsage().maxRSS`; each suite runs in a fresh process, so this is the run's
 * peak plus Node's own ~50 MB; target <= 3 GiB), and the device data held at the end (the
 * report's row: 2M lines of 64 bytes = 128 MiB for 8 GiB).
 */
import { buildReport } from '../../src/workload/report.js';
import { runScenario } from '../../src/workload/run.js';
import { parseScenario } from '../../src/workload/scenario/parse.js';
import {
  type BenchResult,
  result,
  type Suite,
  type SuiteOptions,
  summarise,
  withTarget,
} from '../harness.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

function touchYaml(bytes: number, kind: 'pmd' | 'pte'): string {
  const address = kind === 'pmd' ? 'auto' : '"0x7f0000001000"';
  return `
device: { size: ${2 * bytes} }
files:
  - { path: f, size: ${bytes} }
processes:
  - name: p
    mappings: [{ name: m, file: f, offset: 0, length: ${bytes}, address: ${address} }]
tasks:
  - name: t
    ops:
      - touch: { map: m, offset: 0, length: ${bytes}, stride: 4KiB, access: write }
`;
}

function sparseTouch(kind: 'pmd' | 'pte'): Suite {
  const suite = `sparse-touch-${kind}`;
  return {
    name: suite,
    async run(opts: SuiteOptions): Promise<BenchResult[]> {
      const bytes = opts.quick ? 512 * MiB : 8 * GiB;
      const size = bytes >= GiB ? `${bytes / GiB} GiB` : `${bytes / MiB} MiB`;
      const label = `write touch, 4 KiB stride, sparse ${size} (${kind === 'pmd' ? '2 MiB' : '4 KiB'} faults)`;
      const t0 = performance.now();
      const run = runScenario(parseScenario(touchYaml(bytes, kind), 'touch.yaml'), { seed: 1 });
      const seconds = (performance.now() - t0) / 1000;
      const report = buildReport(run);
      if (report.violations.length > 0) throw new Error(`${suite}: ${report.violations[0]!.message}`);
      const rss = process.resourceUsage().maxRSS * 1024;
      return [
        withTarget(result(suite, `${label}: wall time`, 's', summarise([seconds])), {
          on: 'value',
          op: '<=',
          bound: 60,
        }),
        withTarget(result(suite, `${label}: peak RSS`, 'bytes', summarise([rss])), {
          on: 'value',
          op: '<=',
          bound: 3 * GiB,
        }),
        result(suite, `${label}: device data held`, 'bytes', summarise([report.memory.deviceBytes])),
      ];
    },
  };
}

/** The 2 MiB-fault variant. */
export const sparseTouchPmdSuite = sparseTouch('pmd');
/** The 4 KiB-fault variant. */
export const sparseTouchPteSuite = sparseTouch('pte');
