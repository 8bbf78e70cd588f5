#!/usr/bin/env node
/**
 * The `daxsim` command line (design.md's CLI contract): run, check, merge, replay, mutations,
 * scenarios, schema, view. Exit codes: 0 nothing found, 1 a violation or counterexample, 2 bad
 * input (one line naming file, line, field and what was expected; never a stack trace).
 */
import { Command, CommanderError } from 'commander';
import { KernelConfigError } from '../version/kernel.js';
import { ScenarioError } from '../workload/scenario/error.js';
import { registerCheck } from './commands/check.js';
import { registerMerge } from './commands/merge.js';
import { registerMutations } from './commands/mutations.js';
import { registerProfiles } from './commands/profiles.js';
import { registerReplay } from './commands/replay.js';
import { registerRun } from './commands/run.js';
import { registerScenarios } from './commands/scenarios.js';
import { registerView } from './commands/view.js';
import { EXIT, UsageError } from './errors.js';

function program(): Command {
  const p = new Command('daxsim')
    .description('An executable, checkable model of the Linux DAX fault path with 2 MiB PMD pages')
    .version('0.1.0')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  registerRun(p);
  registerCheck(p);
  registerMerge(p);
  registerReplay(p);
  registerMutations(p);
  registerProfiles(p);
  registerScenarios(p);
  registerView(p);
  return p;
}

/** Run the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0)
        return EXIT.ok;
      process.stderr.write(`daxsim: ${e.message.replace(/^error: /, '')}\n`);
      return EXIT.usage;
    }
    if (e instanceof ScenarioError || e instanceof UsageError || e instanceof KernelConfigError) {
      process.stderr.write(`daxsim: ${e.message.split('\n')[0]}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`daxsim: internal error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.DAXSIM_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return EXIT.internal;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
