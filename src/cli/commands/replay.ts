/**
 * `daxsim replay <scenario> --schedule S` (design.md, S6, X3): re-run one schedule exactly,
 * print its thread table and the invariants it violates (or one JSON object with --json).
 * Exit 1 when it violates one; 2 when the schedule does not fit the scenario.
 */
import type { Command } from 'commander';
import { replaySchedule } from '../../check/replay.js';
import { toFtrace } from '../../dax/ftrace.js';
import { parseScheduleRuns } from '../../sim/schedule-string.js';
import { toChromeTrace } from '../../sim/trace-chrome.js';
import { loadScenario } from '../../workload/scenario/load.js';
import { collect, EXIT, intFlag, PROFILE_HELP, profileFlag, UsageError } from '../errors.js';
import type { CliContext } from '../io.js';
import { checkOutputPath, writeOutput } from '../output.js';

interface ReplayFlags {
  schedule: string;
  seed?: string;
  maxFailures?: string;
  mutation: string[];
  json?: boolean;
  wide?: boolean;
  ftraceExtra?: boolean;
  profile?: string;
  trace?: string;
  ftrace?: string;
}

/** Throw a UsageError when the schedule is malformed or names a task the scenario lacks. */
function checkScheduleTasks(schedule: string, tasks: readonly { name: string }[]): void {
  let runs: ReturnType<typeof parseScheduleRuns>;
  try {
    runs = parseScheduleRuns(schedule);
  } catch (e) {
    throw new UsageError(`--schedule: ${(e as Error).message}`);
  }
  runs.toks.forEach((tok, i) => {
    if (typeof tok !== 'number' || tok < tasks.length) return;
    const known = tasks.map((t, id) => `${id} ${t.name}`).join(', ');
    throw new UsageError(
      `--schedule: run ${i + 1} names task ${tok}, but the scenario's tasks are ${known === '' ? 'none' : known}`,
    );
  });
}

/** Register `replay`. */
export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .description('re-run one schedule and print its trace table')
    .argument('<scenario>', 'a scenario file, or builtin:NAME')
    .requiredOption('--schedule <s>', 'the schedule string (from check)')
    .option('--seed <n>', 'the World seed (default: the scenario seed, or 1)')
    .option('--max-failures <f>', 'failure choices offered (default: the F tokens in the schedule)')
    .option('--profile <name>', PROFILE_HELP)
    .option('--mutation <name>', 'switch a mutation on (repeatable)', collect, [])
    .option('--json', 'print exactly one JSON object')
    .option('--wide', 'thread table at natural column widths (default: fitted to 120 columns)')
    .option('--trace <file>', 'write the trace as Perfetto / Chrome Trace Event JSON')
    .option('--ftrace <file>', "write the trace as ftrace text (the profile's fs_dax events)")
    .option('--ftrace-extra', "add daxsim's own events to --ftrace")
    .action((ref: string, flags: ReplayFlags) => {
      const scenario = loadScenario(ref);
      checkOutputPath('--trace', flags.trace);
      checkOutputPath('--ftrace', flags.ftrace);
      checkScheduleTasks(flags.schedule, scenario.tasks);
      const profile = profileFlag(flags.profile);
      const opts = {
        mutations: flags.mutation,
        ...(profile === undefined ? {} : { profile }),
        ...(flags.wide ? { tableWidth: Number.POSITIVE_INFINITY } : {}),
        ...(flags.seed === undefined ? {} : { seed: intFlag('--seed', flags.seed) }),
        ...(flags.maxFailures === undefined
          ? {}
          : { maxFailures: intFlag('--max-failures', flags.maxFailures) }),
      };
      let rep: ReturnType<typeof replaySchedule>;
      try {
        rep = replaySchedule(scenario, flags.schedule, opts);
      } catch (e) {
        throw new UsageError(`--schedule: ${(e as Error).message}`);
      }
      const rt = rep.run.world.rt;
      const kernelProfile = rep.run.world.kernel.profile;
      const v = rep.outcome.violations;
      if (flags.json) {
        const out = {
          scenario: scenario.name,
          profile: kernelProfile,
          schedule: flags.schedule,
          seed: rep.run.seed,
          steps: rep.outcome.steps,
          violations: v,
          table: rep.table,
        };
        ctx.io.out(`${JSON.stringify(out)}\n`);
      } else {
        const head = `scenario ${scenario.name}, profile ${kernelProfile}, schedule ${flags.schedule}, seed ${rep.run.seed}: ${rep.outcome.steps} steps\n\n`;
        const tail =
          v.length === 0
            ? 'invariants: all hold\n'
            : v.map((x) => `${x.invariant} violated: ${x.message}\n`).join('');
        ctx.io.out(`${head}${rep.table}\n${tail}`);
      }
      ctx.exitCode = v.length > 0 ? EXIT.violation : EXIT.ok;
      if (flags.trace !== undefined)
        writeOutput('--trace', flags.trace, `${JSON.stringify(toChromeTrace(rt.trace, rt.tasks))}\n`);
      if (flags.ftrace !== undefined) {
        const ftraceOpts = { profile: kernelProfile, extra: flags.ftraceExtra === true };
        writeOutput('--ftrace', flags.ftrace, toFtrace(rt.trace, rt.tasks, ftraceOpts));
      }
    });
}
