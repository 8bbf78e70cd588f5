/**
 * `daxsim profiles [--json]`: the kernel profiles and the value each switch has in each, with
 * the commits that changed every switch (version/profiles.ts, version/switches.ts).
 */
import type { Command } from 'commander';
import { PROFILE_DOCS, PROFILE_NAMES, PROFILE_TABLE } from '../../version/profiles.js';
import { SWITCH_NAMES, SWITCHES, type SwitchInfo } from '../../version/switches.js';
import { alignColumns } from '../../workload/columns.js';
import { EXIT } from '../errors.js';
import type { CliContext } from '../io.js';

/** The profiles and switches as one JSON document. */
export function profilesJson(): unknown {
  return {
    profiles: PROFILE_NAMES.map((name) => ({
      name,
      description: PROFILE_DOCS[name],
      switches: Object.fromEntries(SWITCH_NAMES.map((s) => [s, PROFILE_TABLE[s][name]])),
    })),
    switches: SWITCH_NAMES.map((name) => {
      const info: SwitchInfo = SWITCHES[name];
      return {
        name,
        values: info.values,
        sites: info.sites,
        rules: info.rules,
        meaning: info.meaning,
        changes: info.changes,
        ...(info.parts === undefined ? {} : { parts: info.parts }),
      };
    }),
  };
}

/** The switch x profile table, then what each profile is and what changed each switch. */
export function profilesText(): string {
  const lines = alignColumns([
    ['switch', ...PROFILE_NAMES],
    ...SWITCH_NAMES.map((s) => [s, ...PROFILE_NAMES.map((p) => PROFILE_TABLE[s][p])]),
  ]);
  lines.push('', 'profiles');
  for (const p of PROFILE_NAMES) lines.push(`  ${p.padEnd(6)} ${PROFILE_DOCS[p]}`);
  lines.push('', 'changes (commit, first tag: the value from then on)');
  for (const s of SWITCH_NAMES) {
    const info: SwitchInfo = SWITCHES[s];
    for (const c of info.changes) lines.push(`  ${s}: ${c.commit} "${c.title}" (${c.tag}): ${c.to}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Register `profiles`. */
export function registerProfiles(program: Command, ctx: CliContext): void {
  program
    .command('profiles')
    .description('list the kernel profiles and the value of every switch in each')
    .option('--json', 'print one JSON object')
    .action((flags: { json?: boolean }) => {
      ctx.io.out(flags.json ? `${JSON.stringify(profilesJson())}\n` : profilesText());
      ctx.exitCode = EXIT.ok;
    });
}
