/**
 * `daxsim mutations [--json] [--check]` (design.md, U1-U3): list the catalogue; with --check,
 * run the checker on every non-equivalent mutation and print the mutation score. Exit 1 when
 * the score is below 100%.
 */
import type { Command } from 'commander';
import { MUTATIONS } from '../../check/mutations/catalogue.js';
import { type MutationVerdict, mutationScore } from '../../check/mutations/score.js';
import { EXIT } from '../errors.js';
import type { CliContext } from '../io.js';
import { Progress } from '../progress.js';

interface MutationsFlags {
  json?: boolean;
  check?: boolean;
}

function listText(): string {
  const rows = MUTATIONS.map((m) =>
    `${m.name.padEnd(34)} ${m.origin.padEnd(12)} ${m.rule.padEnd(12)} ${m.scenario.padEnd(32)} ${m.equivalent ? 'equivalent' : ''}`.trimEnd(),
  );
  return `${'name'.padEnd(34)} ${'origin'.padEnd(12)} ${'rule'.padEnd(12)} scenario\n${rows.join('\n')}\n`;
}

function verdictText(v: MutationVerdict): string {
  const what = v.equivalent
    ? 'equivalent'
    : v.found
      ? `killed: ${v.invariant} by ${v.strategy} in ${v.executions} executions`
      : `SURVIVED (${v.executions} executions${v.unexpected === null ? '' : `; other violation ${v.unexpected}`})`;
  return `${v.name.padEnd(34)} ${v.scenario.padEnd(32)} ${what}`;
}

/** Register `mutations`. */
export function registerMutations(program: Command, ctx: CliContext): void {
  program
    .command('mutations')
    .description('list the mutation catalogue; --check prints the mutation score')
    .option('--json', 'print JSON')
    .option('--check', 'run every mutation against its scenario and print the score')
    .action(async (flags: MutationsFlags) => {
      if (!flags.check) {
        if (flags.json) {
          const list = MUTATIONS.map((m) => ({
            name: m.name,
            origin: m.origin,
            rule: m.rule,
            scenario: m.scenario,
            equivalent: m.equivalent,
            source: m.source,
            argument: m.argument,
          }));
          ctx.io.out(`${JSON.stringify(list)}\n`);
        } else ctx.io.out(listText());
        ctx.exitCode = EXIT.ok;
        return;
      }
      const progress = new Progress('mutations --check', { write: ctx.io.err }, ctx.io.errIsTTY);
      const s = await mutationScore(undefined, (v, done, of) => progress.update(v.name, done / of));
      progress.finish();
      if (flags.json) ctx.io.out(`${JSON.stringify(s)}\n`);
      else {
        ctx.io.out(
          `${s.verdicts.map(verdictText).join('\n')}\n\nmutation score: ${s.killed}/${s.total} = ${s.score}% (equivalent mutations excluded)\n`,
        );
      }
      ctx.exitCode = s.killed === s.total ? EXIT.ok : EXIT.violation;
    });
}
