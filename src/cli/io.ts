/**
 * Where the CLI's output goes, and the exit code a command leaves: passed to every command,
 * so `main(argv, io)` can run in-process (tests, fuzzing) without touching `process`.
 *
 * Invariants: commands write only through `io` and set only `ctx.exitCode`; nothing under
 * src/cli calls `process.exit` or sets `process.exitCode` except the bin (main.ts).
 */

/** The two output streams of the CLI. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: progress lines may be drawn. */
  readonly errIsTTY: boolean;
}

/** The process's own stdout and stderr. */
export function processIo(): CliIo {
  return {
    out: (text) => {
      process.stdout.write(text);
    },
    err: (text) => {
      process.stderr.write(text);
    },
    errIsTTY: process.stderr.isTTY === true,
  };
}

/** What a command receives: the streams, and the exit code it leaves (0 unless set). */
export interface CliContext {
  readonly io: CliIo;
  exitCode: number;
}
