/**
 * `daxsim merge`'s library half (X4): combine the records of shards `0/n` .. `n-1/n` into the
 * verdict `daxsim check` gives in one process with the same options.
 *
 * The shards' partial results are merged in unit order (explore/merge.ts, exactly as the
 * workers of one process are), and the first counterexample in that order is shrunk and
 * rendered again from the scenario text the records carry. So the verdict does not depend
 * on which machine ran which shard, nor on the order the files are given in.
 *
 * Per-run fields: `workers` is the sum of the shards' workers and `elapsedMs` the largest
 * shard's elapsed time (the wall time of shards run side by side, without the merge's own
 * shrinking); both are functions of the inputs alone, and the only fields in which the
 * merged output may differ from the one-process `check --json` (whose values are its own).
 *
 * Invariants: inputs merge only if every record has this build's format and tool version,
 * the same scenario text (SHA-256) and options, the same shard count, and every shard index
 * exactly once; anything else is a `ShardMergeError` naming the file.
 */

import { parseScenarioSource } from '../workload/scenario/load.js';
import { verdict } from './check.js';
import type { CheckResult, ResolvedOptions } from './explore/types.js';
import {
  decodePartial,
  SHARD_FORMAT,
  type ShardRecord,
  scenarioDigest,
  toolVersion,
} from './shard-record.js';
import { TABLE_WIDTH } from './table.js';

/** A bad merge input: which file, and what is wrong (one line). */
export class ShardMergeError extends Error {
  override readonly name = 'ShardMergeError';
}

/** One input: a file name (for messages) and its text. */
export interface ShardInput {
  file: string;
  text: string;
}

/** The merged verdict and the scenario reference its replay line names. */
export interface MergedShards {
  result: CheckResult;
  ref: string;
}

function fail(file: string, what: string): never {
  throw new ShardMergeError(`${file}: ${what}`);
}

/** The record in `input` (`check --shard i/n --json` output), checked for shape and format. */
export function readShardRecord(input: ShardInput): ShardRecord {
  let json: unknown;
  try {
    json = JSON.parse(input.text);
  } catch {
    fail(input.file, 'expected the JSON output of `daxsim check --shard i/n --json`, got no JSON');
  }
  const r = (json as { shardRecord?: ShardRecord } | null)?.shardRecord;
  if (r === undefined || r === null || typeof r !== 'object')
    fail(input.file, 'expected a shardRecord (the output of `daxsim check --shard i/n --json`)');
  if (r.format !== SHARD_FORMAT)
    fail(input.file, `expected record format ${SHARD_FORMAT}, got ${String(r.format)}`);
  if (r.tool !== toolVersion())
    fail(input.file, `written by daxsim ${String(r.tool)}, this is ${toolVersion()}`);
  const s = r.shard;
  if (!(Number.isInteger(s?.count) && Number.isInteger(s?.index) && s.index >= 0 && s.index < s.count))
    fail(input.file, 'expected shard {index, count} with 0 <= index < count');
  if (!(Number.isInteger(r.workers) && r.workers >= 1 && typeof r.elapsedMs === 'number'))
    fail(input.file, 'expected workers >= 1 and elapsedMs');
  if (typeof r.scenario?.text !== 'string' || scenarioDigest(r.scenario.text) !== r.scenario.sha256)
    fail(input.file, "the scenario text does not match the record's sha256");
  return r;
}

/** What must be equal between two records for them to merge, or null when it is. */
function mismatch(a: ShardRecord, b: ShardRecord): string | null {
  if (a.scenario.sha256 !== b.scenario.sha256) return `scenario (sha256 ${b.scenario.sha256.slice(0, 12)})`;
  if (a.shard.count !== b.shard.count) return `shard count ${b.shard.count}`;
  const ao = a.options as unknown as Record<string, unknown>;
  const bo = b.options as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
    if (JSON.stringify(ao[k]) !== JSON.stringify(bo[k])) return `option ${k} (${JSON.stringify(bo[k])})`;
  }
  return null;
}

/** Merge shard records into one verdict; throws ShardMergeError on a bad set of inputs. */
export function mergeShards(inputs: readonly ShardInput[]): MergedShards {
  if (inputs.length === 0) throw new ShardMergeError('merge: expected at least one shard file');
  const records = inputs
    .map((input) => ({ file: input.file, record: readShardRecord(input) }))
    .sort(
      (x, y) =>
        x.record.shard.index - y.record.shard.index || (x.file < y.file ? -1 : x.file > y.file ? 1 : 0),
    );
  const first = records[0]!;
  const count = first.record.shard.count;
  for (let i = 1; i < records.length; i++) {
    const { file, record } = records[i]!;
    const m = mismatch(first.record, record);
    if (m !== null) fail(file, `${m} differs from ${first.file}'s`);
    if (record.shard.index === records[i - 1]!.record.shard.index)
      fail(file, `shard ${record.shard.index}/${count} is also given as ${records[i - 1]!.file}`);
  }
  for (let i = 0; i < count; i++) {
    if (records[i]?.record.shard.index !== i) {
      throw new ShardMergeError(
        `merge: shard ${i}/${count} is missing (given: ${inputs.map((x) => x.file).join(', ')})`,
      );
    }
  }
  const r = first.record;
  const { scenario } = parseScenarioSource(r.scenario.text, r.scenario.file, r.scenario.ref);
  const o: ResolvedOptions = {
    ...r.options,
    mutations: [...r.options.mutations],
    workers: records.reduce((n, x) => n + x.record.workers, 0),
    shard: { index: 0, count: 1 },
    tableWidth: TABLE_WIDTH,
  };
  const parts = records.map((x) => decodePartial(x.record.partial));
  const elapsedMs = Math.max(...records.map((x) => x.record.elapsedMs));
  return { result: verdict(scenario, o, parts, { elapsedMs }), ref: r.scenario.ref };
}
