/**
 * The switches through which a mutation (checker.md U1) puts a bug back into the model.
 *
 * The model asks `mut.has(name)` at the one place each bug lived; the catalogue with origins,
 * broken rules and exposing scenarios is `src/check/mutations`. Synthetic operators are
 * named `OPERATOR@SITE` (U2), with the sites listed in `MUTATION_SITES`.
 *
 * Invariant: with no mutation enabled every `has` is false and the model is the correct one.
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
  op(operator: 'wake-one' | 'drop-wake' | 'drop-unlock' | 'skip-recheck', site: MutationSite): boolean {
    return this.enabled.size !== 0 && this.enabled.has(`${operator}@${site}`);
  }

  get names(): string[] {
    return [...this.enabled].sort();
  }
}
