/**
 * Builds `dist/` once before the suite, so CLI tests run the real binary (`dist/src/cli/main.js`)
 * as a subprocess, exactly as a user would after `npm ci`, with the `daxsim view` app in
 * dist/web. tsc emits even when a file has a type error; `npm run typecheck` is what fails on
 * those, so here they are only reported; a failed app build fails the suite.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0)
    process.stderr.write(`global setup: the build reported errors:\n${r.stdout}${r.stderr}`);
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  const w = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (w.status !== 0) throw new Error(`global setup: the view app did not build:\n${w.stdout}${w.stderr}`);
}
