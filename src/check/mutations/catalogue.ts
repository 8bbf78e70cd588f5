/**
 * The mutation catalogue (U1, U2): every mutation the model consults, with where it comes
 * from, the rule it breaks, the built-in scenario that exposes it, and how to explore it.
 *
 * Invariants: names are unique and each is one the model consults (`mut.has(name)` or
 * `mut.op(OPERATOR, SITE)`) or a switch override (version/bug-overrides.ts); every synthetic
 * (operator, site) pair the model consults is listed; every non-equivalent entry names a
 * `builtin:` scenario and exploration options under which the checker finds a violation of
 * `expect`; every equivalent entry carries a written argument and a proof: a `builtin:`
 * scenario built to break the claim, which dfs under a preemption bound must exhaust with the
 * mutation on and find nothing (both checked by `daxsim mutations --check` and tests).
 */
import { MUTATION_SITES, type MutationSite } from '../../dax/mutation-flags.js';
import type { InvariantId } from '../../verify/violation.js';
import type { CheckOptions } from '../explore/types.js';

/** Where a mutation comes from (U1). */
export type MutationOrigin = 'review' | 'upstream-fix' | 'synthetic';

/** One catalogue entry. */
export interface MutationInfo {
  name: string;
  origin: MutationOrigin;
  /** The precise origin: review comment, upstream commit, or operator. */
  source: string;
  /** The rule it breaks (dax-model.md ids). */
  rule: string;
  /** `builtin:NAME`. */
  scenario: string;
  equivalent: boolean;
  /** Why it is equivalent, or what goes wrong. */
  argument: string;
  /** The invariants a violation of which counts as found (first one is the usual). */
  expect: InvariantId[];
  /** Exploration options that find it (merged over the defaults of `mutations --check`). */
  check?: CheckOptions;
  /** For an equivalent mutation: the bounded exhaustive check that backs the argument. */
  proof?: EquivalenceProof;
}

/** dfs over `scenario` with the mutation on, under `preemptions`: must exhaust, finding nothing. */
export interface EquivalenceProof {
  scenario: string;
  preemptions: number;
}

const SYN = 'synthetic operator';

const NAMED: MutationInfo[] = [
  {
    name: 'review-eexist-no-wake',
    origin: 'review',
    source: 'Jan Kara, review of v5 15/17: put_unlocked_mapping_entry() before returning -EEXIST',
    rule: 'G1, L5',
    scenario: 'builtin:eexist-waiter',
    equivalent: false,
    argument: 'a PMD fault that consumed the exclusive wake-up falls back without passing it on',
    expect: ['V1'],
  },
  {
    name: 'review-preload-no-unlock',
    origin: 'review',
    source: 'Jan Kara, review of v5 15/17: unlock the locked entry before returning on preload failure',
    rule: 'G2, L4',
    scenario: 'builtin:downgrade-preload-fail',
    equivalent: false,
    argument: 'ENOMEM during a downgrade leaves the 2 MiB entry locked forever',
    expect: ['V2', 'V1'],
  },
  {
    name: 'review-downgrade-wake-one',
    origin: 'review',
    source: "Jan Kara, review of v5 15/17: set 'wake_all' to true (the Thread 1/2/3 table)",
    rule: 'G2, L2',
    scenario: 'builtin:review-thread',
    equivalent: false,
    argument: 'the downgrade deletes the 2 MiB entry and wakes one of several waiters on it',
    expect: ['V1'],
  },
  {
    name: 'hole-insert-wake-one',
    origin: 'upstream-fix',
    source: '"dax: fix deadlock with DAX 4k holes" (2017)',
    rule: 'P6, H2',
    scenario: 'builtin:hole-three-readers',
    equivalent: false,
    argument: 'a hole page replaces the locked empty entry and wakes only one of its waiters',
    expect: ['V1'],
  },
  {
    name: 'no-colour-check',
    origin: 'upstream-fix',
    source: '"dax: fix deadlock due to misaligned PMD faults" (2017)',
    rule: 'M3, H3',
    scenario: 'builtin:colour-two-faults',
    equivalent: false,
    argument: 'the entry is locked at one 2 MiB tree block and unlocked at another',
    // 4.11-4.12 (pmd-insert-index=faulting) write the entry into the walk's empty slot at
    // order 6 (V3); 4.10 aligned the index down and leaves a PTE over a foreign block (V4).
    expect: ['V1', 'V2', 'V3', 'V4'],
  },
  {
    name: 'write-invalidate-early',
    origin: 'upstream-fix',
    source: 'write(2) invalidation moved into the per-extent write path (2017)',
    rule: 'R2, H4',
    scenario: 'builtin:write-vs-hole-fault',
    equivalent: false,
    argument: 'a hole page mapped between the invalidation and the allocation hides the written data',
    expect: ['V5', 'V4'],
  },
  {
    name: 'dirty-clear-no-wrprotect',
    origin: 'upstream-fix',
    source: 'W3 clean-dirty without dax_mapping_entry_mkclean (4.10 era)',
    rule: 'W3, V4, V6',
    scenario: 'builtin:clean-dirty-crash',
    equivalent: false,
    argument: 'DIRTY is cleared while mappings stay writable: later stores skip the fault and are lost',
    expect: ['V4', 'V6'],
  },
  {
    name: 'mkclean-pte-only',
    origin: 'upstream-fix',
    source: 'f729c8c9b24f "dax: wrprotect pmd_t in dax_mapping_entry_mkclean" (v4.10-rc4)',
    rule: 'W3, H6',
    scenario: 'builtin:clean-dirty-pmd',
    equivalent: false,
    argument:
      'a writable huge PMD survives the clean: later stores through it are not re-dirtied and are lost',
    expect: ['V4', 'V6'],
  },
  {
    name: 'wrprotect-first-page-only',
    origin: 'upstream-fix',
    source: 'dax_entry_mkclean protecting only the first PTE of a PMD entry (fixed 2022)',
    rule: 'W3, H6',
    scenario: 'builtin:clean-dirty-crash',
    equivalent: false,
    argument: 'a store through another 4 KiB PTE of the 2 MiB entry is not re-dirtied and is lost',
    expect: ['V4', 'V6'],
  },
];

/** Sites whose wake already wakes one (put_unlocked / unlock): wake-one there is the identity. */
const WAKES_ONE: MutationSite[] = [
  MUTATION_SITES.grabEexistPut,
  MUTATION_SITES.grabDowngradeUnlock,
  MUTATION_SITES.unlockWake,
  MUTATION_SITES.writebackPut,
  MUTATION_SITES.writebackUnlock,
  MUTATION_SITES.mkwritePut,
];

interface SiteInfo {
  site: MutationSite;
  rule: string;
  scenario: string;
  check?: CheckOptions;
  /** What goes wrong (skip-recheck sites), when more than the operator's generic text. */
  argument?: string;
  /** Scenario of an identity proof when not `scenario`, and its dfs bound (default 2). */
  proof?: string;
  preemptions?: number;
}

/** Every site handed to wakeMappingEntryWaiter / putUnlockedMappingEntry. */
const WAKE_SITES: SiteInfo[] = [
  { site: MUTATION_SITES.grabEexistPut, rule: 'G1, L5', scenario: 'builtin:eexist-waiter' },
  { site: MUTATION_SITES.grabDowngradeWake, rule: 'G2, L2', scenario: 'builtin:review-thread' },
  {
    site: MUTATION_SITES.grabDowngradeUnlock,
    rule: 'G2, L4',
    scenario: 'builtin:review-thread',
    check: { maxFailures: 1 },
  },
  { site: MUTATION_SITES.unlockWake, rule: 'L4', scenario: 'builtin:eexist-waiter' },
  { site: MUTATION_SITES.holeInsertWake, rule: 'P6, H2', scenario: 'builtin:hole-three-readers' },
  { site: MUTATION_SITES.deleteWake, rule: 'F3, H5', scenario: 'builtin:fsync-waiters' },
  { site: MUTATION_SITES.invalidateWake, rule: 'R2, H5', scenario: 'builtin:invalidate-waiters' },
  { site: MUTATION_SITES.writebackPut, rule: 'W2, L5', scenario: 'builtin:fsync-waiters', preemptions: 1 },
  { site: MUTATION_SITES.writebackUnlock, rule: 'W2, L4', scenario: 'builtin:fsync-waiters', preemptions: 1 },
  { site: MUTATION_SITES.mkwritePut, rule: 'D4, L5', scenario: 'builtin:mkwrite-no-entry' },
];

/** Sites where putLockedMappingEntry is called with a site (drop-unlock). */
const UNLOCK_SITES: SiteInfo[] = [
  {
    site: MUTATION_SITES.grabDowngradeUnlock,
    rule: 'G2, L4',
    scenario: 'builtin:downgrade-preload-fail',
  },
  { site: MUTATION_SITES.unlockWake, rule: 'L4, P8, M9', scenario: 'builtin:review-thread' },
  { site: MUTATION_SITES.writebackUnlock, rule: 'W2, L4', scenario: 'builtin:fsync-waiters' },
];

/** Re-checks after retaking a lock (skip-recheck). */
const RECHECK_SITES: SiteInfo[] = [
  {
    site: MUTATION_SITES.grabRecheck,
    rule: 'G3, H7, P2',
    scenario: 'builtin:cow-pmd-collide',
    argument:
      'two 4 KiB faults insert at one index: the loser gets EEXIST, which 4.11 on return for a 4 KiB grab too, and dax_fault_return turns it into SIGBUS inside the file (V5)',
  },
  {
    site: MUTATION_SITES.pmdSlotRecheck,
    rule: 'D2, H8',
    scenario: 'builtin:cow-pmd-replace',
    argument:
      'a PMD fault that found the slot empty waits for the entry while a COW fault of the same process installs a PTE table, then maps the huge PMD over it: the COW page is lost (V5) and the table leaked (V4)',
  },
  { site: MUTATION_SITES.zeroPmdRecheck, rule: 'M8, D2', scenario: 'builtin:cow-pmd-collide' },
  { site: MUTATION_SITES.holePageRecheck, rule: 'G4', scenario: 'builtin:write-vs-hole-fault' },
];

/** Equivalence arguments for synthetic pairs that cannot change behaviour, with their proofs. */
const EQUIVALENT: Record<string, { argument: string; proof: EquivalenceProof }> = {
  'drop-wake@mkwrite-put': {
    argument:
      'pfn_mkwrite puts only a missing entry or a hole page (every profile but seed locks a DAX entry instead); put_unlocked_mapping_entry wakes nobody for either (L5: nothing to pass on), so dropping the wake removes a no-op',
    proof: { scenario: 'builtin:mkwrite-no-entry', preemptions: 2 },
  },
  'skip-recheck@zero-pmd-recheck': {
    argument:
      'the huge zero page is installed with the 2 MiB zero entry locked; any 4 KiB fault of the same process in that block needs the entry too and downgrades it (G2, unmapping the 2 MiB range) before it installs a PTE table (pte-table-alloc=late), and the PMD handler runs only on an empty slot, so pmd_none cannot fail there. With pte-table-alloc=early the proof scenario breaks it (V4, a leaked table)',
    proof: { scenario: 'builtin:zero-pmd-cow', preemptions: 2 },
  },
};

/** The proof of a wake-one mutation at a site that already wakes one: its own scenario. */
function identityProof(s: SiteInfo): EquivalenceProof {
  return { scenario: s.proof ?? s.scenario, preemptions: s.preemptions ?? 2 };
}

function synthetic(operator: string, s: SiteInfo, argument: string, expect: InvariantId[]): MutationInfo {
  const name = `${operator}@${s.site}`;
  const claim =
    EQUIVALENT[name] ??
    (operator === 'wake-one' && WAKES_ONE.includes(s.site)
      ? {
          argument: 'the site already wakes exactly one waiter (L4/L5), so wake-one there is the identity',
          proof: identityProof(s),
        }
      : undefined);
  const info: MutationInfo = {
    name,
    origin: 'synthetic',
    source: `${SYN} ${operator}`,
    rule: s.rule,
    scenario: claim?.proof.scenario ?? s.scenario,
    equivalent: claim !== undefined,
    argument: claim?.argument ?? argument,
    expect,
  };
  if (claim !== undefined) info.proof = claim.proof;
  if (s.check !== undefined) info.check = s.check;
  return info;
}

/** The whole catalogue, in a fixed order: named mutations, then operators by site. */
export const MUTATIONS: readonly MutationInfo[] = [
  ...NAMED,
  ...WAKE_SITES.map((s) => synthetic('wake-one', s, 'wake one waiter where all must be woken', ['V1'])),
  ...WAKE_SITES.map((s) => synthetic('drop-wake', s, 'the wake-up is not done at all', ['V1'])),
  ...UNLOCK_SITES.map((s) => synthetic('drop-unlock', s, 'the entry is never unlocked', ['V2', 'V1'])),
  ...RECHECK_SITES.map((s) =>
    synthetic(
      'skip-recheck',
      s,
      s.argument ?? 'state checked before a lock was dropped is trusted after retaking it',
      ['V4', 'V3', 'V5', 'V1'],
    ),
  ),
];

/** The catalogue entry named `name`, or undefined. */
export function findMutation(name: string): MutationInfo | undefined {
  return MUTATIONS.find((m) => m.name === name);
}
