/**
 * The viewer's page: the built browser app (dist/web/app.js and app.css, from web/ by
 * `npm run build`) and the HTML around it, either linking the assets and fetching run.json
 * (served) or with assets and data inline (a self-contained export).
 *
 * Invariants: an export needs no network (inline script, style and data, and a
 * Content-Security-Policy that forbids any fetch); inline text cannot close its element
 * early (`</` is escaped in scripts and data).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViewData } from './view-data.js';

/** The built app. */
export interface ViewAssets {
  readonly js: string;
  readonly css: string;
}

/** The package root: the nearest folder above this module with a package.json (src/ or dist/src/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('daxsim view: cannot find the package root');
    dir = up;
  }
  return dir;
}

/** Where the built assets live. */
export function assetsDir(): string {
  return join(packageRoot(), 'dist', 'web');
}

/** Read the built app; a missing build is an installation problem, said in one line. */
export function loadAssets(dir = assetsDir()): ViewAssets {
  const js = join(dir, 'app.js');
  const css = join(dir, 'app.css');
  if (!existsSync(js) || !existsSync(css))
    throw new Error(`the view app is not built (no ${js}); run npm run build`);
  return { js: readFileSync(js, 'utf8'), css: readFileSync(css, 'utf8') };
}

/** Escape `<` so inline text never closes its element (JSON and JS both accept \u003c / <\/). */
function inlineJson(data: ViewData): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The CSP of an export: nothing may be loaded; inline script and style only. */
export const EXPORT_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

function shell(title: string, head: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    head,
    '</head>',
    '<body>',
    '<div id="app">loading…</div>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The self-contained page of one run (`--export`). */
export function exportHtml(data: ViewData, assets: ViewAssets): string {
  const js = assets.js.replace(/<\/(script)/gi, '<\\/$1');
  const css = assets.css.replace(/<\/(style)/gi, '<\\/$1');
  return shell(
    `daxsim view: ${data.scenario.name}`,
    `<meta http-equiv="Content-Security-Policy" content="${EXPORT_CSP}">\n<style>${css}</style>`,
    `<script type="application/json" id="daxsim-data">${inlineJson(data)}</script>\n<script type="module">${js}</script>`,
  );
}

/** The served page: the app and its data come from the server (app.js, app.css, run.json). */
export function servedHtml(title: string): string {
  return shell(
    `daxsim view: ${title}`,
    '<link rel="stylesheet" href="app.css">',
    '<script type="module" src="app.js"></script>',
  );
}
