/** Reading a `daxsim view` export back in tests. */
import { readFileSync } from 'node:fs';
import type { ViewData } from '../../src/view/view-data.js';

/** The run data inlined in an exported page. */
export function exportedData(file: string): ViewData {
  const m = /<script type="application\/json" id="daxsim-data">(.*?)<\/script>/s.exec(
    readFileSync(file, 'utf8'),
  );
  if (m === null) throw new Error(`${file}: no inline run data`);
  return JSON.parse(m[1]!) as ViewData;
}
