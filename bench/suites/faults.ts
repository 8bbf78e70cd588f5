/**
 * Fault-path suite (issue 4): sequential 4 KiB read faults over a 1 GiB shared mapping, and
 * 2 MiB read faults over a 1 TiB file with 2 MiB-aligned extents (quick: 64 MiB and 16 GiB).
 *
 * Each workload is one task touching one byte per page (or per 2 MiB) through the whole
 * model: page-table walk, fault dispatch, DAX fault, entry grab/insert, iomap, device.
 * Unit: faults/s (higher is better). Baseline: a bare loop doing the same map insertions
 * (a RadixTree insert per entry plus a Map set per translation), so `ratio` says how much of
 * the kernel-shaped work the model adds. Peak memory: heap growth of the run, per fault.
 * Target (issue): >= 1M faults/s for both; the 1 TiB run under 2 s and 1 GiB of memory.
 */
import { RadixTree } from '../../src/lib/radix-tree.js';
import { runScenario } from '../../src/workload/run.js';
import { parseScenario } from '../../src/workload/scenario/parse.js';
import {
  type BenchResult,
  perSecond,
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

const SUITE = 'faults';
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function runOnce(yaml: string): { faults: number } {
  const r = runScenario(parseScenario(yaml, 'bench.yaml'), { seed: 1, oracle: false, invariants: false });
  if (r.violations.length > 0) throw new Error(`faults bench: ${r.violations[0]!.message}`);
  return { faults: r.world.counters.pte + r.world.counters.pmd };
}

/** The bare loop: the same entries into a radix tree and the same translations into a Map. */
function bareLoop(count: number, order: number): void {
  const tree = new RadixTree<number>();
  const ptes = new Map<number, number>();
  const step = 2 ** order;
  for (let i = 0; i < count; i++) {
    tree.insert(i * step, order, i * 16 + 1);
    ptes.set(0x7f0000000000 + i * step * 4096, 0x100000 + i * step);
  }
}

function peakPerFault(yaml: string, faults: number): Sample {
  const before = settledHeapUsed();
  let peak = before;
  const r = runScenario(parseScenario(yaml, 'bench.yaml'), {
    seed: 1,
    oracle: false,
    onProgress: () => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    },
  });
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  if (r.violations.length > 0) throw new Error('faults bench: violation in the memory run');
  return summarise([(peak - before) / faults]);
}

async function workload(kind: '4k' | '2m', bytes: number, reps: number): Promise<BenchResult[]> {
  const yaml = scanScenarioYaml(kind, bytes);
  const { faults } = runOnce(yaml); // warm-up, and the fault count
  const model = perSecond(
    timeOneShot(
      reps,
      () => yaml,
      (y) => runOnce(y),
    ),
    faults,
  );
  const order = kind === '4k' ? 0 : 9;
  const bare = perSecond(
    timeOneShot(
      reps,
      () => faults,
      (n) => bareLoop(n, order),
    ),
    faults,
  );
  const size =
    bytes >= GiB * 1024
      ? `${bytes / (GiB * 1024)} TiB`
      : bytes >= GiB
        ? `${bytes / GiB} GiB`
        : `${bytes / MiB} MiB`;
  const label = `${kind === '4k' ? '4 KiB' : '2 MiB'} read faults over ${size}`;
  const seconds = faults / model.median;
  const out = [
    withTarget(
      result(SUITE, `${label} (${faults} faults)`, 'faults/s', model, {
        name: 'bare insert loop',
        sample: bare,
      }),
      {
        on: 'value',
        op: '>=',
        bound: 1e6,
      },
    ),
    result(SUITE, `${label}: wall time`, 's', {
      median: seconds,
      spread: model.spread,
      samples: model.samples,
    }),
    result(SUITE, `${label}: peak heap per fault`, 'bytes', peakPerFault(yaml, faults)),
  ];
  if (kind === '2m' && bytes >= 1024 * GiB) {
    out[1] = withTarget(out[1]!, { on: 'value', op: '<=', bound: 2 });
  }
  return out;
}

/** The registered suite. */
export const faultsSuite: Suite = {
  name: SUITE,
  async run(opts: SuiteOptions): Promise<BenchResult[]> {
    const reps = opts.quick ? 1 : 3;
    return [
      ...(await workload('4k', opts.quick ? 64 * MiB : GiB, reps)),
      ...(await workload('2m', opts.quick ? 16 * GiB : 1024 * GiB, reps)),
    ];
  },
};
