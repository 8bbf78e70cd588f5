/**
 * Shared benchmark harness: result shape, suite contract, timing and memory helpers.
 *
 * Invariants:
 * - A `BenchResult.value` is a median over `samples` independent samples; `spread` is the
 *   relative median absolute deviation of those samples (MAD / median, 0 = perfectly stable).
 * - `ratio` is always `value / baseline.value`, in the result's own unit, so whether lower or
 *   higher is better follows from the unit (ns/op: lower is better; entries/s: higher).
 * - `met` is present exactly when `target` is, and is computed from `target` by `withTarget`.
 * - Timing is done here, never in model code (model code must stay deterministic).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { Bench } from 'tinybench';

/** One measured figure of a suite, as written to the JSON document. */
export interface BenchResult {
  suite: string;
  name: string;
  unit: string;
  value: number;
  baseline?: { name: string; value: number };
  ratio?: number;
  target?: string;
  met?: boolean;
  samples: number;
  spread: number;
}

/** The JSON document `bench/main.ts` writes to stdout and `bench/results/latest.json`. */
export interface BenchDocument {
  environment: { node: string; platform: string; arch: string; cpus: number; date: string; quick: boolean };
  results: BenchResult[];
}

/** Options every suite receives; `quick` scales workloads down to a CI smoke run. */
export interface SuiteOptions {
  quick: boolean;
}

/** A registered benchmark suite (see `bench/suites/index.ts`). */
export type Suite = { name: string; run(opts: SuiteOptions): Promise<BenchResult[]> };

/** A median with its spread, the outcome of any sampling helper below. */
export interface Sample {
  median: number;
  spread: number;
  samples: number;
}

/** Median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const hi = sorted[mid]!;
  return sorted.length % 2 === 1 ? hi : (sorted[mid - 1]! + hi) / 2;
}

/** Relative median absolute deviation (MAD / |median|); 0 for a single value or a zero median. */
export function relativeMad(values: readonly number[]): number {
  const m = median(values);
  if (m === 0 || values.length < 2) return 0;
  return median(values.map((v) => Math.abs(v - m))) / Math.abs(m);
}

/** Summarise raw samples into a `Sample`. */
export function summarise(values: readonly number[]): Sample {
  return { median: median(values), spread: relativeMad(values), samples: values.length };
}

/**
 * Time a one-shot workload with `process.hrtime.bigint()`, `reps` times after `warmups` untimed
 * runs (pass 1 or more so the first timed run is not an interpreter run); `setup` runs before each repetition
 * untimed and its return value is handed to `work`. Returns nanoseconds per workload.
 */
export function timeOneShot<S>(reps: number, setup: () => S, work: (state: S) => void, warmups = 0): Sample {
  if (!Number.isInteger(reps) || reps < 1) throw new RangeError(`timeOneShot: reps ${reps} must be >= 1`);
  for (let w = 0; w < warmups; w++) work(setup());
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const state = setup();
    const t0 = process.hrtime.bigint();
    work(state);
    times.push(Number(process.hrtime.bigint() - t0));
  }
  return summarise(times);
}

/** One side of an interleaved comparison: untimed setup, then the timed work on its result. */
export interface Contender<S> {
  setup: () => S;
  work: (state: S) => void;
}

/**
 * Time several contenders on the same workload, interleaved: every round runs each once, in
 * ABBA order (reversed on odd rounds), each run after its setup and a full GC. Drift (CPU
 * contention, background GC, frequency changes) then hits all contenders alike, which
 * back-to-back blocks of samples do not. Returns one nanosecond Sample per contender.
 */
export function timeInterleaved(
  rounds: number,
  contenders: readonly Contender<unknown>[],
  warmups = 1,
): Sample[] {
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new RangeError(`timeInterleaved: rounds ${rounds} must be >= 1`);
  for (let w = 0; w < warmups; w++) for (const c of contenders) c.work(c.setup());
  const times: number[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = r % 2 === 0 ? k : contenders.length - 1 - k;
      const c = contenders[i]!;
      const state = c.setup();
      forceGc()();
      const t0 = process.hrtime.bigint();
      c.work(state);
      times[i]!.push(Number(process.hrtime.bigint() - t0));
    }
  }
  return times.map(summarise);
}

/** Divide a nanosecond sample (per whole workload) by the number of operations in it. */
export function perOp(sample: Sample, ops: number): Sample {
  return { ...sample, median: sample.median / ops };
}

/** Turn a per-workload nanosecond sample into a throughput sample (items per second). */
export function perSecond(sample: Sample, items: number): Sample {
  return { ...sample, median: (items * 1e9) / sample.median };
}

/**
 * Sample a small, repeatable, non-mutating workload with tinybench (warm-up, then as many
 * samples as fit in the time budget) on a settled heap. Returns nanoseconds per call of `fn`.
 */
export async function sampleTinybench(name: string, fn: () => void, quick: boolean): Promise<Sample> {
  // Collect earlier garbage now, so a major GC does not land inside these samples.
  settledHeapUsed();
  const bench = new Bench({
    name,
    time: quick ? 60 : 1000,
    iterations: quick ? 5 : 20,
    warmupTime: quick ? 20 : 200,
    warmupIterations: quick ? 2 : 5,
    throws: true,
  });
  bench.add(name, fn);
  await bench.run();
  const task = bench.tasks[0];
  const result = task?.result;
  if (result === undefined || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
    throw new Error(`tinybench task ${name} did not complete (state ${result?.state ?? 'missing'})`);
  }
  const { p50, mad, samplesCount } = result.latency;
  const msToNs = 1e6;
  return { median: p50 * msToNs, spread: p50 === 0 ? 0 : mad / p50, samples: samplesCount };
}

let gcFn: (() => void) | undefined;

/** A working `gc()`: the one from `--expose-gc`, else one obtained by switching the flag on. */
export function forceGc(): () => void {
  if (gcFn !== undefined) return gcFn;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') {
    gcFn = exposed;
  } else {
    // Without --expose-gc a fresh context created after setting the flag still sees gc().
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  return gcFn;
}

/** Heap bytes in use after two full collections. */
export function settledHeapUsed(): number {
  const gc = forceGc();
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Module-level so the optimiser cannot prove a measured structure dead. */
const sink: unknown[] = [];

/**
 * Build into `sink` from a frame of its own: a temporary left in the caller's interpreter
 * registers would keep the structure alive after `sink` lets go of it.
 */
function hold(build: () => unknown): void {
  sink.push(build());
}

/**
 * Retained heap bytes of the structure `build` returns, median over `reps` builds: the settled
 * heap while the structure is reachable (in `sink`) minus the settled heap once it is dropped.
 * Measuring the release rather than the build keeps unrelated garbage, collected in between,
 * out of the figure (a before/after-build delta can even go negative because of it).
 */
export function measureRetainedBytes(reps: number, build: () => unknown): Sample {
  const sizes: number[] = [];
  for (let r = 0; r < reps; r++) {
    hold(build);
    const held = settledHeapUsed();
    sink.length = 0;
    sizes.push(held - settledHeapUsed());
  }
  return summarise(sizes);
}

/** A target on a result: `ratio <= 2`, `value >= 2e7`, ... */
export interface Target {
  on: 'value' | 'ratio';
  op: '<=' | '>=';
  bound: number;
}

/** Build a result from a sample, with an optional baseline sample (sets `ratio`). */
export function result(
  suite: string,
  name: string,
  unit: string,
  sample: Sample,
  baseline?: { name: string; sample: Sample },
): BenchResult {
  const out: BenchResult = {
    suite,
    name,
    unit,
    value: sample.median,
    samples: sample.samples,
    spread: sample.spread,
  };
  if (baseline !== undefined) {
    out.baseline = { name: baseline.name, value: baseline.sample.median };
    out.ratio = sample.median / baseline.sample.median;
  }
  return out;
}

/** Attach a target to a result and compute `met`. Throws if the target needs a missing ratio. */
export function withTarget(r: BenchResult, target: Target): BenchResult {
  const measured = target.on === 'ratio' ? r.ratio : r.value;
  if (measured === undefined) throw new Error(`withTarget: ${r.name} has no ratio to compare`);
  const met = target.op === '<=' ? measured <= target.bound : measured >= target.bound;
  return { ...r, target: `${target.on} ${target.op} ${target.bound}`, met };
}
