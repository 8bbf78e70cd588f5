/**
 * `daxsim merge FILE...` (X4): combine the `check --shard i/n --json` outputs of every shard
 * of one exploration into its verdict, printed as `daxsim check` prints it (text, or the JSON
 * object with --json). The output is byte for byte the one-process `check`'s but for the
 * per-run `workers` (the shards' sum) and `elapsedMs` (the slowest shard's), whatever the
 * order of the files. Exit 1 on a counterexample, 2 on a bad or missing shard (one line
 * naming the file).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { mergeShards, type ShardInput, ShardMergeError } from '../../check/merge-shards.js';
import { EXIT, UsageError } from '../errors.js';
import type { CliContext } from '../io.js';
import { formatCheck } from './check.js';

interface MergeFlags {
  json?: boolean;
}

function readInput(file: string): ShardInput {
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (e) {
    throw new UsageError(
      `${file}: expected a readable shard file, got ${(e as NodeJS.ErrnoException).code ?? 'an error'}`,
    );
  }
}

/** Register `merge`. */
export function registerMerge(program: Command, ctx: CliContext): void {
  program
    .command('merge')
    .description('combine the `check --shard i/n --json` outputs of all shards into one verdict')
    .argument('<files...>', 'one shard output per shard, in any order')
    .option('--json', 'print exactly one JSON object (as `check --json`)')
    .action((files: string[], flags: MergeFlags) => {
      let merged: ReturnType<typeof mergeShards>;
      try {
        merged = mergeShards(files.map(readInput));
      } catch (e) {
        if (e instanceof ShardMergeError) throw new UsageError(e.message);
        throw e;
      }
      const r = merged.result;
      ctx.io.out(flags.json ? `${JSON.stringify(r)}\n` : formatCheck(r, merged.ref));
      ctx.exitCode = r.result === 'violation' ? EXIT.violation : EXIT.ok;
    });
}
