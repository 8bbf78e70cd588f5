/**
 * Benchmark runner: `node --expose-gc dist/bench/main.js [--filter NAME] [--quick]`.
 *
 * Invariants:
 * - stdout carries exactly one JSON document (the same one written to
 *   `bench/results/latest.json`); everything human-readable goes to stderr.
 * - Suites run one after another in registry order, each in a fresh child process: a suite's
 *   figures must not depend on what ran before it (heap size and garbage left by earlier
 *   suites slowed the checker suite by a third, and the I/O rows depend on fresh host memory).
 * - A missed target is reported (`met: false`), not an error: the exit code is 0 unless a
 *   suite throws or the arguments are bad (2).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { BenchDocument, BenchResult, Suite } from './harness.js';
import { suites } from './suites/index.js';
import { formatTable } from './table.js';

/** The repository root: the nearest ancestor of this module holding a package.json. */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('bench: no package.json above the runner');
    dir = up;
  }
}

/** Pick the suites whose name contains `filter` (all when undefined). */
function selectSuites(all: readonly Suite[], filter: string | undefined): Suite[] {
  const names = new Set<string>();
  for (const s of all) {
    if (names.has(s.name)) throw new Error(`bench: suite name ${s.name} registered twice`);
    names.add(s.name);
  }
  return filter === undefined ? [...all] : all.filter((s) => s.name.includes(filter));
}

/** Run one suite in a fresh Node process (same flags), returning its results. */
function runChild(name: string, quick: boolean): BenchResult[] {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--child', name];
  if (quick) args.push('--quick');
  const r = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`suite ${name} failed (exit ${r.status ?? r.signal})`);
  return JSON.parse(r.stdout) as BenchResult[];
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('bench')
    .description('run the daxsim benchmark suites')
    .option('--filter <name>', 'run only suites whose name contains NAME')
    .option('--quick', 'scale workloads down (CI smoke mode)', false)
    .option('--child <suite>', 'internal: run one suite in this process, print its results as JSON')
    .exitOverride();
  try {
    program.parse(argv);
  } catch {
    return 2;
  }
  const opts = program.opts<{ filter?: string; quick: boolean; child?: string }>();
  if (opts.child !== undefined) {
    const suite = suites.find((x) => x.name === opts.child);
    if (suite === undefined) return 2;
    process.stdout.write(JSON.stringify(await suite.run({ quick: opts.quick })));
    return 0;
  }
  const chosen = selectSuites(suites, opts.filter);
  if (chosen.length === 0) {
    process.stderr.write(
      `bench: no suite matches --filter ${opts.filter}; known: ${suites.map((s) => s.name).join(', ')}\n`,
    );
    return 2;
  }
  const results: BenchResult[] = [];
  for (const suite of chosen) {
    process.stderr.write(`bench: running ${suite.name}${opts.quick ? ' (quick)' : ''}...\n`);
    results.push(...runChild(suite.name, opts.quick));
  }
  const doc: BenchDocument = {
    environment: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: os.cpus().length,
      date: new Date().toISOString(),
      quick: opts.quick,
    },
    results,
  };
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  const outDir = path.join(repoRoot(), 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'latest.json'), json);
  process.stderr.write(`${formatTable(results)}\n`);
  process.stdout.write(json);
  return 0;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
