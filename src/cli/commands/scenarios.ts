/**
 * `daxsim scenarios` (the built-in scenarios: name and the first sentence of the description,
 * wrapped under its column) and `daxsim schema` (the scenario file's JSON Schema, for editors).
 */
import type { Command } from 'commander';
import { wrapWords } from '../../lib/wrap.js';
import { scenarioJsonSchemaText } from '../../workload/scenario/json-schema.js';
import { listBuiltinScenarios } from '../../workload/scenario/load.js';
import type { CliContext } from '../io.js';

/** Columns the listing is wrapped to. */
const LIST_WIDTH = 100;

/** Register `scenarios` and `schema`. */
export function registerScenarios(program: Command, ctx: CliContext): void {
  program
    .command('scenarios')
    .description('list the built-in scenarios (run one with builtin:NAME)')
    .option('--json', 'print a JSON array of { name, description, summary }')
    .action((flags: { json?: boolean }) => {
      const list = listBuiltinScenarios();
      if (flags.json) {
        ctx.io.out(`${JSON.stringify(list)}\n`);
        return;
      }
      const w = Math.max(...list.map((s) => s.name.length));
      const indent = ' '.repeat(w + 2);
      for (const s of list) {
        const lines = wrapWords(s.summary, Math.max(40, LIST_WIDTH - indent.length));
        ctx.io.out(`${s.name.padEnd(w)}  ${lines.join(`\n${indent}`)}\n`);
      }
    });
  program
    .command('schema')
    .description('print the JSON Schema of scenario files')
    .action(() => {
      ctx.io.out(scenarioJsonSchemaText());
    });
}
