/**
 * `daxsim check <scenario>` (design.md, X1-X4): explore interleavings and injected failures
 * for invariant violations; print the result (text, or one JSON object with --json) and, on
 * a counterexample, its replayable schedule, seed and thread table. --trace / --ftrace
 * export the counterexample's trace, --view its step-by-step page (daxsim view). Exit 1 when a counterexample is found.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { explore, resolveOptions, verdict } from '../../check/check.js';
import { type CheckOptions, type CheckResult, STRATEGIES, type Strategy } from '../../check/explore/types.js';
import { replayCommand, replaySchedule } from '../../check/replay.js';
import { shardRecord } from '../../check/shard-record.js';
import { toFtrace } from '../../dax/ftrace.js';
import { toChromeTrace } from '../../sim/trace-chrome.js';
import { recordView } from '../../view/record.js';
import { loadScenarioSource } from '../../workload/scenario/load.js';
import { collect, EXIT, intFlag, PROFILE_HELP, profileFlag, UsageError } from '../errors.js';
import type { CliContext } from '../io.js';
import { checkOutputPath, writeOutput } from '../output.js';
import { Progress } from '../progress.js';
import { writeExport } from '../view-export.js';

interface CheckFlags {
  strategy: string;
  executions?: string;
  time?: string;
  preemptions?: string;
  depth?: string;
  maxFailures?: string;
  seed?: string;
  mutation: string[];
  workers?: string;
  shard?: string;
  json?: boolean;
  trace?: string;
  ftrace?: string;
  ftraceExtra?: boolean;
  profile?: string;
  view?: string;
  shrink: boolean;
  reduction: boolean;
  wide?: boolean;
}

/**
 * The most worker threads `--workers` may ask for: each is a whole V8 instance, so thousands
 * exhaust the host long before they help; four per core leaves room for oversubscription.
 */
export function maxWorkers(): number {
  return Math.max(16, 4 * availableParallelism());
}

/** Parse `--shard i/n`. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index >= count) {
    throw new UsageError(`--shard: expected i/n with 0 <= i < n, got '${text}'`);
  }
  return { index, count };
}

function options(f: CheckFlags): CheckOptions {
  if (!STRATEGIES.includes(f.strategy as Strategy)) {
    throw new UsageError(`--strategy: expected ${STRATEGIES.join(', ')}, got '${f.strategy}'`);
  }
  const o: CheckOptions = {
    strategy: f.strategy as Strategy,
    mutations: f.mutation,
    shrink: f.shrink,
    ...(f.profile === undefined ? {} : { profile: profileFlag(f.profile)! }),
    reduction: f.reduction,
    ...(f.wide ? { tableWidth: Number.POSITIVE_INFINITY } : {}),
  };
  if (f.executions !== undefined) o.executions = intFlag('--executions', f.executions, 1);
  if (f.time !== undefined) {
    const t = Number(f.time);
    if (!(t > 0)) throw new UsageError(`--time: expected seconds > 0, got '${f.time}'`);
    o.timeSeconds = t;
  }
  if (f.preemptions !== undefined) o.preemptions = intFlag('--preemptions', f.preemptions);
  if (f.depth !== undefined) o.pctDepth = intFlag('--depth', f.depth, 1);
  if (f.maxFailures !== undefined) o.maxFailures = intFlag('--max-failures', f.maxFailures);
  if (f.seed !== undefined) o.seed = intFlag('--seed', f.seed);
  o.workers =
    f.workers === undefined ? availableParallelism() : intFlag('--workers', f.workers, 1, maxWorkers());
  if (f.shard !== undefined) o.shard = parseShard(f.shard);
  return o;
}

/** The text form of a check result; `ref` is the scenario as given (path or builtin:NAME). */
export function formatCheck(r: CheckResult, ref = `builtin:${r.scenario}`): string {
  const lines = [
    `scenario ${r.scenario}: ${r.result === 'pass' ? 'no violation found' : 'COUNTEREXAMPLE'}`,
    `strategy ${r.strategy}${r.preemptionBound === null ? '' : ` (preemption bound ${r.preemptionBound})`}, ` +
      `${r.executions} executions, ${r.distinctSchedules} distinct schedules, ` +
      `${r.exhausted ? 'space exhausted' : 'not exhausted'}${r.timedOut ? ' (time budget ran out)' : ''}, ` +
      `${(r.elapsedMs / 1000).toFixed(2)} s on ${r.workers} worker(s)${r.shard === null ? '' : `, shard ${r.shard}`}`,
  ];
  lines.push(`profile ${r.profile}`);
  if (r.mutations.length > 0) lines.push(`mutations: ${r.mutations.join(', ')}`);
  const v = r.violation;
  if (v !== undefined) {
    lines.push(
      '',
      `${v.invariant} violated (execution ${v.foundAt + 1}; shrunk from ${v.original.steps} to ${v.steps} steps, ` +
        `${v.original.preemptions} to ${v.preemptions} preemptions):`,
      ...v.message.split('\n').map((l) => `  ${l}`),
      '',
      `replay: ${replayCommand({ ref, profile: r.profile, schedule: v.schedule, seed: v.seed, maxFailures: v.maxFailures, mutations: r.mutations })}`,
      '',
      v.table,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Register `check`. */
export function registerCheck(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('explore schedules and injected failures for invariant violations')
    .argument('<scenario>', 'a scenario file, or builtin:NAME')
    .option('--strategy <s>', `exploration strategy: ${STRATEGIES.join(', ')}`, 'random')
    .option('--executions <n>', 'execution budget (default 1000; dfs 100000)')
    .option('--time <seconds>', 'time budget')
    .option('--preemptions <k>', 'dfs preemption bound (default 2)')
    .option('--depth <d>', 'pct bug depth (default 3)')
    .option('--max-failures <f>', 'injected allocation failures explored per run (default 0)')
    .option('--seed <n>', 'base seed (default: the scenario seed, or 1)')
    .option('--profile <name>', PROFILE_HELP)
    .option('--mutation <name>', 'switch a mutation on (repeatable)', collect, [])
    .option('--workers <n>', 'worker threads (default: the number of cores)')
    .option('--shard <i/n>', 'explore only shard i of n (with --json: a record for `daxsim merge`)')
    .option('--no-shrink', 'report the counterexample as found')
    .option('--no-reduction', 'dfs without the sleep-set reduction')
    .option('--json', 'print exactly one JSON object')
    .option('--trace <file>', "write the counterexample's trace as Perfetto / Chrome Trace Event JSON")
    .option(
      '--ftrace <file>',
      "write the counterexample's trace as ftrace text (the profile's fs_dax events)",
    )
    .option('--ftrace-extra', "add daxsim's own events to --ftrace")
    .option('--wide', 'thread table at natural column widths (default: fitted to 120 columns)')
    .option('--view <file>', 'write the counterexample as a self-contained page (see daxsim view)')
    .action(async (ref: string, flags: CheckFlags) => {
      const loaded = loadScenarioSource(ref);
      const scenario = loaded.scenario;
      const o = options(flags);
      const budget = resolveOptions(scenario, o);
      checkOutputPath('--view', flags.view);
      checkOutputPath('--trace', flags.trace);
      checkOutputPath('--ftrace', flags.ftrace);
      const progress = new Progress(`check ${scenario.name}`, { write: ctx.io.err }, ctx.io.errIsTTY);
      const started = Date.now();
      const e = await explore(scenario, o, (n) => {
        const byCount = n / budget.executions;
        const byTime = budget.timeSeconds === null ? 0 : (Date.now() - started) / (budget.timeSeconds * 1000);
        progress.update(`${n} executions`, Math.min(1, Math.max(byCount, byTime)));
      });
      const r = verdict(scenario, e.options, e.parts, { started: e.started });
      progress.finish();
      const v = r.violation;
      if (v !== undefined && (flags.trace !== undefined || flags.ftrace !== undefined)) {
        const rep = replaySchedule(scenario, v.schedule, {
          seed: v.seed,
          mutations: r.mutations,
          profile: r.profile,
          maxFailures: v.maxFailures,
        });
        const rt = rep.run.world.rt;
        if (flags.trace !== undefined)
          writeOutput('--trace', flags.trace, `${JSON.stringify(toChromeTrace(rt.trace, rt.tasks))}\n`);
        if (flags.ftrace !== undefined) {
          const ftraceOpts = { profile: rep.run.world.kernel.profile, extra: flags.ftraceExtra === true };
          writeOutput('--ftrace', flags.ftrace, toFtrace(rt.trace, rt.tasks, ftraceOpts));
        }
      }
      if (v !== undefined && flags.view !== undefined) {
        const data = recordView(scenario, {
          seed: v.seed,
          mutations: r.mutations,
          profile: r.profile,
          schedule: v.schedule,
          maxFailures: v.maxFailures,
        });
        writeExport('--view', flags.view, data);
      } else if (flags.view !== undefined) {
        ctx.io.err(`daxsim: --view: no counterexample, ${flags.view} not written\n`);
      }
      // A shard's JSON also carries what `daxsim merge` needs (check/shard-record.ts).
      if (flags.json) {
        const out =
          flags.shard === undefined
            ? r
            : { ...r, shardRecord: shardRecord(loaded, e.options, e.parts, r.elapsedMs) };
        ctx.io.out(`${JSON.stringify(out)}\n`);
      } else ctx.io.out(formatCheck(r, ref));
      ctx.exitCode = r.result === 'violation' ? EXIT.violation : EXIT.ok;
    });
}
