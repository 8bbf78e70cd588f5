/**
 * A shard's record (X4): what `daxsim check --shard i/n --json` prints beside its own verdict
 * so that `daxsim merge` can combine the shards into the verdict one process gives. A header
 * says what was explored (tool version, the scenario's text and its SHA-256, every option
 * that can change the result, the shard) and the partial result says what this shard found:
 * each unit of work it ran, by ordinal, with its executions, whether it finished, its
 * schedule hash (random, PCT) and, for a violating unit, the violating execution.
 *
 * Invariants: a record is plain JSON, and decoding it gives back the shard's partial result
 * exactly (units in ordinal order, the dfs root, the unit count, the time-out flag); the
 * per-run facts (`workers`, `elapsedMs`) are kept apart from the header, so shards run with
 * different worker counts still merge.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LoadedScenario, packageRoot } from '../workload/scenario/load.js';
import { joinPartials } from './explore/merge.js';
import type { ExecutionOutcome, PartialResult, ResolvedOptions, UnitReport } from './explore/types.js';

/** The record format this build writes and reads. */
export const SHARD_FORMAT = 'daxsim-shard/1';

/**
 * The options that decide a result: all of ResolvedOptions but `workers`, `shard` and the
 * thread table's width (a rendering choice of the command that prints: merge has its own).
 */
export type ExploreOptions = Omit<ResolvedOptions, 'workers' | 'shard' | 'tableWidth'>;

/** A shard's partial result, one column per unit field (compact for a million units). */
export interface EncodedPartial {
  unitCount: number;
  timedOut: boolean;
  /** dfs: the root execution (every shard runs it). */
  root: UnitReport | null;
  /** Unit ordinals, ascending: the first as is, then differences. */
  ordinals: number[];
  executions: number[];
  /** One digit per unit: 1 = complete, + 2 = capped (the budget ran out inside it). */
  flags: string;
  /** The unit's schedule hash, or -1 (dfs units keep none). */
  hashes: number[];
  /** The violating units: which execution inside violated, and how. */
  violations: { ordinal: number; at: number; outcome: ExecutionOutcome }[];
}

/** A shard's record. */
export interface ShardRecord {
  format: string;
  /** The daxsim version that explored. */
  tool: string;
  scenario: {
    /** The scenario as given (`builtin:NAME` or a path): the replay line names it. */
    ref: string;
    /** The file it was parsed under. */
    file: string;
    sha256: string;
    text: string;
  };
  options: ExploreOptions;
  shard: { index: number; count: number };
  /** Per run: worker threads of this shard. */
  workers: number;
  /** Per run: this shard's elapsed time. */
  elapsedMs: number;
  partial: EncodedPartial;
}

let version: string | undefined;

/** This build's version (package.json). */
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
  return version;
}

/** SHA-256 of a scenario's text, hex. */
export function scenarioDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The options of `o` that decide a result, in a fixed key order. */
export function exploreOptions(o: ResolvedOptions): ExploreOptions {
  return {
    strategy: o.strategy,
    executions: o.executions,
    timeSeconds: o.timeSeconds,
    preemptions: o.preemptions,
    pctDepth: o.pctDepth,
    maxFailures: o.maxFailures,
    seed: o.seed,
    mutations: [...o.mutations],
    profile: o.profile,
    shrink: o.shrink,
    checkEachStep: o.checkEachStep,
    reduction: o.reduction,
  };
}

/** Encode a shard's partial result. */
export function encodePartial(p: PartialResult): EncodedPartial {
  const e: EncodedPartial = {
    unitCount: p.unitCount,
    timedOut: p.timedOut,
    root: p.root,
    ordinals: [],
    executions: [],
    flags: '',
    hashes: [],
    violations: [],
  };
  let prev = 0;
  const flags: string[] = [];
  for (const u of p.units) {
    if (u.hashes.length > 1) throw new Error(`shard record: unit ${u.ordinal} has ${u.hashes.length} hashes`);
    e.ordinals.push(e.ordinals.length === 0 ? u.ordinal : u.ordinal - prev);
    prev = u.ordinal;
    e.executions.push(u.executions);
    flags.push(String((u.complete ? 1 : 0) + (u.capped ? 2 : 0)));
    e.hashes.push(u.hashes[0] ?? -1);
    if (u.violation !== null && u.violationAt !== null)
      e.violations.push({ ordinal: u.ordinal, at: u.violationAt, outcome: u.violation });
  }
  e.flags = flags.join('');
  return e;
}

/** Decode a shard's partial result (the inverse of `encodePartial`). */
export function decodePartial(e: EncodedPartial): PartialResult {
  const found = new Map(e.violations.map((v) => [v.ordinal, v]));
  const units: UnitReport[] = [];
  let ordinal = 0;
  for (let i = 0; i < e.ordinals.length; i++) {
    ordinal = i === 0 ? e.ordinals[0]! : ordinal + e.ordinals[i]!;
    const f = Number(e.flags[i]);
    const v = found.get(ordinal);
    const h = e.hashes[i]!;
    units.push({
      ordinal,
      executions: e.executions[i]!,
      complete: (f & 1) !== 0,
      capped: (f & 2) !== 0,
      violationAt: v?.at ?? null,
      violation: v?.outcome ?? null,
      hashes: h === -1 ? [] : [h],
    });
  }
  return { units, unitCount: e.unitCount, root: e.root, timedOut: e.timedOut };
}

/** The record of a shard that explored `loaded` with options `o` and got `parts`. */
export function shardRecord(
  loaded: LoadedScenario,
  o: ResolvedOptions,
  parts: readonly PartialResult[],
  elapsedMs: number,
): ShardRecord {
  return {
    format: SHARD_FORMAT,
    tool: toolVersion(),
    scenario: {
      ref: loaded.scenario.source,
      file: loaded.file,
      sha256: scenarioDigest(loaded.text),
      text: loaded.text,
    },
    options: exploreOptions(o),
    shard: { ...o.shard },
    workers: o.workers,
    elapsedMs,
    partial: encodePartial(joinPartials(parts)),
  };
}
