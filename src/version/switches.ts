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

/** One change of a switch's value upstream. */
export interface SwitchChange {
  /** Abbreviated commit id. */
  commit: string;
  title: string;
  /** The first tag that contains it (as far as known; `~` marks an inference). */
  tag: string;
  /** The value from this commit on. */
  to: string;
}

/** A switch's documentation. */
export interface SwitchInfo {
  readonly values: readonly string[];
  /** The kernel functions where the switch is read. */
  readonly sites: string;
  /** Spec rule ids it touches. */
  readonly rules: string;
  /** What each value does, in one line each. */
  readonly meaning: Readonly<Record<string, string>>;
  readonly changes: readonly SwitchChange[];
  /** For a group switch: the parts the model reads (each with the same values). */
  readonly parts?: readonly string[];
}

const REVIEW_MERGE: SwitchChange = {
  commit: '642261ac995e',
  title: 'dax: add struct iomap based DAX PMD support (as merged after review)',
  tag: 'v4.10-rc1',
  to: 'on',
};

/** Every switch, in the order of kernel-versions.md. */
export const SWITCHES = {
  'review-fixes': {
    values: ['off', 'on'],
    sites: 'grab_mapping_entry',
    rules: 'G1 G2 H1 L5',
    meaning: {
      off: 'the posted v5: EEXIST without passing the wake-up on, preload failure leaves the entry locked, downgrade wakes one',
      on: "as merged after Jan Kara's review",
    },
    changes: [REVIEW_MERGE],
    parts: [
      'review-fixes/eexist-wake',
      'review-fixes/preload-fail-unlock',
      'review-fixes/downgrade-wake-all',
    ],
  },
  'pte-table-alloc': {
    values: ['early', 'late'],
    sites: 'handle_pte_fault, vm_insert_mixed (insert_pfn), finish_fault (alloc_set_pte)',
    rules: 'D2 P5 P6',
    meaning: {
      early: 'before 4.8: handle_pte_fault gives an empty PMD slot a PTE table before the handler runs',
      late: 'the table is made when the PTE is installed, inside the DAX handler',
    },
    changes: [
      {
        commit: '7267ec008b5c',
        title: 'mm: postpone page table allocation until we have page to map',
        tag: 'v4.8-rc1',
        to: 'late',
      },
    ],
  },
  'pmd-pte-collision-recheck': {
    values: ['off', 'on'],
    sites: 'dax_iomap_pte_fault, dax_iomap_pmd_fault, handle_pte_fault, pte_alloc_one_map',
    rules: 'D2 H8',
    meaning: {
      off: 'a PMD insert overwrites a PTE table; a 4 KiB insert under a huge PMD writes into its data; a stray devmap PMD is cleared as a bad pmd',
      on: 'after the grab, a 4 KiB fault retries over a huge PMD and a 2 MiB fault retries over a PTE table',
    },
    changes: [
      {
        commit: 'e2093926a098',
        title: 'dax: fix race between colliding PMD & PTE entries',
        tag: 'v4.12-rc4',
        to: 'on',
      },
    ],
  },
  'iomap-before-grab': {
    values: ['off', 'on'],
    sites: 'dax_iomap_fault (dax_iomap_pte_fault), dax_iomap_pmd_fault',
    rules: 'P2 P3 P8 M5 M6 M9',
    meaning: {
      off: 'grab the entry, then ->iomap_begin; ->iomap_end before the entry is unlocked',
      on: '->iomap_begin before the grab (an error or short extent: no entry at all); the entry is unlocked before ->iomap_end',
    },
    changes: [
      {
        commit: '9f141d6ef625',
        title: 'dax: Call ->iomap_begin without entry lock during dax fault',
        tag: 'v4.10-rc1',
        to: 'on',
      },
      {
        commit: '13e451fdc1af',
        title: 'dax: fix data corruption when fault races with write (with 876f29460cbd for PMDs)',
        tag: 'v4.12-rc1',
        to: 'off',
      },
    ],
  },
  'insert-race-recheck': {
    values: ['off', 'on'],
    sites: 'grab_mapping_entry',
    rules: 'G3 H7',
    meaning: {
      off: 'no second look-up after the preload; a 4 KiB insert that meets EEXIST starts over',
      on: 'look the index up again after the preload and start over if an entry appeared',
    },
    changes: [
      {
        commit: 'e3ad61c64abc',
        title: 'dax: fix radix tree insertion race',
        tag: 'v4.11-rc7',
        to: 'on',
      },
    ],
  },
  'colour-check': {
    values: ['off', 'on'],
    sites: 'dax_iomap_pmd_fault',
    rules: 'M3 H3',
    meaning: {
      off: 'no check that the address and the file offset share their offset in a 2 MiB block',
      on: 'fall back first when they differ',
    },
    changes: [
      {
        commit: 'fffa281b48a9',
        title: 'dax: fix deadlock due to misaligned PMD faults',
        tag: '~v4.13-rc1',
        to: 'on',
      },
    ],
  },
  'pmd-insert-index': {
    values: ['aligned', 'faulting'],
    sites: 'dax_iomap_pmd_fault, dax_insert_mapping_entry',
    rules: 'M7 M8 I4 I5 L4',
    meaning: {
      aligned: 'grab, insert, DIRTY tag and unlock at the page index of the PMD-aligned address',
      faulting: 'grab and unlock there, but insert and tag at vmf->pgoff, the faulting page',
    },
    changes: [
      {
        commit: 'd8a849e1bc12',
        title: 'mm, dax: make pmd_fault() and friends be the same as fault()',
        tag: 'v4.11-rc1',
        to: 'faulting',
      },
    ],
  },
  'pmd-eof-arith': {
    values: ['count', 'last'],
    sites: 'dax_iomap_pmd_fault',
    rules: 'M4',
    meaning: {
      count: 'pages = size rounded up; an index at or past it is past EOF',
      last: 'max_pgoff = (size - 1) >> 12; wraps to all ones for an empty file, so nothing is past EOF',
    },
    changes: [
      {
        commit: '642261ac995e',
        title: "review of the seed: Jan Kara's max_pgoff",
        tag: 'v4.10-rc1',
        to: 'last',
      },
      {
        commit: '957ac8c421ad',
        title: 'dax: fix PMD faults on zero-length files',
        tag: '~v4.16',
        to: 'count',
      },
    ],
  },
  'fallback-split': {
    values: ['cow', 'all'],
    sites: 'dax_iomap_pmd_fault',
    rules: 'M1 M9 D3',
    meaning: {
      cow: 'only the COW fallback splits the huge PMD at the address; other fallbacks leave it',
      all: 'every fallback splits (zaps) a huge PMD at the address before counting THP_FAULT_FALLBACK',
    },
    changes: [
      {
        commit: '642261ac995e',
        title:
          'dax: add struct iomap based DAX PMD support (as merged: split_huge_pmd at the fallback label)',
        tag: 'v4.10-rc1',
        to: 'all',
      },
    ],
  },
  'iomap-end-error': {
    values: ['fallback', 'ignore'],
    sites: 'dax_iomap_fault, dax_iomap_pmd_fault',
    rules: 'M9 P8',
    meaning: {
      fallback: 'an ->iomap_end error turns a PMD success into a fallback and a 4 KiB success into SIGBUS',
      ignore: "->iomap_end's return value is ignored",
    },
    changes: [
      {
        commit: '9f141d6ef625',
        title: 'dax: Call ->iomap_begin without entry lock during dax fault',
        tag: 'v4.10-rc1',
        to: 'ignore',
      },
    ],
  },
  'downgrade-unmap-before-preload': {
    values: ['off', 'on'],
    sites: 'grab_mapping_entry',
    rules: 'G2 V7',
    meaning: {
      off: 'the 2 MiB unmap of a huge-zero entry runs after radix_tree_preload, i.e. may sleep with preemption disabled',
      on: 'the unmap runs before the preload',
    },
    changes: [
      {
        commit: '0cb80b484755',
        title: 'dax: Fix sleep in atomic contex in grab_mapping_entry()',
        tag: 'v4.10-rc1',
        to: 'on',
      },
    ],
  },
  'hole-insert-wakes': {
    values: ['one', 'all'],
    sites: 'page_cache_tree_insert (dax_load_hole)',
    rules: 'P6 H2',
    meaning: {
      one: 'the hole page replacing a locked empty entry wakes one waiter',
      all: 'it wakes every waiter',
    },
    changes: [
      { commit: '965d004af540', title: 'dax: fix deadlock with DAX 4k holes', tag: 'v4.10-rc4', to: 'all' },
    ],
  },
  'delete-wakes': {
    values: ['one', 'all'],
    sites: 'dax_delete_mapping_entry, __dax_invalidate_mapping_entry',
    rules: 'F3 H5 L5',
    meaning: {
      one: 'delete and invalidate end with put_unlocked_mapping_entry: wake one, and nobody for an empty slot or a hole page',
      all: 'wake every waiter after deleting the entry',
    },
    changes: [
      {
        commit: 'c6dcf52c23d2',
        title: 'mm: Invalidate DAX radix tree entries only if appropriate',
        tag: 'v4.10-rc1',
        to: 'one',
      },
      {
        commit: '237388320def',
        title: 'dax: Wake up all waiters after invalidating dax entry',
        tag: 'v5.13-rc2',
        to: 'all',
      },
    ],
  },
  'write-path-invalidate': {
    values: ['upfront', 'extent-if-pages', 'extent'],
    sites: 'dax_iomap_rw, dax_iomap_actor, invalidate_inode_pages2_range',
    rules: 'R2 H4',
    meaning: {
      upfront:
        'once per write(2), before allocating, if the file has hole pages; every DAX entry in range deleted',
      'extent-if-pages':
        'per newly allocated extent, if the file has hole pages; clean entries deleted, DAX mappings left (but a mapped hole page unmaps the rest of the range)',
      extent: 'per newly allocated extent, always; clean entries deleted, then one unmap of the whole range',
    },
    changes: [
      {
        commit: 'e3fce68cdbed',
        title: 'dax: Avoid page invalidation races and unnecessary radix tree traversals',
        tag: 'v4.10-rc1',
        to: 'extent-if-pages',
      },
      {
        commit: 'cd656375f946',
        title: 'mm: fix data corruption due to stale mmap reads',
        tag: 'v4.12-rc1',
        to: 'extent',
      },
    ],
  },
  'mkwrite-pte-under-lock': {
    values: ['off', 'on'],
    sites: 'dax_pfn_mkwrite, wp_pfn_shared',
    rules: 'D4 V4',
    meaning: {
      off: 'DIRTY is set without the entry lock; mm makes the PTE writable after the handler returns',
      on: 'lock the entry, set DIRTY, make the PTE writable, unlock',
    },
    changes: [
      {
        commit: '2f89dc12a25d',
        title: 'dax: protect PTE modification on WP fault by radix tree entry lock',
        tag: 'v4.10-rc1',
        to: 'on',
      },
    ],
  },
  'pte-write-mapping': {
    values: ['ro', 'rw'],
    sites: 'dax_insert_mapping (vm_insert_mixed)',
    rules: 'P5 D4 D6',
    meaning: {
      ro: 'a 4 KiB write fault maps read-only (write-notify); the store faults again through pfn_mkwrite',
      rw: 'the PTE is writable at once (vm_insert_mixed_mkwrite)',
    },
    changes: [
      { commit: 'b2770da64254', title: 'mm: add vm_insert_mixed_mkwrite()', tag: 'v4.14-rc1', to: 'rw' },
    ],
  },
  'writeback-protocol': {
    values: ['unlocked', 'locked'],
    sites: 'dax_writeback_one',
    rules: 'W1 W2 V6',
    meaning: {
      unlocked:
        'no entry lock: an entry whose slot value changed (e.g. locked by a fault) is skipped with TOWRITE left set',
      locked: 'wait for the entry, lock it, clear TOWRITE, flush, unlock',
    },
    changes: [
      {
        commit: 'a6abc2c0e77b',
        title: 'dax: make cache flushing protected by entry lock',
        tag: 'v4.10-rc1',
        to: 'locked',
      },
    ],
  },
  'writeback-index-advance': {
    values: ['off', 'on'],
    sites: 'dax_writeback_mapping_range',
    rules: 'W1 V1',
    meaning: {
      off: 'every batch is looked up again from the range start: an entry skipped with TOWRITE set is revisited forever',
      on: 'the next batch starts after the last entry seen',
    },
    changes: [
      {
        commit: '1eb643d02b21',
        title: 'fs/dax.c: fix inefficiency in dax_writeback_mapping_range()',
        tag: 'v4.12-rc7',
        to: 'on',
      },
    ],
  },
  'dirty-clear': {
    values: ['keep', 'clean'],
    sites: 'dax_writeback_one',
    rules: 'W3',
    meaning: {
      keep: 'DIRTY stays set forever: every fsync flushes everything ever dirtied',
      clean: "write-protect the entry's mappings, flush, then clear DIRTY",
    },
    changes: [
      {
        commit: '4b4bb46d00b3',
        title: 'dax: clear dirty entry tags on cache flush',
        tag: 'v4.10-rc1',
        to: 'clean',
      },
    ],
  },
  'pmd-wrprotect-in-mkclean': {
    values: ['off', 'on'],
    sites: 'dax_mapping_entry_mkclean',
    rules: 'W3 V4 V6',
    meaning: {
      off: 'mkclean write-protects PTEs only; a huge PMD stays writable',
      on: 'a huge PMD is write-protected too',
    },
    changes: [
      {
        commit: 'f729c8c9b24f',
        title: 'dax: wrprotect pmd_t in dax_mapping_entry_mkclean',
        tag: 'v4.10-rc4',
        to: 'on',
      },
    ],
  },
  'mkclean-range': {
    values: ['first', 'whole'],
    sites: 'dax_mapping_entry_mkclean',
    rules: 'W3 H6 V6',
    meaning: {
      first: "only VMAs mapping the entry's first index, only the PTE or PMD at that index",
      whole: "every VMA and every PTE or PMD of the entry's range",
    },
    changes: [
      {
        commit: '06083a0921fd',
        title: 'dax: fix missing writeprotect the pte entry',
        tag: 'v5.18',
        to: 'whole',
      },
    ],
  },
} as const satisfies Record<string, SwitchInfo>;

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
