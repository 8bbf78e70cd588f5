/**
 * `daxsim run <scenario>`: run once under the seeded random scheduler, print the report
 * (text, or exactly one JSON object with --json), optionally write the trace as Perfetto /
 * Chrome Trace Event JSON (--trace) and as ftrace text (--ftrace). Exit 1 when an invariant
 * was violated or an expectation failed.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { toFtrace } from '../../dax/ftrace.js';
import { toChromeTrace } from '../../sim/trace-chrome.js';
import { buildReport } from '../../workload/report.js';
import { formatReport } from '../../workload/report-text.js';
import { runScenario } from '../../workload/run.js';
import { loadScenario } from '../../workload/scenario/load.js';
import { collect, EXIT, intFlag, PROFILE_HELP, profileFlag } from '../errors.js';
import { Progress } from '../progress.js';

interface RunFlags {
  seed?: string;
  mutation: string[];
  json?: boolean;
  trace?: string;
  ftrace?: string;
  ftraceExtra?: boolean;
  profile?: string;
}

/** Register `run`. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a scenario once and report what happened')
    .argument('<scenario>', 'a scenario file, or builtin:NAME')
    .option('--seed <n>', 'seed of the random scheduler (default: the scenario seed, or 1)')
    .option('--profile <name>', PROFILE_HELP)
    .option('--mutation <name>', 'switch a mutation on (repeatable)', collect, [])
    .option('--json', 'print exactly one JSON object')
    .option('--trace <file>', 'write the trace as Perfetto / Chrome Trace Event JSON')
    .option('--ftrace <file>', "write the trace as ftrace text (the profile's fs_dax tracepoints)")
    .option('--ftrace-extra', "add daxsim's own events to --ftrace")
    .action((ref: string, flags: RunFlags) => {
      const scenario = loadScenario(ref);
      const seed = flags.seed === undefined ? undefined : intFlag('--seed', flags.seed);
      const profile = profileFlag(flags.profile);
      const progress = new Progress(`run ${scenario.name}`);
      const started = performance.now();
      const result = runScenario(scenario, {
        ...(seed === undefined ? {} : { seed }),
        ...(profile === undefined ? {} : { profile }),
        mutations: flags.mutation,
        trace: flags.trace !== undefined || flags.ftrace !== undefined,
        onProgress: (steps) => progress.update(`${steps} steps`),
      });
      const elapsedMs = performance.now() - started;
      progress.finish();
      const report = buildReport(result);
      const tasks = result.world.rt.tasks;
      if (flags.trace !== undefined) {
        writeFileSync(flags.trace, `${JSON.stringify(toChromeTrace(result.world.rt.trace, tasks))}\n`);
      }
      if (flags.ftrace !== undefined) {
        const ftraceOpts = { profile: result.world.kernel.profile, extra: flags.ftraceExtra === true };
        writeFileSync(flags.ftrace, toFtrace(result.world.rt.trace, tasks, ftraceOpts));
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else process.stdout.write(formatReport(report, elapsedMs));
      const failed = report.violations.length > 0 || report.expectFailures.length > 0;
      process.exitCode = failed ? EXIT.violation : EXIT.ok;
    });
}
