/**
 * Mutations that put a real kernel bug back are overrides of the profile switches: the same
 * mechanism a profile uses, applied on top of it. A mutation is either one of the named bugs
 * below or a direct override written `SWITCH=VALUE` (e.g. `colour-check=off`); everything else
 * a World accepts as a mutation is a model flag (see dax/mutation-flags.ts).
 *
 * Invariant: every override here names a knob and one of its values (checked when resolved).
 */
import type { SwitchOverrides } from './kernel.js';

/** Named bugs and the switch values that put each back. */
export const BUG_OVERRIDES: Readonly<Record<string, SwitchOverrides>> = {
  'review-eexist-no-wake': { 'review-fixes/eexist-wake': 'off' },
  'review-preload-no-unlock': { 'review-fixes/preload-fail-unlock': 'off' },
  'review-downgrade-wake-one': { 'review-fixes/downgrade-wake-all': 'off' },
  'hole-insert-wake-one': { 'hole-insert-wakes': 'one' },
  'no-colour-check': { 'colour-check': 'off' },
  'write-invalidate-early': { 'write-path-invalidate': 'upfront' },
  'wrprotect-first-page-only': { 'mkclean-range': 'first' },
  'mkclean-pte-only': { 'pmd-wrprotect-in-mkclean': 'off' },
};

/** The overrides of a mutation name, or undefined when it is not a switch mutation. */
export function switchMutation(name: string): SwitchOverrides | undefined {
  const named = BUG_OVERRIDES[name];
  if (named !== undefined) return named;
  const eq = name.indexOf('=');
  if (eq <= 0) return undefined;
  return { [name.slice(0, eq)]: name.slice(eq + 1) };
}
