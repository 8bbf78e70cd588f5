/**
 * `daxsim rules [ID]`: the rule reference (docs/rules.md). Without an id, the whole reference;
 * with one, its entry; `--list`, one line per id. Every rule id the reports, traces, tables and
 * mutations print has an entry (a test derives the ids from the code). Unknown id: exit 2.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { CliContext } from '../io.js';
import { findRule, parseRules, readRulesDoc } from '../rules-doc.js';

/** Register `rules`. */
export function registerRules(program: Command, ctx: CliContext): void {
  program
    .command('rules')
    .description('print the rule reference: what each rule id (M3, G2, V1, ...) means')
    .argument('[id]', 'one rule id, e.g. M3 (case does not matter)')
    .option('--list', 'one line per rule id with its title')
    .action((id: string | undefined, flags: { list?: boolean }) => {
      const text = readRulesDoc();
      const entries = parseRules(text);
      if (flags.list) {
        const w = Math.max(...entries.map((e) => e.id.length));
        ctx.io.out(entries.map((e) => `${e.id.padEnd(w)}  ${e.title}\n`).join(''));
        return;
      }
      if (id === undefined) {
        ctx.io.out(text.endsWith('\n') ? text : `${text}\n`);
        return;
      }
      const entry = findRule(entries, id);
      if (entry === undefined) {
        throw new UsageError(
          `rules: expected a rule id (${entries.map((e) => e.id).join(', ')}), got '${id}'`,
        );
      }
      ctx.io.out(`${entry.text}\n`);
    });
}
