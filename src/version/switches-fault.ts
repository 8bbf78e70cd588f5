/**
 * The switches of the fault handlers and grab_mapping_entry (switches.ts has the catalogue's
 * rules): what changed in dax_iomap_pte_fault, dax_iomap_pmd_fault, grab_mapping_entry and the
 * mm fault path between the seed patch and the last radix-era fixes.
 *
 * Invariant: data only, one entry per switch, values oldest behaviour first.
 */
import type { SwitchChange, SwitchInfo } from './switch-info.js';

const REVIEW_MERGE: SwitchChange = {
  commit: '642261ac995e',
  title: 'dax: add struct iomap based DAX PMD support (as merged after review)',
  tag: 'v4.10-rc1',
  to: 'on',
};

/** Switches of the fault path, in the order of kernel-versions.md. */
export const FAULT_SWITCHES = {
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
} as const satisfies Record<string, SwitchInfo>;
