/**
 * `daxsim compare FILE --profiles A,B[,C] [--check] [--json]`: one scenario under several
 * kernel profiles, side by side (check/compare.ts): fault counts by size and fallback reason,
 * entries and page tables at the end, task outcomes, violations; with --check the checker's
 * verdict per profile with its replay command. Exit 1 when any column has a violation.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { type CompareColumn, compareProfiles } from '../../check/compare.js';
import { STRATEGIES, type Strategy } from '../../check/explore/types.js';
import { replayCommand } from '../../check/replay.js';
import { alignColumns } from '../../workload/columns.js';
import { loadScenario } from '../../workload/scenario/load.js';
import { collect, EXIT, intFlag, profileFlag, UsageError } from '../errors.js';
import type { CliContext } from '../io.js';
import { Progress } from '../progress.js';

interface CompareFlags {
  profiles: string;
  check?: boolean;
  json?: boolean;
  seed?: string;
  mutation: string[];
  strategy: string;
  executions?: string;
}

function profilesFlag(text: string): string[] {
  const names = text.split(',').map((s) => s.trim());
  if (names.length < 2 || names.some((n) => n === ''))
    throw new UsageError(`--profiles: expected two or more names separated by commas, got '${text}'`);
  for (const n of names) profileFlag(n);
  return names;
}

type Cell = (c: CompareColumn) => string;

function table(cols: readonly CompareColumn[], rows: readonly [string, Cell][]): string[] {
  return alignColumns([['', ...cols.map((c) => c.profile)], ...rows.map(([h, f]) => [h, ...cols.map(f)])]);
}

function text(ref: string, name: string, cols: readonly CompareColumn[]): string {
  const reasons = [...new Set(cols.flatMap((c) => Object.keys(c.report.faults.fallbackReasons)))].sort();
  const tasks = Object.keys(cols[0]!.report.tasks);
  const rows: [string, Cell][] = [
    ['faults pmd (2 MiB)', (c) => String(c.report.faults.pmd)],
    ['faults pte (4 KiB)', (c) => String(c.report.faults.pte)],
    ['fallback', (c) => String(c.report.faults.fallback)],
    ...reasons.map((r): [string, Cell] => [`  ${r}`, (c) => String(c.report.faults.fallbackReasons[r] ?? 0)]),
    ['major', (c) => String(c.report.faults.major)],
    ['cow', (c) => String(c.report.faults.cow)],
    ['pfn_mkwrite', (c) => String(c.report.faults.mkwrite)],
    ['SIGBUS', (c) => String(c.report.faults.sigbus)],
    [
      'entries pmd / zero / pte',
      (c) => `${c.report.entries.pmd} / ${c.report.entries.zero} / ${c.report.entries.pte}`,
    ],
    ['hole pages', (c) => String(c.report.entries.holePages)],
    ['huge PMDs / PTEs', (c) => `${c.report.pageTables.hugePmds} / ${c.report.pageTables.ptes}`],
    ...tasks.map((t): [string, Cell] => [`task ${t}`, (c) => c.report.tasks[t] ?? '-']),
    ['violations (run)', (c) => c.report.violations.map((v) => v.invariant).join(' ') || 'none'],
  ];
  if (cols.some((c) => c.check !== null)) {
    rows.push([
      'check',
      (c) =>
        c.check === null
          ? '-'
          : c.check.violation === undefined
            ? `pass (${c.check.executions}${c.check.exhausted ? ', exhausted' : ''})`
            : `${c.check.violation.invariant} (execution ${c.check.violation.foundAt})`,
    ]);
  }
  const out = [`scenario ${name}, seed ${cols[0]!.report.seed}`, '', ...table(cols, rows)];
  for (const c of cols) {
    for (const v of c.report.violations)
      out.push(`  ${c.profile} run: ${v.invariant}: ${v.message.split('\n')[0]}`);
    const cx = c.check?.violation;
    if (cx !== undefined) {
      out.push(`  ${c.profile} check: ${cx.invariant}: ${cx.message.split('\n')[0]}`);
      const { schedule, seed, maxFailures } = cx;
      const mutations = c.check!.mutations;
      out.push(`    ${replayCommand({ ref, profile: c.profile, schedule, seed, maxFailures, mutations })}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Register `compare`. */
export function registerCompare(program: Command, ctx: CliContext): void {
  program
    .command('compare')
    .description('run (and with --check, check) one scenario under several kernel profiles, side by side')
    .argument('<scenario>', 'a scenario file, or builtin:NAME')
    .requiredOption('--profiles <list>', 'profiles to compare, comma separated (e.g. 4.11,4.12,fixed)')
    .option('--check', 'run the checker under each profile too')
    .option('--strategy <s>', 'with --check: exploration strategy: random, pct, dfs', 'random')
    .option('--executions <n>', 'with --check: execution budget per profile (default 1000; dfs 100000)')
    .option('--seed <n>', 'seed of the runs and the checker (default: the scenario seed, or 1)')
    .option('--mutation <name>', 'switch a mutation on in every column (repeatable)', collect, [])
    .option('--json', 'print one JSON object')
    .action(async (ref: string, flags: CompareFlags) => {
      const scenario = loadScenario(ref);
      const profiles = profilesFlag(flags.profiles);
      if (!STRATEGIES.includes(flags.strategy as Strategy))
        throw new UsageError(`--strategy: expected ${STRATEGIES.join(', ')}, got '${flags.strategy}'`);
      const seed = flags.seed === undefined ? undefined : intFlag('--seed', flags.seed);
      const executions =
        flags.executions === undefined ? undefined : intFlag('--executions', flags.executions, 1);
      const progress = new Progress(`compare ${scenario.name}`, { write: ctx.io.err }, ctx.io.errIsTTY);
      const cols = await compareProfiles(scenario, profiles, {
        ...(seed === undefined ? {} : { seed }),
        mutations: flags.mutation,
        check: flags.check
          ? {
              strategy: flags.strategy as Strategy,
              workers: availableParallelism(),
              ...(seed === undefined ? {} : { seed }),
              ...(executions === undefined ? {} : { executions }),
            }
          : null,
      });
      progress.finish();
      if (flags.json) {
        ctx.io.out(`${JSON.stringify({ scenario: scenario.name, profiles: cols })}\n`);
      } else ctx.io.out(text(ref, scenario.name, cols));
      const bad = cols.some((c) => c.report.violations.length > 0 || c.check?.violation !== undefined);
      ctx.exitCode = bad ? EXIT.violation : EXIT.ok;
    });
}
