/**
 * `daxsim view <scenario>`: record one run step by step and show it as a page you can step
 * through, served on 127.0.0.1 (the URL is the first line printed; Ctrl-C stops it) or,
 * with --export, written as one self-contained HTML file. Without --schedule the run is
 * `daxsim run`'s seeded random run; with it, `daxsim replay`'s strict replay. Exit 0 once the
 * page is served or written (what the run found is on the page); 2 on bad input.
 */
import type { Command } from 'commander';
import { parseScheduleRuns } from '../../sim/schedule-string.js';
import { loadAssets } from '../../view/page.js';
import { recordView, type ViewRunOptions } from '../../view/record.js';
import { startViewServer } from '../../view/server.js';
import type { ViewData } from '../../view/view-data.js';
import { loadScenario } from '../../workload/scenario/load.js';
import { collect, EXIT, intFlag, PROFILE_HELP, profileFlag, UsageError } from '../errors.js';
import type { CliContext } from '../io.js';
import { checkOutputPath } from '../output.js';
import { writeExport } from '../view-export.js';

interface ViewFlags {
  seed?: string;
  schedule?: string;
  maxFailures?: string;
  mutation: string[];
  profile?: string;
  export?: string;
  port?: string;
}

/** The run the flags ask for (the options object every run setting passes through). */
function runOptions(f: ViewFlags): ViewRunOptions {
  if (f.schedule !== undefined) {
    try {
      parseScheduleRuns(f.schedule);
    } catch (e) {
      throw new UsageError(`--schedule: ${(e as Error).message}`);
    }
  } else if (f.maxFailures !== undefined) {
    throw new UsageError('--max-failures: only with --schedule');
  }
  const profile = profileFlag(f.profile);
  return {
    mutations: f.mutation,
    ...(profile === undefined ? {} : { profile }),
    ...(f.seed === undefined ? {} : { seed: intFlag('--seed', f.seed) }),
    ...(f.schedule === undefined ? {} : { schedule: f.schedule }),
    ...(f.maxFailures === undefined ? {} : { maxFailures: intFlag('--max-failures', f.maxFailures) }),
  };
}

function record(ref: string, opts: ViewRunOptions): ViewData {
  const scenario = loadScenario(ref);
  try {
    return recordView(scenario, opts);
  } catch (e) {
    // Only a replay can throw here: its schedule does not fit the scenario.
    if (opts.schedule !== undefined) throw new UsageError(`--schedule: ${(e as Error).message}`);
    throw e;
  }
}

async function serve(ctx: CliContext, data: ViewData, port: number): Promise<void> {
  let server: Awaited<ReturnType<typeof startViewServer>>;
  try {
    server = await startViewServer(data, loadAssets(), port);
  } catch (e) {
    throw new UsageError(`--port ${port}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  ctx.io.out(`${server.url}\n`);
  ctx.io.err(`daxsim view: serving ${data.scenario.name} (${data.run.steps} steps); Ctrl-C stops\n`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Register `view`. */
export function registerView(program: Command, ctx: CliContext): void {
  program
    .command('view')
    .description('show a run step by step in the browser (served on 127.0.0.1, or --export FILE.html)')
    .argument('<scenario>', 'a scenario file, or builtin:NAME')
    .option('--seed <n>', 'the seed (default: the scenario seed, or 1)')
    .option('--schedule <s>', 'replay this schedule (from check) instead of the seeded run')
    .option('--max-failures <f>', 'with --schedule: failure choices offered (default: its F tokens)')
    .option('--mutation <name>', 'switch a mutation on (repeatable)', collect, [])
    .option('--profile <name>', PROFILE_HELP)
    .option('--export <file>', 'write one self-contained HTML file instead of serving')
    .option('--port <n>', 'port on 127.0.0.1 (default 0: any free port)')
    .action(async (ref: string, flags: ViewFlags) => {
      const opts = runOptions(flags);
      const port = flags.port === undefined ? 0 : intFlag('--port', flags.port, 0, 65535);
      checkOutputPath('--export', flags.export);
      const data = record(ref, opts);
      if (flags.export !== undefined) {
        writeExport('--export', flags.export, data);
        ctx.io.out(`${flags.export}\n`);
      } else await serve(ctx, data, port);
      ctx.exitCode = EXIT.ok;
    });
}
