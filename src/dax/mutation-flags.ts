/**
 * Model flags: the mutations (checker.md U1) that are not a kernel version's behaviour.
 * Real kernel bugs are put back through the profile switches instead (version/bug-overrides.ts);
 * what is left here are the synthetic operators `OPERATOR@SITE` (U2, sites in `MUTATION_SITES`)
 * and plausible bugs no released kernel had (`MODEL_FLAGS`). The catalogue with origins, broken
 * rules and exposing scenarios is `src/check/mutations`.
 *
 * Invariant: with no flag enabled every `has`/`op` is false and the model is its profile.
 */

/** Call sites the synthetic operators apply to, named after what happens there. */
export const MUTATION_SITES = {
  /** G1: put of an unlocked entry before returning EEXIST. */
  grabEexistPut: 'grab-eexist-put',
  /** G2: wake after deleting the 2 MiB entry on downgrade. */
  grabDowngradeWake: 'grab-downgrade-wake',
  /** G2: unlock after the preload failed during downgrade. */
  grabDowngradeUnlock: 'grab-downgrade-unlock',
  /** G3/H7: second look-up after the preload. */
  grabRecheck: 'grab-recheck',
  /** L4: wake after clearing an entry's lock bit. */
  unlockWake: 'unlock-wake',
  /** P6/H2: wake after a hole page replaced a locked empty entry. */
  holeInsertWake: 'hole-insert-wake',
  /** F3/H5: wake after truncate or punch deleted an entry. */
  deleteWake: 'delete-wake',
  /** R2/H5: wake after write(2) invalidated an entry. */
  invalidateWake: 'invalidate-wake',
  /** W2: put of an entry writeback decided to skip. */
  writebackPut: 'writeback-put',
  /** W2: unlock after the flush. */
  writebackUnlock: 'writeback-unlock',
  /** D4: put of an entry pfn_mkwrite did not lock. */
  mkwritePut: 'mkwrite-put',
  /** D2/H8: PMD slot re-check under the page table lock before installing. */
  pmdSlotRecheck: 'pmd-slot-recheck',
  /** M8: PMD slot re-check before mapping the huge zero page. */
  zeroPmdRecheck: 'zero-pmd-recheck',
  /** G4: page->mapping re-check after locking a hole page. */
  holePageRecheck: 'hole-page-recheck',
} as const;

/** A call site name for synthetic operators. */
export type MutationSite = (typeof MUTATION_SITES)[keyof typeof MUTATION_SITES];

/** The synthetic operators (U2). */
export const OPERATORS = ['wake-one', 'drop-wake', 'drop-unlock', 'skip-recheck'] as const;

/** Plausible bugs that no released kernel had, read with `has`. */
export const MODEL_FLAGS = [
  /** W3's clean-dirty without write-protecting the entry's mappings first. */
  'dirty-clear-no-wrprotect',
] as const;

/** Whether `name` is a model flag: one of MODEL_FLAGS or a known `OPERATOR@SITE`. */
export function isModelFlag(name: string): boolean {
  if ((MODEL_FLAGS as readonly string[]).includes(name)) return true;
  const at = name.indexOf('@');
  if (at < 0) return false;
  const op = name.slice(0, at);
  const site = name.slice(at + 1);
  return (
    (OPERATORS as readonly string[]).includes(op) &&
    (Object.values(MUTATION_SITES) as string[]).includes(site)
  );
}

/** The set of enabled mutations of one World. */
export class MutationFlags {
  private readonly enabled: ReadonlySet<string>;

  constructor(names: Iterable<string> = []) {
    this.enabled = new Set(names);
  }

  /** Whether the named mutation (or `OPERATOR@SITE`) is on. */
  has(name: string): boolean {
    return this.enabled.size !== 0 && this.enabled.has(name);
  }

  /** `OPERATOR@SITE` shorthand. */
  op(operator: (typeof OPERATORS)[number], site: MutationSite): boolean {
    return this.enabled.size !== 0 && this.enabled.has(`${operator}@${site}`);
  }

  get names(): string[] {
    return [...this.enabled].sort();
  }
}
