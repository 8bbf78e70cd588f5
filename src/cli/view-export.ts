/**
 * Writing a `daxsim view` page to a file (view --export, check --view). The path is checked
 * before the run with output.ts's checkOutputPath, like every other output file, so a long
 * check does not end in a write error; failures are one-line UsageErrors naming the flag.
 */
import { exportHtml, loadAssets } from '../view/page.js';
import type { ViewData } from '../view/view-data.js';
import { writeOutput } from './output.js';

/** Write the self-contained page of `data` to `path` (a UsageError naming `flag` on failure). */
export function writeExport(flag: string, path: string, data: ViewData): void {
  writeOutput(flag, path, exportHtml(data, loadAssets()));
}
