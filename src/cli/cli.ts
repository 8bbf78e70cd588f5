/**
 * The `daxsim` command line (design.md's CLI contract): run, check, merge, replay, mutations,
 * profiles, compare, history, scenarios, schema, rules, view. Exit codes: 0 nothing found, 1 a violation or counterexample, 2
 * bad input (one line naming file, line, field or flag and what was expected; never a stack
 * trace), 70 an internal error (a bug of daxsim).
 *
 * Invariant: `main` never exits the process and writes only through its `io`, so it can run
 * in-process any number of times (the bin, main.ts, is the only caller of process.exitCode).
 */
import { Command, CommanderError } from 'commander';
import { toolVersion } from '../check/shard-record.js';
import { registerCheck } from './commands/check.js';
import { registerCompare } from './commands/compare.js';
import { registerHistory } from './commands/history.js';
import { registerMerge } from './commands/merge.js';
import { registerMutations } from './commands/mutations.js';
import { registerProfiles } from './commands/profiles.js';
import { registerReplay } from './commands/replay.js';
import { registerRules } from './commands/rules.js';
import { registerRun } from './commands/run.js';
import { registerScenarios } from './commands/scenarios.js';
import { registerView } from './commands/view.js';
import { EXIT, isUserError } from './errors.js';
import { type CliContext, type CliIo, processIo } from './io.js';

/** Control characters and other unprintables in a message, as `\xNN` escapes. */
function printable(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping them is the point
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g,
    (c) => (c === '\ufffd' ? '?' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`),
  );
}

function program(ctx: CliContext): Command {
  const p = new Command('daxsim')
    .description('An executable, checkable model of the Linux DAX fault path with 2 MiB PMD pages')
    .version(toolVersion())
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err, outputError: () => {} });
  registerRun(p, ctx);
  registerCheck(p, ctx);
  registerMerge(p, ctx);
  registerReplay(p, ctx);
  registerMutations(p, ctx);
  registerProfiles(p, ctx);
  registerCompare(p, ctx);
  registerHistory(p, ctx);
  registerScenarios(p, ctx);
  registerRules(p, ctx);
  registerView(p, ctx);
  return p;
}

/** Run the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const ctx: CliContext = { io, exitCode: EXIT.ok };
  try {
    await program(ctx).parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0)
        return EXIT.ok;
      io.err(`daxsim: ${printable(e.message.replace(/^error: /, ''))}\n`);
      return EXIT.usage;
    }
    if (isUserError(e)) {
      io.err(`daxsim: ${printable(e.message.split('\n')[0] ?? '')}\n`);
      return EXIT.usage;
    }
    io.err(`daxsim: internal error: ${printable((e as Error)?.message ?? String(e))}\n`);
    if (process.env.DAXSIM_DEBUG) io.err(`${(e as Error)?.stack}\n`);
    return EXIT.internal;
  }
}
