/**
 * User-facing errors of the CLI: bad flags, bad files, scenarios the model cannot set up.
 * Each prints as one line (file, line, field or flag, what was expected) and exits 2; a stack
 * trace is never shown for them.
 *
 * Invariant: `USER_ERRORS` lists every error class whose message is meant for the user; any
 * other exception reaching `main` is a bug of daxsim (exit 70). A new typed user error (for
 * example a bad kernel profile) is one more entry in that list.
 */
import { KernelConfigError } from '../version/kernel.js';
import { isProfileName, PROFILE_NAMES } from '../version/profiles.js';
import { ScenarioError } from '../workload/scenario/error.js';
import { SetupError } from '../workload/setup-error.js';

/** A bad flag or argument. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes of the contract (design.md). */
export const EXIT = { ok: 0, violation: 1, usage: 2, internal: 70 } as const;

/** Error classes reported as one line with exit 2 (see the module invariant). */
export const USER_ERRORS: readonly (abstract new (...args: never[]) => Error)[] = [
  UsageError,
  ScenarioError,
  SetupError,
  KernelConfigError,
];

/** True when `e` is one of the user errors. */
export function isUserError(e: unknown): e is Error {
  return USER_ERRORS.some((cls) => e instanceof cls);
}

/** Parse an integer flag in [min, max], or throw a UsageError naming the flag. */
export function intFlag(flag: string, value: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: expected a non-negative integer, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new UsageError(`${flag}: expected an integer ${range}, got '${value}'`);
  }
  return n;
}

/** Check `--profile NAME`: a profile of version/profiles.ts, or a UsageError listing them. */
export function profileFlag(value: string | undefined): string | undefined {
  if (value === undefined || isProfileName(value)) return value;
  throw new UsageError(`--profile: unknown profile '${value}': expected one of ${PROFILE_NAMES.join(', ')}`);
}

/** The `--profile` option's help text. */
export const PROFILE_HELP = `kernel profile: ${PROFILE_NAMES.join(', ')} (default: the scenario's, else fixed)`;

/** Commander's collector for repeatable flags (`--mutation A --mutation B`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
