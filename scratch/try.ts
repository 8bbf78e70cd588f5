import { loadScenario } from '../src/workload/scenario/index.js';
import { runScenario } from '../src/workload/run.js';
import { buildReport } from '../src/workload/report.js';
const name = process.argv[2]!;
const r = runScenario(loadScenario(`builtin:${name}`), { seed: Number(process.argv[3] ?? 1), mutations: process.argv.slice(4) });
const rep = buildReport(r);
console.log(JSON.stringify({ ...rep, schedule: rep.schedule.slice(0, 60) }, null, 1));
