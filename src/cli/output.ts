/**
 * Output files named by flags (`--trace FILE`, `--ftrace FILE`): checked before the work
 * starts, so a typo in a folder name costs nothing, and written after the report is printed,
 * so a write that still fails loses no output already computed.
 *
 * Invariant: every failure is a UsageError naming the flag and the path (exit 2).
 */
import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory (folder), not a file';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** Throw a UsageError unless `path` can plausibly be written: its folder exists, it is not one. */
export function checkOutputPath(flag: string, path: string | undefined): void {
  if (path === undefined) return;
  if (path === '') throw new UsageError(`${flag}: expected a file name, got ''`);
  const full = resolve(path);
  let dir: ReturnType<typeof statSync>;
  try {
    dir = statSync(dirname(full));
  } catch (e) {
    throw new UsageError(`${flag}: cannot write '${path}': ${reason(e)}`);
  }
  if (!dir.isDirectory())
    throw new UsageError(`${flag}: cannot write '${path}': ${dirname(path)} is not a folder`);
  try {
    if (statSync(full).isDirectory())
      throw new UsageError(`${flag}: cannot write '${path}': it is a directory (folder), not a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
  }
}

/** Write `text` to `path`, or throw a UsageError naming the flag. */
export function writeOutput(flag: string, path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`${flag}: cannot write '${path}': ${reason(e)}`);
  }
}
