/**
 * Radix tree suite: the tree against a JS `Map` (and a `Set` for tags) doing the same work in
 * the same run.
 *
 * Units and ratios (ratio = tree / baseline, in the row's unit):
 * - `ns/op`: median time per operation over a whole pass; lower is better, so ratio < 1 means
 *   the tree is faster than the Map. Mutating passes are one-shot (`process.hrtime.bigint`,
 *   setup untimed); read-only passes are sampled by tinybench.
 * - `entries/s`: iteration throughput; higher is better, so ratio > 1 means the tree is faster.
 * - `bytes/entry`: retained heap after two GCs divided by entries; ratio < 1 means smaller.
 * Workloads: N = 1M entries (quick: 16Ki), dense order-0 at indices 0..N-1 ("sequential") or
 * N distinct indices of [0, 2N) in seeded random order ("random"), and N order-9 entries.
 * Targets (issue): lookup ratio <= 1, insert and delete ratio <= 2, tagged iteration >= 20M
 * entries/s, dense memory ratio <= 1.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { RadixTree, TAG_DIRTY } from '../../src/lib/radix-tree.js';
import {
  type BenchResult,
  forceGc,
  measureRetainedBytes,
  perOp,
  perSecond,
  result,
  type Sample,
  type Suite,
  type SuiteOptions,
  sampleTinybench,
  timeOneShot,
  withTarget,
} from '../harness.js';

const SUITE = 'radix-tree';
const SEED = 0x5eed;
/** Accumulates lookup results so the optimiser cannot drop a measured loop. */
let checksum = 0;

/** Workload sizes for one run. */
interface Plan {
  n: number;
  reps: number;
  quick: boolean;
}

function sequential(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** N distinct indices of [0, 2N), in seeded random order (Fisher-Yates over 2N, keep N). */
function randomDistinct(n: number, seed: number): Uint32Array {
  const pool = new Uint32Array(2 * n);
  for (let i = 0; i < pool.length; i++) pool[i] = i;
  const rng = xoroshiro128plus(seed);
  for (let i = 0; i < n; i++) {
    const j = uniformInt(rng, i, pool.length - 1);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, n);
}

function buildTree(keys: Uint32Array, order = 0): RadixTree<number> {
  const tree = new RadixTree<number>();
  const step = 2 ** order;
  for (let i = 0; i < keys.length; i++) tree.insert(keys[i]! * step, order, i);
  return tree;
}

function buildMap(keys: Uint32Array, step = 1): Map<number, number> {
  const map = new Map<number, number>();
  for (let i = 0; i < keys.length; i++) map.set(keys[i]! * step, i);
  return map;
}

function oneShot<S>(plan: Plan, setup: () => S, work: (s: S) => void): Sample {
  return perOp(
    timeOneShot(
      plan.reps,
      () => {
        const state = setup();
        forceGc()();
        return state;
      },
      work,
    ),
    plan.n,
  );
}

function insertRows(plan: Plan, kind: string, keys: Uint32Array): BenchResult[] {
  const tree = oneShot(
    plan,
    () => null,
    () => buildTree(keys),
  );
  const map = oneShot(
    plan,
    () => null,
    () => buildMap(keys),
  );
  const row = result(SUITE, `insert order-0 ${kind}`, 'ns/op', tree, { name: 'Map.set', sample: map });
  return [withTarget(row, { on: 'ratio', op: '<=', bound: 2 })];
}

async function lookupRows(plan: Plan, kind: string, keys: Uint32Array): Promise<BenchResult[]> {
  const tree = buildTree(keys);
  const map = buildMap(keys);
  const t = await sampleTinybench(
    `tree lookup ${kind}`,
    () => {
      let sum = 0;
      for (let i = 0; i < keys.length; i++) sum += tree.lookup(keys[i]!)!;
      checksum += sum;
    },
    plan.quick,
  );
  const m = await sampleTinybench(
    `Map lookup ${kind}`,
    () => {
      let sum = 0;
      for (let i = 0; i < keys.length; i++) sum += map.get(keys[i]!)!;
      checksum += sum;
    },
    plan.quick,
  );
  const row = result(SUITE, `lookup order-0 ${kind}`, 'ns/op', perOp(t, plan.n), {
    name: 'Map.get',
    sample: perOp(m, plan.n),
  });
  return [withTarget(row, { on: 'ratio', op: '<=', bound: 1 })];
}

function deleteRows(plan: Plan, kind: string, keys: Uint32Array): BenchResult[] {
  const tree = oneShot(
    plan,
    () => buildTree(keys),
    (t) => {
      for (let i = 0; i < keys.length; i++) t.delete(keys[i]!);
    },
  );
  const map = oneShot(
    plan,
    () => buildMap(keys),
    (m) => {
      for (let i = 0; i < keys.length; i++) m.delete(keys[i]!);
    },
  );
  const row = result(SUITE, `delete order-0 ${kind}`, 'ns/op', tree, { name: 'Map.delete', sample: map });
  return [withTarget(row, { on: 'ratio', op: '<=', bound: 2 })];
}

async function order9Rows(plan: Plan): Promise<BenchResult[]> {
  const keys = sequential(plan.n);
  const span = 512;
  const ins = oneShot(
    plan,
    () => null,
    () => buildTree(keys, 9),
  );
  const insMap = oneShot(
    plan,
    () => null,
    () => buildMap(keys, span),
  );
  // N seeded random indices anywhere in the covered range: mostly inside, not at, an entry.
  const rng = xoroshiro128plus(SEED + 9);
  const probes = new Float64Array(plan.n);
  for (let i = 0; i < plan.n; i++) probes[i] = uniformInt(rng, 0, plan.n * span - 1);
  const tree = buildTree(keys, 9);
  const map = buildMap(keys, span);
  const look = await sampleTinybench(
    'tree lookup order-9 inner',
    () => {
      let sum = 0;
      for (let i = 0; i < probes.length; i++) sum += tree.lookup(probes[i]!)!;
      checksum += sum;
    },
    plan.quick,
  );
  const lookMap = await sampleTinybench(
    'Map lookup order-9 aligned',
    () => {
      let sum = 0;
      for (let i = 0; i < probes.length; i++) {
        const p = probes[i]!;
        sum += map.get(p - (p % span))!;
      }
      checksum += sum;
    },
    plan.quick,
  );
  return [
    result(SUITE, 'insert order-9', 'ns/op', ins, { name: 'Map.set', sample: insMap }),
    result(SUITE, 'lookup order-9 inner index', 'ns/op', perOp(look, plan.n), {
      name: 'Map.get(aligned)',
      sample: perOp(lookMap, plan.n),
    }),
  ];
}

async function tagRows(plan: Plan): Promise<BenchResult[]> {
  const keys = sequential(plan.n);
  const set = oneShot(
    plan,
    () => buildTree(keys),
    (t) => {
      for (let i = 0; i < keys.length; i++) t.tagSet(keys[i]!, TAG_DIRTY);
    },
  );
  const setBase = oneShot(
    plan,
    () => new Set<number>(),
    (s) => {
      for (let i = 0; i < keys.length; i++) s.add(keys[i]!);
    },
  );
  const tree = buildTree(keys);
  for (let i = 0; i < keys.length; i++) tree.tagSet(i, TAG_DIRTY);
  const map = buildMap(keys);
  const tagged = new Set<number>(keys);
  const walk = await sampleTinybench(
    'tree forEachTagged',
    () => {
      let sum = 0;
      tree.forEachTagged(0, Number.POSITIVE_INFINITY, TAG_DIRTY, (_i, _o, item) => {
        sum += item;
      });
      checksum += sum;
    },
    plan.quick,
  );
  const gang = await sampleTinybench(
    'tree gangLookupTag x64',
    () => {
      let next = 0;
      let sum = 0;
      for (;;) {
        const batch = tree.gangLookupTag(next, 64, TAG_DIRTY);
        const tail = batch[batch.length - 1];
        if (tail === undefined) break;
        for (const e of batch) sum += e.item;
        next = tail.index + 2 ** tail.order;
      }
      checksum += sum;
    },
    plan.quick,
  );
  const base = await sampleTinybench(
    'Set+Map tagged walk',
    () => {
      let sum = 0;
      for (const k of tagged) sum += map.get(k)!;
      checksum += sum;
    },
    plan.quick,
  );
  const baseline = { name: 'Set+Map iterate', sample: perSecond(base, plan.n) };
  const target = { on: 'value', op: '>=', bound: 20e6 } as const;
  return [
    result(SUITE, 'tagSet order-0', 'ns/op', set, { name: 'Set.add', sample: setBase }),
    withTarget(result(SUITE, 'forEachTagged', 'entries/s', perSecond(walk, plan.n), baseline), target),
    withTarget(
      result(SUITE, 'gangLookupTag batches of 64', 'entries/s', perSecond(gang, plan.n), baseline),
      target,
    ),
  ];
}

function memoryRows(plan: Plan): BenchResult[] {
  const keys = sequential(plan.n);
  const reps = plan.quick ? 1 : 3;
  const tree = measureRetainedBytes(reps, () => buildTree(keys));
  const map = measureRetainedBytes(reps, () => buildMap(keys));
  const per = (s: Sample): Sample => ({ ...s, median: s.median / plan.n });
  const row = result(SUITE, 'memory order-0 dense', 'bytes/entry', per(tree), {
    name: 'Map',
    sample: per(map),
  });
  return [withTarget(row, { on: 'ratio', op: '<=', bound: 1 })];
}

async function run(opts: SuiteOptions): Promise<BenchResult[]> {
  const plan: Plan = { n: opts.quick ? 1 << 14 : 1 << 20, reps: opts.quick ? 3 : 5, quick: opts.quick };
  const seq = sequential(plan.n);
  const rnd = randomDistinct(plan.n, SEED);
  const rows: BenchResult[] = [];
  rows.push(...insertRows(plan, 'sequential', seq), ...insertRows(plan, 'random', rnd));
  rows.push(...(await lookupRows(plan, 'sequential', seq)), ...(await lookupRows(plan, 'random', rnd)));
  rows.push(...deleteRows(plan, 'sequential', seq), ...deleteRows(plan, 'random', rnd));
  rows.push(...(await order9Rows(plan)), ...(await tagRows(plan)), ...memoryRows(plan));
  if (Number.isNaN(checksum)) throw new Error('radix-tree suite: checksum is NaN');
  return rows;
}

/** The radix tree suite (see the module header for units and targets). */
export const radixTreeSuite: Suite = { name: SUITE, run };
