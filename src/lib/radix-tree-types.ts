/**
 * The radix tree's public vocabulary: index limit, tags, the entry record of gang lookups, the
 * iterator callback (lib/radix-tree.c's radix_tree_root API types).
 *
 * Invariant: declarations only; `radix-tree.ts` re-exports them with the tree.
 */
import { INDEX_LIMIT } from './radix-tree-node.js';

/** The largest index a tree holds (indices are below 2^52, E1). */
export const MAX_INDEX = INDEX_LIMIT - 1;

/** PAGECACHE_TAG_DIRTY. E4, W1. */
export const TAG_DIRTY = 0;
/** PAGECACHE_TAG_TOWRITE. E4, W1. */
export const TAG_TOWRITE = 1;
/** The third page-cache tag (PAGECACHE_TAG_WRITEBACK's slot); unused by the DAX model. */
export const TAG_SPARE = 2;
/** A tag number. */
export type Tag = typeof TAG_DIRTY | typeof TAG_TOWRITE | typeof TAG_SPARE;

/** An entry as gang lookups report it: aligned first index, order, item. */
export interface RadixEntry<T> {
  index: number;
  order: number;
  item: T;
}

/** Per-entry callback of the iterators; returning exactly `false` stops, anything else goes on. */
export type EntryVisitor<T> = (index: number, order: number, item: T) => unknown;
