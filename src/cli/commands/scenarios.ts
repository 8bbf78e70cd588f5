/**
 * `daxsim scenarios` (the built-in scenarios, one per line with its description's first
 * line) and `daxsim schema` (the scenario file's JSON Schema, for editors).
 */
import type { Command } from 'commander';
import { scenarioJsonSchemaText } from '../../workload/scenario/json-schema.js';
import { listBuiltinScenarios } from '../../workload/scenario/load.js';

/** Register `scenarios` and `schema`. */
export function registerScenarios(program: Command): void {
  program
    .command('scenarios')
    .description('list the built-in scenarios (run one with builtin:NAME)')
    .option('--json', 'print a JSON array of { name, description }')
    .action((flags: { json?: boolean }) => {
      const list = listBuiltinScenarios();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(list)}\n`);
        return;
      }
      const w = Math.max(...list.map((s) => s.name.length));
      for (const s of list) process.stdout.write(`${s.name.padEnd(w)}  ${s.description}\n`);
    });
  program
    .command('schema')
    .description('print the JSON Schema of scenario files')
    .action(() => {
      process.stdout.write(scenarioJsonSchemaText());
    });
}
