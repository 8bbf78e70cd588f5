/**
 * `daxsim mutations [--json] [--check]` (design.md, U1-U3): list the catalogue; with --check,
 * run the checker on every non-equivalent mutation and every equivalence proof, and print the
 * mutation score. Exit 1 when the score is below 100%.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { MUTATIONS } from '../../check/mutations/catalogue.js';
import { type MutationVerdict, mutationScore } from '../../check/mutations/score.js';
import { DEFAULT_PROFILE } from '../../version/profiles.js';
import { EXIT, PROFILE_HELP, profileFlag } from '../errors.js';
import type { CliContext } from '../io.js';
import { Progress } from '../progress.js';

interface MutationsFlags {
  json?: boolean;
  check?: boolean;
  profile?: string;
}

function listText(): string {
  const rows = MUTATIONS.map((m) =>
    `${m.name.padEnd(34)} ${m.origin.padEnd(12)} ${m.rule.padEnd(12)} ${m.scenario.padEnd(32)} ${m.equivalent ? 'equivalent' : ''}`.trimEnd(),
  );
  return `${'name'.padEnd(34)} ${'origin'.padEnd(12)} ${'rule'.padEnd(12)} scenario\n${rows.join('\n')}\n`;
}

function proofText(v: MutationVerdict): string {
  const p = v.proof;
  if (p === null) return 'equivalent (no proof run)';
  const run = `dfs bound ${p.preemptions}, ${p.executions} executions`;
  if (p.holds) return `equivalent: proven (${run}, exhausted, no violation)`;
  if (p.violation !== null) return `CLAIM REFUTED (${run}): ${p.violation}`;
  return `CLAIM UNPROVEN (${run}, not exhausted)`;
}

function verdictText(v: MutationVerdict): string {
  const what =
    v.profileFails !== null
      ? `not scored: the profile itself fails here (${v.profileFails})`
      : v.equivalent
        ? proofText(v)
        : v.inProfile
          ? 'in profile (the profile already has these switch values)'
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
    .option('--profile <name>', PROFILE_HELP.replace("the scenario's, else ", ''))
    .action(async (flags: MutationsFlags) => {
      const profile = profileFlag(flags.profile) ?? DEFAULT_PROFILE;
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
            profile,
          }));
          ctx.io.out(`${JSON.stringify(list)}\n`);
        } else ctx.io.out(listText());
        ctx.exitCode = EXIT.ok;
        return;
      }
      const progress = new Progress('mutations --check', { write: ctx.io.err }, ctx.io.errIsTTY);
      const workers = availableParallelism();
      const s = await mutationScore(
        undefined,
        (v, done, of) => progress.update(v.name, done / of),
        profile,
        workers,
      );
      progress.finish();
      if (flags.json) ctx.io.out(`${JSON.stringify(s)}\n`);
      else {
        ctx.io.out(
          `profile ${s.profile}\n${s.verdicts.map(verdictText).join('\n')}\n\n` +
            `mutation score: ${s.score}% (${s.killed}/${s.total} killed, ${s.proven}/${s.claims} equivalence claims proven)\n`,
        );
      }
      ctx.exitCode = s.killed === s.total && s.proven === s.claims ? EXIT.ok : EXIT.violation;
    });
}
