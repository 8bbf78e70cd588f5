/**
 * A World's kernel: the profile it is, plus overrides (from mutations, the catalogue's
 * "put this bug back" entries), resolved into the knobs the model reads at each kernel site.
 *
 * Invariants: resolving is a pure function of (profile, overrides); the result is frozen, so a
 * run cannot change its kernel halfway; an override names a knob or a whole switch and one of
 * its values, anything else is refused with the list of what exists.
 */
import { DEFAULT_PROFILE, isProfileName, PROFILE_NAMES, type ProfileName, profileValue } from './profiles.js';
import {
  type KernelSwitches,
  KNOB_NAMES,
  type KnobName,
  knobsOf,
  SWITCH_NAMES,
  SWITCHES,
  type SwitchName,
  switchOfKnob,
} from './switches.js';

/** Knob or switch values that replace the profile's (a switch sets all its knobs). */
export type SwitchOverrides = Readonly<Record<string, string>>;

/** The kernel one World runs: its profile name and every knob's value. */
export interface Kernel {
  readonly profile: ProfileName;
  readonly sw: KernelSwitches;
}

/** Why a profile or override could not be resolved (a bad name or value). */
export class KernelConfigError extends Error {
  override readonly name = 'KernelConfigError';
}

/** The knob values of a profile, before overrides. */
function profileKnobs(profile: ProfileName): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of SWITCH_NAMES) {
    const v = profileValue(profile, s);
    for (const k of knobsOf(s)) out[k] = v;
  }
  return out;
}

/** Check one override; returns the knobs it sets. */
function overrideKnobs(name: string, value: string): readonly KnobName[] {
  const isKnob = (KNOB_NAMES as readonly string[]).includes(name);
  const isSwitch = (SWITCH_NAMES as readonly string[]).includes(name);
  if (!isKnob && !isSwitch)
    throw new KernelConfigError(`unknown switch '${name}': expected one of ${KNOB_NAMES.join(', ')}`);
  const sw: SwitchName = isSwitch ? (name as SwitchName) : switchOfKnob(name as KnobName);
  const values: readonly string[] = SWITCHES[sw].values;
  if (!values.includes(value))
    throw new KernelConfigError(`switch ${name}: '${value}' is not one of ${values.join(', ')}`);
  return isSwitch ? knobsOf(sw) : [name as KnobName];
}

/**
 * Kernels already resolved, by profile and overrides in order. Resolving is pure and a Kernel
 * is frozen, so Worlds may share one; the checker builds a World per execution, and resolving
 * anew was 2-3% of a random execution. Bounded: cleared when it outgrows KERNEL_CACHE_SIZE.
 */
const resolved = new Map<string, Kernel>();
const KERNEL_CACHE_SIZE = 256;

/**
 * The cache key of (profile, overrides), in the order they apply. Only resolvable pairs are
 * cached, and valid names and values hold no `=` or newline, so a key names one pair.
 */
function kernelKey(profile: string, overrides: SwitchOverrides): string {
  let key = profile;
  for (const name of Object.keys(overrides)) key += `\n${name}=${overrides[name]}`;
  return key;
}

/** Resolve a profile name (default `fixed`) and overrides into a frozen Kernel. */
export function resolveKernel(profile: string = DEFAULT_PROFILE, overrides: SwitchOverrides = {}): Kernel {
  const key = kernelKey(profile, overrides);
  const known = resolved.get(key);
  if (known !== undefined) return known;
  const kernel = resolveUncached(profile, overrides);
  if (resolved.size >= KERNEL_CACHE_SIZE) resolved.clear();
  resolved.set(key, kernel);
  return kernel;
}

function resolveUncached(profile: string, overrides: SwitchOverrides): Kernel {
  if (!isProfileName(profile))
    throw new KernelConfigError(`unknown profile '${profile}': expected one of ${PROFILE_NAMES.join(', ')}`);
  const knobs = profileKnobs(profile);
  for (const [name, value] of Object.entries(overrides)) {
    for (const k of overrideKnobs(name, value)) knobs[k] = value;
  }
  // Built in one go (Object.fromEntries), not by 23 keyed stores: V8 turns an object grown by
  // that many keyed stores into a hash table, and the fault path reads these on every fault.
  const sw = Object.freeze(Object.fromEntries(Object.entries(knobs))) as unknown as KernelSwitches;
  return Object.freeze({ profile, sw });
}
