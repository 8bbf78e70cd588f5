/**
 * Entry of the `daxsim view` page: read the recorded run (inline in an export, else the
 * server's run.json) and render the app.
 */
import { render } from 'preact';
import type { ViewData } from '../../src/view/view-data.js';
import { VIEW_DATA_VERSION } from '../../src/view/view-data.js';
import { App } from './app.js';
import { RunModel } from './model.js';
import './style.css';

async function load(): Promise<ViewData> {
  const inline = document.getElementById('daxsim-data');
  if (inline?.textContent) return JSON.parse(inline.textContent) as ViewData;
  const r = await fetch('run.json');
  if (!r.ok) throw new Error(`run.json: HTTP ${r.status}`);
  return (await r.json()) as ViewData;
}

const root = document.getElementById('app')!;
load()
  .then((data) => {
    if (data.version !== VIEW_DATA_VERSION)
      throw new Error(`data version ${data.version}; this page reads ${VIEW_DATA_VERSION}`);
    render(<App model={new RunModel(data)} />, root);
  })
  .catch((e: unknown) => {
    root.textContent = `daxsim view: ${(e as Error).message}`;
  });
