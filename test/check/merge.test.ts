/**
 * X4 across processes: `check --shard i/n --json` in n separate `daxsim` processes, then
 * `daxsim merge`, gives the one-process `check --json` verdict byte for byte but for the
 * documented per-run fields (`workers`, `elapsedMs`), whatever the order of the files; bad
 * sets of shards exit 2 with one line naming the file.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daxsim, ROOT, tempFiles } from '../cli/helpers.js';

const BIN = join(ROOT, 'dist/src/cli/main.js');
const SHARDS = 4;

/** `daxsim ...args` as a child process, resolving to its stdout. */
function daxsimAsync(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.on('error', reject);
    p.on('close', () => resolve(out));
  });
}

/** Run every shard of `args` as its own process; returns the shard files. */
async function runShards(args: string[], dir: string): Promise<string[]> {
  const outs = await Promise.all(
    Array.from({ length: SHARDS }, (_, i) =>
      daxsimAsync(['check', ...args, '--shard', `${i}/${SHARDS}`, '--workers', '1', '--json']),
    ),
  );
  return outs.map((text, i) => {
    const file = join(dir, `shard-${i}.json`);
    writeFileSync(file, text);
    return file;
  });
}

/** The JSON text with the per-run fields fixed. */
function normalised(text: string): string {
  const j = JSON.parse(text);
  j.elapsedMs = 0;
  j.workers = 0;
  return JSON.stringify(j);
}

const CASES: { name: string; args: string[]; code: number }[] = [
  {
    name: 'a dfs counterexample (review-downgrade-wake-one, found at execution 970)',
    args: ['builtin:review-thread', '--strategy', 'dfs', '--mutation', 'review-downgrade-wake-one'],
    code: 1,
  },
  {
    name: 'a random counterexample (wake-one@delete-wake, found at execution 103)',
    args: ['builtin:fsync-waiters', '--mutation', 'wake-one@delete-wake', '--executions', '400'],
    code: 1,
  },
  {
    name: 'a passing, exhausted dfs (review-thread, bound 1)',
    args: ['builtin:review-thread', '--strategy', 'dfs', '--preemptions', '1'],
    code: 0,
  },
  {
    name: 'a passing random walk (review-thread, 300 executions)',
    args: ['builtin:review-thread', '--executions', '300'],
    code: 0,
  },
];

describe('daxsim merge (X4, built binary, shards as separate processes)', () => {
  for (const c of CASES) {
    it(`X4: ${SHARDS} shards + merge equal one process: ${c.name}`, async () => {
      const dir = tempFiles({});
      const [files, one] = await Promise.all([
        runShards(c.args, dir),
        daxsimAsync(['check', ...c.args, '--workers', '2', '--json']),
      ]);
      const merged = daxsim(['merge', '--json', ...files]);
      expect(merged.stderr).toBe('');
      expect(merged.code).toBe(c.code);
      expect(normalised(merged.stdout)).toBe(normalised(one));
      const shuffled = daxsim(['merge', '--json', files[2]!, files[0]!, files[3]!, files[1]!]);
      expect(shuffled.stdout).toBe(merged.stdout);
      const j = JSON.parse(merged.stdout);
      expect(j.workers).toBe(SHARDS);
      const shardMs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')).elapsedMs as number);
      expect(j.elapsedMs).toBe(Math.max(...shardMs));
      const text = daxsim(['merge', ...files]);
      expect(text.stdout).toContain(`scenario ${j.scenario}: `);
    });
  }

  it('X4: a missing, repeated or foreign shard exits 2 with one line naming the file', async () => {
    const dir = tempFiles({ 'not.json': 'hello' });
    const args = ['builtin:review-thread', '--executions', '40'];
    const files = await runShards(args, dir);
    const other = join(dir, 'other.json');
    writeFileSync(other, await daxsimAsync(['check', ...args, '--seed', '9', '--shard', '1/4', '--json']));
    const cases: [string[], RegExp][] = [
      [files.slice(0, 3), /shard 3\/4 is missing/],
      [[...files, files[1]!], /shard-1\.json: shard 1\/4 is also given/],
      [[files[0]!, other, files[2]!, files[3]!], /other\.json: option seed \(9\) differs/],
      [[...files, join(dir, 'not.json')], /not\.json: expected the JSON output/],
      [[join(dir, 'absent.json')], /absent\.json: expected a readable shard file/],
    ];
    for (const [input, message] of cases) {
      const r = daxsim(['merge', ...input]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
