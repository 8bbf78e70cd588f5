/**
 * `daxsim replay <scenario> --schedule S` (design.md, S6, X3): re-run one schedule exactly,
 * print its thread table and the invariants it violates (or one JSON object with --json).
 * Exit 1 when it violates one; 2 when the schedule does not fit the scenario.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { replaySchedule } from '../../check/replay.js';
import { toFtrace } from '../../dax/ftrace.js';
import { parseScheduleRuns } from '../../sim/schedule-string.js';
import { toChromeTrace } from '../../sim/trace-chrome.js';
import { loadScenario } from '../../workload/scenario/load.js';
import { collect, EXIT, intFlag, PROFILE_HELP, profileFlag, UsageError } from '../errors.js';

interface ReplayFlags {
  schedule: string;
  seed?: string;
  maxFailures?: string;
  mutation: string[];
  json?: boolean;
  trace?: string;
  ftrace?: string;
  ftraceExtra?: boolean;
  profile?: string;
}

/** Register `replay`. */
export function registerReplay(program: Command): void {
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
    .option('--trace <file>', 'write the trace as Perfetto / Chrome Trace Event JSON')
    .option('--ftrace <file>', "write the trace as ftrace text (the profile's fs_dax events)")
    .option('--ftrace-extra', "add daxsim's own events to --ftrace")
    .action((ref: string, flags: ReplayFlags) => {
      const scenario = loadScenario(ref);
      try {
        parseScheduleRuns(flags.schedule);
      } catch (e) {
        throw new UsageError(`--schedule: ${(e as Error).message}`);
      }
      const profile = profileFlag(flags.profile);
      const opts = {
        mutations: flags.mutation,
        ...(profile === undefined ? {} : { profile }),
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
      if (flags.trace !== undefined)
        writeFileSync(flags.trace, `${JSON.stringify(toChromeTrace(rt.trace, rt.tasks))}\n`);
      const kernelProfile = rep.run.world.kernel.profile;
      if (flags.ftrace !== undefined) {
        const ftraceOpts = { profile: kernelProfile, extra: flags.ftraceExtra === true };
        writeFileSync(flags.ftrace, toFtrace(rt.trace, rt.tasks, ftraceOpts));
      }
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
        process.stdout.write(`${JSON.stringify(out)}\n`);
      } else {
        const head = `scenario ${scenario.name}, profile ${kernelProfile}, schedule ${flags.schedule}, seed ${rep.run.seed}: ${rep.outcome.steps} steps\n\n`;
        const tail =
          v.length === 0
            ? 'invariants: all hold\n'
            : v.map((x) => `${x.invariant} violated: ${x.message}\n`).join('');
        process.stdout.write(`${head}${rep.table}\n${tail}`);
      }
      process.exitCode = v.length > 0 ? EXIT.violation : EXIT.ok;
    });
}
