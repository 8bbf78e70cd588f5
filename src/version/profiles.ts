/**
 * The profile table: which value each switch has in each kernel the model can be (the seed
 * patch, v4.10 to v4.13, and `fixed`, the radix-era code with every later upstream fix).
 *
 * Invariants: one row per switch of switches.ts, one cell per profile, every cell one of the
 * switch's values; the table is data and nothing else decides a profile's behaviour; `fixed`
 * is the default profile.
 */
import { SWITCHES, type SwitchName, type SwitchValue } from './switches.js';

/** Profile names, oldest first. */
export const PROFILE_NAMES = ['seed', '4.10', '4.11', '4.12', '4.13', 'fixed'] as const;

/** A profile name. */
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** The profile a run gets when none is named. */
export const DEFAULT_PROFILE: ProfileName = 'fixed';

/** What each profile stands for. */
export const PROFILE_DOCS: Readonly<Record<ProfileName, string>> = {
  seed: 'the posted v5 patch "dax: add struct iomap based DAX PMD support" (Oct 2016) on its 4.9 base',
  '4.10': 'Linux v4.10 (Feb 2017): the patch as merged, with the 4.10 cycle fixes',
  '4.11': 'Linux v4.11 (Apr 2017)',
  '4.12': 'Linux v4.12 (Jul 2017)',
  '4.13': 'Linux v4.13 (Sep 2017): adds the colour check',
  fixed: 'the radix-era code with every later upstream fix applied (the default)',
};

type Row<N extends SwitchName> = Readonly<Record<ProfileName, SwitchValue<N>>>;

/** The table, row by row (kernel-versions.md §2; one new row from source reading). */
export const PROFILE_TABLE: { readonly [N in SwitchName]: Row<N> } = {
  'review-fixes': { seed: 'off', '4.10': 'on', '4.11': 'on', '4.12': 'on', '4.13': 'on', fixed: 'on' },
  'pte-table-alloc': {
    seed: 'late',
    '4.10': 'late',
    '4.11': 'late',
    '4.12': 'late',
    '4.13': 'late',
    fixed: 'late',
  },
  'pmd-pte-collision-recheck': {
    seed: 'off',
    '4.10': 'off',
    '4.11': 'off',
    '4.12': 'on',
    '4.13': 'on',
    fixed: 'on',
  },
  'iomap-before-grab': {
    seed: 'off',
    '4.10': 'on',
    '4.11': 'on',
    '4.12': 'off',
    '4.13': 'off',
    fixed: 'off',
  },
  'insert-race-recheck': {
    seed: 'off',
    '4.10': 'off',
    '4.11': 'on',
    '4.12': 'on',
    '4.13': 'on',
    fixed: 'on',
  },
  'colour-check': { seed: 'off', '4.10': 'off', '4.11': 'off', '4.12': 'off', '4.13': 'on', fixed: 'on' },
  'pmd-insert-index': {
    seed: 'aligned',
    '4.10': 'aligned',
    '4.11': 'faulting',
    '4.12': 'faulting',
    '4.13': 'faulting',
    fixed: 'faulting',
  },
  'pmd-eof-arith': {
    seed: 'count',
    '4.10': 'last',
    '4.11': 'last',
    '4.12': 'last',
    '4.13': 'last',
    fixed: 'count',
  },
  'fallback-split': { seed: 'cow', '4.10': 'all', '4.11': 'all', '4.12': 'all', '4.13': 'all', fixed: 'all' },
  'iomap-end-error': {
    seed: 'fallback',
    '4.10': 'ignore',
    '4.11': 'ignore',
    '4.12': 'ignore',
    '4.13': 'ignore',
    fixed: 'ignore',
  },
  'downgrade-unmap-before-preload': {
    seed: 'off',
    '4.10': 'on',
    '4.11': 'on',
    '4.12': 'on',
    '4.13': 'on',
    fixed: 'on',
  },
  'hole-insert-wakes': {
    seed: 'one',
    '4.10': 'all',
    '4.11': 'all',
    '4.12': 'all',
    '4.13': 'all',
    fixed: 'all',
  },
  'delete-wakes': { seed: 'all', '4.10': 'one', '4.11': 'one', '4.12': 'one', '4.13': 'one', fixed: 'all' },
  'write-path-invalidate': {
    seed: 'upfront',
    '4.10': 'extent-if-pages',
    '4.11': 'extent-if-pages',
    '4.12': 'extent',
    '4.13': 'extent',
    fixed: 'extent',
  },
  'mkwrite-pte-under-lock': {
    seed: 'off',
    '4.10': 'on',
    '4.11': 'on',
    '4.12': 'on',
    '4.13': 'on',
    fixed: 'on',
  },
  'pte-write-mapping': { seed: 'ro', '4.10': 'ro', '4.11': 'ro', '4.12': 'ro', '4.13': 'ro', fixed: 'rw' },
  'writeback-protocol': {
    seed: 'unlocked',
    '4.10': 'locked',
    '4.11': 'locked',
    '4.12': 'locked',
    '4.13': 'locked',
    fixed: 'locked',
  },
  'writeback-index-advance': {
    seed: 'off',
    '4.10': 'off',
    '4.11': 'off',
    '4.12': 'on',
    '4.13': 'on',
    fixed: 'on',
  },
  'dirty-clear': {
    seed: 'keep',
    '4.10': 'clean',
    '4.11': 'clean',
    '4.12': 'clean',
    '4.13': 'clean',
    fixed: 'clean',
  },
  // seed has no mkclean at all (DIRTY is kept): the two mkclean rows are moot there.
  'pmd-wrprotect-in-mkclean': {
    seed: 'off',
    '4.10': 'on',
    '4.11': 'on',
    '4.12': 'on',
    '4.13': 'on',
    fixed: 'on',
  },
  'mkclean-range': {
    seed: 'first',
    '4.10': 'first',
    '4.11': 'first',
    '4.12': 'first',
    '4.13': 'first',
    fixed: 'whole',
  },
};

/** Whether `name` is a profile. */
export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

/** The value switch `name` has in `profile`. */
export function profileValue<N extends SwitchName>(profile: ProfileName, name: N): SwitchValue<N> {
  return PROFILE_TABLE[name][profile] as SwitchValue<N>;
}

/** Every switch's values are those the catalogue declares (checked by a unit test and at load). */
export function tableProblems(): string[] {
  const out: string[] = [];
  for (const name of Object.keys(SWITCHES) as SwitchName[]) {
    const values: readonly string[] = SWITCHES[name].values;
    const row = PROFILE_TABLE[name] as Readonly<Record<string, string>> | undefined;
    if (row === undefined) {
      out.push(`switch ${name} has no row`);
      continue;
    }
    for (const p of PROFILE_NAMES) {
      if (!values.includes(row[p] ?? ''))
        out.push(`${name}/${p}: '${row[p]}' is not one of ${values.join(', ')}`);
    }
  }
  return out;
}
