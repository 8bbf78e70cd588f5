/**
 * The kernel-version switches: every place where the radix-era kernels (the seed patch, v4.10
 * to v4.13, and the code with every later fix) behave differently, one named switch each, with
 * its values, the kernel functions that read it, the spec rules it touches, and the commits that
 * changed it. `profiles.ts` says which value each profile has.
 *
 * Invariants: names are stable (code, traces, tests and the CLI use them); every value list is
 * ordered oldest behaviour first; each switch is read at the kernel site its `sites` names and
 * nowhere else; a switch whose behaviour is a group of fixes (review-fixes) lists its parts,
 * which the model reads one by one so a mutation can put back one part alone.
 */

import type { SwitchInfo } from './switch-info.js';
import { FAULT_SWITCHES } from './switches-fault.js';
import { LIFECYCLE_SWITCHES } from './switches-lifecycle.js';

export type { SwitchChange, SwitchInfo } from './switch-info.js';

/** Every switch, in the order of kernel-versions.md. */
export const SWITCHES = { ...FAULT_SWITCHES, ...LIFECYCLE_SWITCHES } as const;

/** A switch of the catalogue. */
export type SwitchName = keyof typeof SWITCHES;

/** The values of switch `N`. */
export type SwitchValue<N extends SwitchName> = (typeof SWITCHES)[N]['values'][number];

/** Parts of the group switch review-fixes, each read at its own site in grab_mapping_entry. */
export type ReviewPart = (typeof SWITCHES)['review-fixes']['parts'][number];

/** What the model reads: every switch but the group, plus the group's parts. */
export type KnobName = Exclude<SwitchName, 'review-fixes'> | ReviewPart;

/** A knob's values (a part has its group's values). */
export type KnobValue<N extends KnobName> = N extends SwitchName ? SwitchValue<N> : 'off' | 'on';

/** A full assignment of knobs: what one World's kernel does. */
export type KernelSwitches = { readonly [N in KnobName]: KnobValue<N> };

/** Every switch name, in catalogue order. */
export const SWITCH_NAMES = Object.keys(SWITCHES) as SwitchName[];

/** The switch a knob belongs to (a part's group, or itself). */
export function switchOfKnob(knob: KnobName): SwitchName {
  const slash = knob.indexOf('/');
  return (slash < 0 ? knob : knob.slice(0, slash)) as SwitchName;
}

/** The knobs of a switch (its parts, or itself). */
export function knobsOf(name: SwitchName): readonly KnobName[] {
  const info: SwitchInfo = SWITCHES[name];
  return (info.parts ?? [name]) as readonly KnobName[];
}

/** Every knob name, in catalogue order. */
export const KNOB_NAMES: readonly KnobName[] = SWITCH_NAMES.flatMap((s) => knobsOf(s));
