/**
 * Radix tree suite: the tree against a JS `Map` (and a `Set` for tags) doing the same work in
 * the same run.
 *
 * Units and ratios (ratio = tree / baseline, in the row's unit):
 * - `ns/op`: median time per operation over a whole pass of N operations; lower is better, so
 *   ratio < 1 means the tree is faster than the Map. Tree and Map passes are interleaved
 *   (timeInterleaved: ABBA order, GC before each pass, setup untimed) so drift hits both.
 * - `entries/s`: iteration throughput (tinybench samples of a full walk); higher is better,
 *   so ratio > 1 means the tree is faster than iterating a Set of tagged keys over the Map.
 * - `bytes/entry`: retained heap (measured by releasing the structure) over N; lower is better.
 * Workloads: N = 2^20 entries (quick: 2^14), dense order-0 at indices 0..N-1 ("sequential"), or
 * N distinct indices of [0, 2N) in seeded random order ("random"), and N order-9 entries.
 * Targets (issue): lookup ratio <= 1, insert and delete ratio <= 2, tagged iteration >= 20M
 * entries/s, dense memory ratio <= 1. Quick mode is a smoke run: its figures are not meaningful.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { RadixTree, TAG_DIRTY } from '../../src/lib/radix-tree.js';
import {
  type BenchResult,
  type Contender,
  measureRetainedBytes,
  perOp,
  perSecond,
  result,
  type Sample,
  type Suite,
  type SuiteOptions,
  sampleTinybench,
  timeInterleaved,
  withTarget,
} from '../harness.js';

const SUITE = 'radix-tree';
const SEED = 0x5eed;
/** Accumulates lookup results so the optimiser cannot drop a measured loop. */
let checksum = 0;

/** Workload sizes for one run. */
interface Plan {
  n: number;
  rounds: number;
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

/** Interleaved tree-vs-baseline timing of one pass each, per operation (quick: more warm-up, as passes are tiny). */
function versus<A, B>(plan: Plan, tree: Contender<A>, base: Contender<B>): [Sample, Sample] {
  const [t, b] = timeInterleaved(plan.rounds, [tree, base] as Contender<unknown>[], plan.quick ? 8 : 1);
  return [perOp(t!, plan.n), perOp(b!, plan.n)];
}

/** A contender that reuses one prebuilt structure for a read-only pass. */
function reader<S>(state: S, pass: (s: S) => number): Contender<S> {
  return {
    setup: () => state,
    work: (s) => {
      checksum += pass(s);
    },
  };
}

function insertRows(plan: Plan, kind: string, keys: Uint32Array): BenchResult[] {
  const [t, m] = versus(
    plan,
    { setup: () => null, work: () => buildTree(keys) },
    { setup: () => null, work: () => buildMap(keys) },
  );
  const row = result(SUITE, `insert order-0 ${kind}`, 'ns/op', t, { name: 'Map.set', sample: m });
  return [withTarget(row, { on: 'ratio', op: '<=', bound: 2 })];
}

function lookupRows(plan: Plan, kind: string, keys: Uint32Array): BenchResult[] {
  const [t, m] = versus(
    plan,
    reader(buildTree(keys), (tree) => {
      let sum = 0;
      for (let i = 0; i < keys.length; i++) sum += tree.lookup(keys[i]!)!;
      return sum;
    }),
    reader(buildMap(keys), (map) => {
      let sum = 0;
      for (let i = 0; i < keys.length; i++) sum += map.get(keys[i]!)!;
      return sum;
    }),
  );
  const row = result(SUITE, `lookup order-0 ${kind}`, 'ns/op', t, { name: 'Map.get', sample: m });
  return [withTarget(row, { on: 'ratio', op: '<=', bound: 1 })];
}

function deleteRows(plan: Plan, kind: string, keys: Uint32Array): BenchResult[] {
  const [t, m] = versus(
    plan,
    {
      setup: () => buildTree(keys),
      work: (tree) => {
        for (let i = 0; i < keys.length; i++) tree.delete(keys[i]!);
      },
    },
    {
      setup: () => buildMap(keys),
      work: (map) => {
        for (let i = 0; i < keys.length; i++) map.delete(keys[i]!);
      },
    },
  );
  const row = result(SUITE, `delete order-0 ${kind}`, 'ns/op', t, { name: 'Map.delete', sample: m });
  return [withTarget(row, { on: 'ratio', op: '<=', bound: 2 })];
}

function order9Rows(plan: Plan): BenchResult[] {
  const keys = sequential(plan.n);
  const span = 512;
  const [ins, insMap] = versus(
    plan,
    { setup: () => null, work: () => buildTree(keys, 9) },
    { setup: () => null, work: () => buildMap(keys, span) },
  );
  // N seeded random indices anywhere in the covered range: mostly inside, not at, an entry.
  const rng = xoroshiro128plus(SEED + 9);
  const probes = new Float64Array(plan.n);
  for (let i = 0; i < plan.n; i++) probes[i] = uniformInt(rng, 0, plan.n * span - 1);
  const [look, lookMap] = versus(
    plan,
    reader(buildTree(keys, 9), (tree) => {
      let sum = 0;
      for (let i = 0; i < probes.length; i++) sum += tree.lookup(probes[i]!)!;
      return sum;
    }),
    reader(buildMap(keys, span), (map) => {
      let sum = 0;
      for (let i = 0; i < probes.length; i++) {
        const p = probes[i]!;
        sum += map.get(p - (p % span))!;
      }
      return sum;
    }),
  );
  return [
    result(SUITE, 'insert order-9', 'ns/op', ins, { name: 'Map.set', sample: insMap }),
    result(SUITE, 'lookup order-9 inner index', 'ns/op', look, { name: 'Map.get(aligned)', sample: lookMap }),
  ];
}

function tagSetRow(plan: Plan, keys: Uint32Array): BenchResult {
  const [set, setBase] = versus(
    plan,
    {
      setup: () => buildTree(keys),
      work: (t) => {
        for (let i = 0; i < keys.length; i++) t.tagSet(keys[i]!, TAG_DIRTY);
      },
    },
    {
      setup: () => new Set<number>(),
      work: (s) => {
        for (let i = 0; i < keys.length; i++) s.add(keys[i]!);
      },
    },
  );
  return result(SUITE, 'tagSet order-0', 'ns/op', set, { name: 'Set.add', sample: setBase });
}

async function tagRows(plan: Plan): Promise<BenchResult[]> {
  const keys = sequential(plan.n);
  const setRow = tagSetRow(plan, keys);
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
  const gangRow = result(
    SUITE,
    'gangLookupTag batches of 64',
    'entries/s',
    perSecond(gang, plan.n),
    baseline,
  );
  return [
    setRow,
    withTarget(result(SUITE, 'forEachTagged', 'entries/s', perSecond(walk, plan.n), baseline), target),
    withTarget(gangRow, target),
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
  const plan: Plan = { n: opts.quick ? 1 << 14 : 1 << 20, rounds: opts.quick ? 3 : 7, quick: opts.quick };
  const seq = sequential(plan.n);
  const rnd = randomDistinct(plan.n, SEED);
  const rows: BenchResult[] = [];
  rows.push(...insertRows(plan, 'sequential', seq), ...insertRows(plan, 'random', rnd));
  rows.push(...lookupRows(plan, 'sequential', seq), ...lookupRows(plan, 'random', rnd));
  rows.push(...deleteRows(plan, 'sequential', seq), ...deleteRows(plan, 'random', rnd));
  rows.push(...order9Rows(plan), ...(await tagRows(plan)), ...memoryRows(plan));
  if (Number.isNaN(checksum)) throw new Error('radix-tree suite: checksum is NaN');
  return rows;
}

/** The radix tree suite (see the module header for units and targets). */
export const radixTreeSuite: Suite = { name: SUITE, run };
