/**
 * Parallel and sharded exploration (X4). Units are dealt round-robin: shard `i/n` owns the
 * units whose ordinal is i modulo n, and inside a shard worker `w` of `W` owns every W-th of
 * those. Workers share the lowest violating ordinal through a SharedArrayBuffer, so they stop
 * work that cannot change the answer.
 *
 * Worker threads run the compiled `worker.js` next to this module (the built `dist/`); when
 * it is not there (running from TypeScript sources, e.g. under vitest) the units of all
 * workers run in this thread, in order, which gives the same result.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../../workload/scenario/types.js';
import type { PartialResult, ResolvedOptions } from './types.js';
import { exploreDfsUnits, exploreRandomUnits, sharedBest, type UnitContext } from './units.js';

/** What a worker receives. */
export interface WorkerInput {
  scenario: Scenario;
  options: ResolvedOptions;
  worker: number;
  workers: number;
  best: SharedArrayBuffer;
  deadline: number | null;
  /** performance.timeOrigin of the parent, so deadlines compare across threads. */
  origin: number;
  /** One Int32 counting executions across all workers (progress only). */
  progress: SharedArrayBuffer;
}

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** True when the compiled worker script exists (running from dist/). */
export function workerScriptAvailable(): boolean {
  return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
}

/** Does worker `w` of `workers` in shard `o.shard` own unit `ordinal`? */
export function owns(o: ResolvedOptions, w: number, workers: number, ordinal: number): boolean {
  const { index, count } = o.shard;
  if (ordinal % count !== index) return false;
  return Math.floor(ordinal / count) % workers === w;
}

/** Run one worker's share (in whatever thread calls it). */
export function runShare(input: WorkerInput, onTick?: (executions: number) => void): PartialResult {
  const o = input.options;
  const counter = new Int32Array(input.progress);
  const ctx: UnitContext = {
    tick: () => {
      const n = Atomics.add(counter, 0, 1) + 1;
      onTick?.(n);
    },
    assigned: (ordinal) => owns(o, input.worker, input.workers, ordinal),
    best: sharedBest(input.best),
    deadline: input.deadline === null ? null : input.deadline - (performance.timeOrigin - input.origin),
    now: () => performance.now(),
  };
  return o.strategy === 'dfs'
    ? exploreDfsUnits(input.scenario, o, ctx)
    : exploreRandomUnits(input.scenario, o, ctx);
}

/** Explore this shard with `o.workers` workers; resolves to each worker's partial result. */
export async function exploreShard(
  scenario: Scenario,
  o: ResolvedOptions,
  started: number,
  onProgress?: (executions: number) => void,
): Promise<PartialResult[]> {
  const best = new SharedArrayBuffer(4);
  const progress = new SharedArrayBuffer(4);
  sharedBest(best, true);
  const deadline = o.timeSeconds === null ? null : started + o.timeSeconds * 1000;
  const inputs: WorkerInput[] = [];
  for (let w = 0; w < o.workers; w++) {
    inputs.push({
      scenario,
      options: o,
      worker: w,
      workers: o.workers,
      best,
      deadline,
      origin: performance.timeOrigin,
      progress,
    });
  }
  if (o.workers <= 1 || !workerScriptAvailable()) return inputs.map((input) => runShare(input, onProgress));
  const counter = new Int32Array(progress);
  const timer =
    onProgress === undefined ? null : setInterval(() => onProgress(Atomics.load(counter, 0)), 100);
  try {
    return await Promise.all(inputs.map(runInWorker));
  } finally {
    if (timer !== null) clearInterval(timer);
  }
}

function runInWorker(input: WorkerInput): Promise<PartialResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_URL, { workerData: input });
    let result: PartialResult | null = null;
    w.once('message', (m: PartialResult) => {
      result = m;
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (result !== null) resolve(result);
      else reject(new Error(`check worker ${input.worker} exited with code ${code} and no result`));
    });
  });
}
