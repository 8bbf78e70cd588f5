/**
 * The upstream fixes the model can express, each as a pair of kernels that differ in one
 * switch: `after` is a profile that has the fix, `before` the same profile with the switch set
 * back to its pre-fix value. With a built-in scenario built to show the bug, `daxsim history
 * --check` runs the checker on both: the bug's invariant must be violated before and nothing
 * after. The fixes the model cannot re-find are listed with the reason.
 *
 * Invariants: every row's switch is a knob or switch of switches.ts and both values are among
 * its values; `after` has the fixed value (checked by tests); rows are in upstream order.
 * Data only: the runner is check/history.ts.
 */
import type { ProfileName } from './profiles.js';
import type { SwitchChange, SwitchInfo } from './switch-info.js';
import { SWITCHES } from './switches.js';

/** How the checker explores a row's scenario (both sides alike). */
export interface HistoryBudget {
  strategy: 'random' | 'dfs';
  executions: number;
  preemptions?: number;
  maxFailures?: number;
}

/** One fix the checker re-finds. */
export interface HistoryRow {
  /** The commit (12 hex digits), or `review:` and the point of the seed's review thread. */
  commit: string;
  title: string;
  /** The first tag with the fix (`~` where inferred). */
  tag: string;
  /** The switch or knob the fix changed, and its values before and after. */
  knob: string;
  before: string;
  after: string;
  /** The profile run as "after"; "before" is it with `knob=before`. */
  profile: ProfileName;
  /** The profiles that shipped the bug (they show it without any override). */
  shipped: readonly ProfileName[];
  scenario: string;
  /** The invariants a counterexample of the bug violates (the first is the usual one). */
  expect: readonly string[];
  budget: HistoryBudget;
  /** What goes wrong before the fix, in one line. */
  symptom: string;
}

const RANDOM = { strategy: 'random', executions: 2000 } as const;
const DFS = { strategy: 'dfs', executions: 20_000, preemptions: 2 } as const;

/** The change `commit` made to switch `knob` (its group for a `group/part` knob), from switches-*.ts. */
function changeOf(commit: string, knob: string): SwitchChange {
  const info = (SWITCHES as Record<string, SwitchInfo | undefined>)[knob.split('/')[0]!];
  const change = info?.changes.find((c) => c.commit === commit);
  if (change === undefined) throw new Error(`history: ${commit} is not a change of switch ${knob}`);
  return change;
}

/** A history row as written below: title and tag only where no switch change describes them. */
type HistorySpec = Omit<HistoryRow, 'title' | 'tag'> & { title?: string; tag?: string };

/** The row with its commit's title and tag, looked up unless given (a commit is described once). */
function described(spec: HistorySpec): HistoryRow {
  const { commit, title, tag, ...rest } = spec;
  if (title !== undefined && tag !== undefined) return { commit, title, tag, ...rest };
  const change = changeOf(commit, spec.knob);
  return { commit, title: change.title, tag: change.tag, ...rest };
}

/** The fixes, oldest first. */
export const HISTORY: readonly HistoryRow[] = (
  [
    {
      commit: 'review:eexist-wake',
      title: 'Jan Kara, review of v5 15/17: put_unlocked_mapping_entry() before returning -EEXIST',
      tag: 'v4.10-rc1',
      knob: 'review-fixes/eexist-wake',
      before: 'off',
      after: 'on',
      profile: 'fixed',
      shipped: ['seed'],
      scenario: 'builtin:eexist-waiter',
      expect: ['V1'],
      budget: RANDOM,
      symptom:
        'a PMD fault that took the exclusive wake-up falls back without passing it on: a waiter sleeps forever',
    },
    {
      commit: 'review:preload-fail-unlock',
      title: 'Jan Kara, review of v5 15/17: unlock the entry before returning on a preload failure',
      tag: 'v4.10-rc1',
      knob: 'review-fixes/preload-fail-unlock',
      before: 'off',
      after: 'on',
      profile: 'fixed',
      shipped: ['seed'],
      scenario: 'builtin:downgrade-preload-fail',
      expect: ['V2', 'V1'],
      budget: RANDOM,
      symptom: 'ENOMEM during a downgrade returns with the 2 MiB entry still locked',
    },
    {
      commit: 'review:downgrade-wake-all',
      title: "Jan Kara, review of v5 15/17: the downgrade's wake-up must wake all (the Thread 1/2/3 table)",
      tag: 'v4.10-rc1',
      knob: 'review-fixes/downgrade-wake-all',
      before: 'off',
      after: 'on',
      profile: 'fixed',
      shipped: ['seed'],
      scenario: 'builtin:review-thread',
      expect: ['V1'],
      budget: RANDOM,
      symptom: 'the downgrade deletes the 2 MiB entry and wakes one of its waiters; the others sleep forever',
    },
    {
      commit: '642261ac995e',
      knob: 'fallback-split',
      before: 'cow',
      after: 'all',
      profile: 'fixed',
      shipped: ['seed'],
      scenario: 'builtin:zero-pmd-write-4k',
      expect: ['V1'],
      budget: RANDOM,
      symptom:
        'a write under the huge zero page falls back to 4 KiB and the huge PMD stays: the 4 KiB fault returns without mapping, forever',
    },
    {
      commit: '0cb80b484755',
      knob: 'downgrade-unmap-before-preload',
      before: 'off',
      after: 'on',
      profile: 'fixed',
      shipped: ['seed'],
      scenario: 'builtin:zero-downgrade',
      expect: ['V7'],
      budget: RANDOM,
      symptom:
        'the downgrade unmaps the 2 MiB range (i_mmap_rwsem, may sleep) after radix_tree_preload disabled preemption',
    },
    {
      commit: 'a6abc2c0e77b',
      knob: 'writeback-protocol',
      before: 'unlocked',
      after: 'locked',
      profile: 'fixed',
      // The seed had the unlocked flush but no data loss from it: without 1eb643d02b21 every
      // batch is looked up from the start of the range, which finds the skipped entry again (F-8).
      shipped: [],
      scenario: 'builtin:writeback-skip',
      expect: ['V6'],
      budget: DFS,
      symptom:
        'an entry a fault holds locked between the tag lookup and the flush is skipped with TOWRITE set; once the lookup moves past it (1eb643d02b21), fsync returns without flushing it; the seed looked up from the start again (F-8)',
    },
    {
      commit: '965d004af540',
      knob: 'hole-insert-wakes',
      before: 'one',
      after: 'all',
      profile: 'fixed',
      shipped: ['seed'],
      scenario: 'builtin:hole-three-readers',
      expect: ['V1'],
      budget: RANDOM,
      symptom:
        'a hole page replaces the locked empty entry and wakes one waiter; the others wait for an entry that is gone',
    },
    {
      commit: 'e3fce68cdbed',
      knob: 'write-path-invalidate',
      before: 'upfront',
      after: 'extent',
      profile: 'fixed',
      shipped: ['seed'],
      scenario: 'builtin:write-vs-hole-fault',
      expect: ['V5', 'V4'],
      budget: RANDOM,
      symptom:
        'write(2) invalidates before it allocates: a hole page mapped in between hides the written data',
    },
    {
      commit: 'f729c8c9b24f',
      knob: 'pmd-wrprotect-in-mkclean',
      before: 'off',
      after: 'on',
      profile: 'fixed',
      shipped: [],
      scenario: 'builtin:clean-dirty-pmd',
      expect: ['V6', 'V4'],
      budget: RANDOM,
      symptom:
        'fsync cleans a 2 MiB entry while its huge PMD stays writable: the next store is never flushed',
    },
    {
      commit: '2f89dc12a25d',
      knob: 'mkwrite-pte-under-lock',
      before: 'off',
      after: 'on',
      profile: 'fixed',
      shipped: ['seed'],
      scenario: 'builtin:mkwrite-vs-fsync',
      expect: ['V4', 'V6'],
      budget: DFS,
      symptom: 'dax_pfn_mkwrite tags DIRTY, fsync cleans, then the PTE becomes writable over a clean entry',
    },
    {
      commit: 'e3ad61c64abc',
      knob: 'insert-race-recheck',
      before: 'off',
      after: 'on',
      profile: '4.11',
      shipped: ['seed', '4.10'],
      scenario: 'builtin:pmd-insert-race',
      expect: ['V4', 'V3', 'V5'],
      budget: DFS,
      symptom:
        'a PMD grab that lost the insert race falls back, and its 4 KiB fault writes a PTE into the huge PMD the winner mapped',
    },
    {
      commit: '13e451fdc1af',
      knob: 'iomap-before-grab',
      before: 'on',
      after: 'off',
      profile: '4.12',
      shipped: ['4.10', '4.11'],
      scenario: 'builtin:fault-vs-alloc',
      expect: ['V4', 'V3', 'V5'],
      budget: DFS,
      symptom:
        'a read fault that saw the hole puts a hole page over the entry of the block a racing fault just allocated',
    },
    {
      commit: 'cd656375f946',
      knob: 'write-path-invalidate',
      before: 'extent-if-pages',
      after: 'extent',
      profile: '4.12',
      shipped: ['4.10', '4.11'],
      scenario: 'builtin:write-over-zero-pmd',
      expect: ['V5', 'V4'],
      budget: RANDOM,
      symptom:
        'write(2) deletes the clean zero entry over its new block but leaves the huge zero page mapped: reads see zeros',
    },
    {
      commit: 'e2093926a098',
      knob: 'pmd-pte-collision-recheck',
      before: 'off',
      after: 'on',
      profile: '4.12',
      shipped: ['seed', '4.10', '4.11'],
      scenario: 'builtin:cow-pmd-replace',
      expect: ['V4', 'V5'],
      budget: DFS,
      symptom:
        'a PMD fault maps its huge PMD over the PTE table a COW fault installed meanwhile: the private copy is lost',
    },
    {
      commit: 'fffa281b48a9',
      knob: 'colour-check',
      before: 'off',
      after: 'on',
      profile: '4.13',
      shipped: ['seed', '4.10', '4.11', '4.12'],
      scenario: 'builtin:colour-two-faults',
      expect: ['V3', 'V4', 'V1', 'V2'],
      budget: RANDOM,
      symptom: 'a misaligned PMD fault locks one 2 MiB block and inserts into another (a stray order-6 slot)',
    },
    {
      commit: '957ac8c421ad',
      knob: 'pmd-eof-arith',
      before: 'last',
      after: 'count',
      profile: 'fixed',
      shipped: ['4.10', '4.11', '4.12', '4.13'],
      scenario: 'builtin:empty-file-pmd',
      expect: ['V4'],
      budget: RANDOM,
      symptom:
        '(0 - 1) >> PAGE_SHIFT wraps to all ones: a PMD fault on an empty file maps the huge zero page',
    },
    {
      commit: '237388320def',
      knob: 'delete-wakes',
      before: 'one',
      after: 'all',
      profile: 'fixed',
      shipped: ['4.10', '4.11', '4.12', '4.13'],
      scenario: 'builtin:fsync-waiters',
      expect: ['V1'],
      budget: RANDOM,
      symptom:
        'truncate deletes an entry with waiters and wakes one; a 4 KiB waiter woken into the empty slot passes nothing on',
    },
    {
      commit: '06083a0921fd',
      knob: 'mkclean-range',
      before: 'first',
      after: 'whole',
      profile: 'fixed',
      shipped: ['4.10', '4.11', '4.12', '4.13'],
      scenario: 'builtin:clean-dirty-crash',
      expect: ['V6', 'V4'],
      budget: RANDOM,
      symptom:
        "fsync write-protects only the PTE at a 2 MiB entry's first page: a store through another PTE is lost",
    },
  ] satisfies HistorySpec[]
).map(described);

/** A change the model has a switch for but whose bug the checker cannot show, and why. */
export interface NotRefound {
  commit: string;
  title: string;
  knob: string;
  why: string;
}

/** The switch changes that are not bug fixes the invariants can see. */
export const NOT_REFOUND: readonly NotRefound[] = (
  [
    {
      commit: '9f141d6ef625',
      knob: 'iomap-end-error',
      why: 'it changed how an ->iomap_end error is treated (the seed falls back; 4.10 on ignore it); no filesystem of the model fails ->iomap_end after a successful mapping, so neither value can violate an invariant',
    },
    {
      commit: '4b4bb46d00b3',
      knob: 'dirty-clear',
      why: 'keep-dirty flushes every entry again on each fsync: slower, never wrong, so no invariant tells the two apart (the report counts the flushes)',
    },
    {
      commit: 'd8a849e1bc12',
      knob: 'pmd-insert-index',
      why: 'not a fix: it made the PMD insert use the faulting index, which is the bug fffa281b48a9 (colour-check) closed; shown by that row',
    },
    {
      commit: '1eb643d02b21',
      knob: 'writeback-index-advance',
      why: "without it writeback rescans from the start of each pagevec; it ends as long as stores stop, and a finite scenario always stops (the rescan also hid the seed's skipped flush, F-8)",
    },
    {
      commit: 'b2770da64254',
      knob: 'pte-write-mapping',
      why: 'a 4 KiB write fault maps read-only and takes a second fault through dax_pfn_mkwrite: one fault more, the same result',
    },
    {
      commit: '7267ec008b5c',
      knob: 'pte-table-alloc',
      why: 'every profile (4.9 on) has the late allocation; the early one is kept as a switch to show why skip-recheck@zero-pmd-recheck is equivalent (its proof breaks under it)',
    },
    {
      commit: '4636e70bb0a8',
      title: 'dax: prevent invalidation of mapped DAX entries',
      knob: '(none)',
      why: 'needs a non-blocking invalidation (drop_caches, fadvise DONTNEED) that the model has no operation for',
    },
  ] satisfies (Omit<NotRefound, 'title'> & { title?: string })[]
).map(({ commit, title, ...rest }) => ({
  commit,
  title: title ?? changeOf(commit, rest.knob).title,
  ...rest,
}));
