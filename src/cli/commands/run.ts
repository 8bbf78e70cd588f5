/**
 * `daxsim run <scenario>`: run once under the seeded random scheduler, print the report
 * (text, or exactly one JSON object with --json), optionally write the trace as Perfetto /
 * Chrome Trace Event JSON (--trace) and as ftrace text (--ftrace, the profile's fs_dax events).
 * Exit 1 when an invariant was violated or an expectation failed; 2 when an output file cannot
 * be written (after the report is printed, so nothing computed is lost).
 */
import type { Command } from 'commander';
import { toFtrace } from '../../dax/ftrace.js';
import { toChromeTrace } from '../../sim/trace-chrome.js';
import { buildReport } from '../../workload/report.js';
import { formatReport } from '../../workload/report-text.js';
import { runScenario } from '../../workload/run.js';
import { loadScenario } from '../../workload/scenario/load.js';
import { collect, EXIT, intFlag, PROFILE_HELP, profileFlag } from '../errors.js';
import type { CliContext } from '../io.js';
import { checkOutputPath, writeOutput } from '../output.js';
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
export function registerRun(program: Command, ctx: CliContext): void {
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
      checkOutputPath('--trace', flags.trace);
      checkOutputPath('--ftrace', flags.ftrace);
      const progress = new Progress(`run ${scenario.name}`, { write: ctx.io.err }, ctx.io.errIsTTY);
      const started = performance.now();
      const result = runScenario(scenario, {
        ...(seed === undefined ? {} : { seed }),
        ...(profile === undefined ? {} : { profile }),
        mutations: flags.mutation,
        trace: flags.trace !== undefined || flags.ftrace !== undefined,
        onProgress: (p) =>
          p.plannedAccesses > 0
            ? progress.update(
                `${p.accesses} of ${p.plannedAccesses} accesses`,
                p.accesses / p.plannedAccesses,
              )
            : progress.update(`${p.steps} steps`),
      });
      const elapsedMs = performance.now() - started;
      progress.finish();
      const report = buildReport(result);
      ctx.io.out(flags.json ? `${JSON.stringify(report)}\n` : formatReport(report, elapsedMs));
      const failed = report.violations.length > 0 || report.expectFailures.length > 0;
      ctx.exitCode = failed ? EXIT.violation : EXIT.ok;
      const { trace, tasks } = result.world.rt;
      if (flags.trace !== undefined) {
        writeOutput('--trace', flags.trace, `${JSON.stringify(toChromeTrace(trace, tasks))}\n`);
      }
      if (flags.ftrace !== undefined) {
        const ftraceOpts = { profile: result.world.kernel.profile, extra: flags.ftraceExtra === true };
        writeOutput('--ftrace', flags.ftrace, toFtrace(trace, tasks, ftraceOpts));
      }
    });
}
