#!/usr/bin/env node
/**
 * The `daxsim` bin: runs the CLI (cli.ts) on the process's arguments and leaves its exit code.
 * Everything else lives in cli.ts, which never touches the process's exit state.
 *
 * A reader that stops early (`daxsim scenarios | head`) closes the pipe: that is not an error
 * of daxsim, so EPIPE on stdout ends the process quietly instead of with a stack trace.
 */
import { main } from './cli.js';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
