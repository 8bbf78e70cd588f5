/**
 * Writing a `daxsim view` page to a file (view --export, check --view): the path is checked
 * before the run, so a long check does not end in a write error; failures are one-line
 * UsageErrors naming the flag (exit 2).
 */
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { exportHtml, loadAssets } from '../view/page.js';
import type { ViewData } from '../view/view-data.js';
import { UsageError } from './errors.js';

/** Throw a UsageError naming `flag` unless an HTML file can be written at `path`. */
export function checkWritable(flag: string, path: string): void {
  const full = resolve(path);
  let isDir = false;
  try {
    isDir = statSync(full).isDirectory();
  } catch {
    // Not there yet: its folder must be writable.
  }
  if (isDir) throw new UsageError(`${flag}: ${path} is a directory`);
  try {
    accessSync(dirname(full), constants.W_OK);
  } catch {
    throw new UsageError(`${flag}: cannot write ${path}: no writable folder ${dirname(full)}`);
  }
}

/** Write the self-contained page of `data` to `path` (a UsageError naming `flag` on failure). */
export function writeExport(flag: string, path: string, data: ViewData): void {
  const html = exportHtml(data, loadAssets());
  try {
    writeFileSync(path, html);
  } catch (e) {
    throw new UsageError(
      `${flag}: cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}
