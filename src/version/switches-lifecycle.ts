/**
 * The switches of what happens to entries after a fault (switches.ts has the catalogue's rules):
 * deletion and invalidation, write(2)'s invalidation, pfn_mkwrite, the PTE's write permission,
 * writeback and its write-protection.
 *
 * Invariant: data only, one entry per switch, values oldest behaviour first.
 */
import type { SwitchInfo } from './switch-info.js';

/** Switches after the fault path, in the order of kernel-versions.md. */
export const LIFECYCLE_SWITCHES = {
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
        'no entry lock: an entry whose slot value changed (e.g. locked by a fault) is skipped with TOWRITE left set; only a later lookup from at or before it flushes it (F-8)',
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
