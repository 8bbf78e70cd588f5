/**
 * User-facing errors of the CLI: bad flags, bad files. Each prints as one line (file, line,
 * what was expected) and exits 2; a stack trace is never shown for them.
 */
import { isProfileName, PROFILE_NAMES } from '../version/profiles.js';

/** A bad flag or argument. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes of the contract (design.md). */
export const EXIT = { ok: 0, violation: 1, usage: 2, internal: 70 } as const;

/** Parse a non-negative integer flag, or throw a UsageError naming the flag. */
export function intFlag(flag: string, value: string, min = 0): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: expected a non-negative integer, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${flag}: expected an integer >= ${min}, got '${value}'`);
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
