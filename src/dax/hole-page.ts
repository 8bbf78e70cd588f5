/**
 * The 4 KiB hole page (E1): a zero-filled page-cache page that maps a hole read-only.
 *
 * Invariants: a hole page sits in exactly one mapping's tree at `index` while `mapping` is
 * set; deleting it from the tree clears `mapping` (the check G4 relies on after sleeping on
 * the page lock); it is locked with its own page lock, never with the entry lock bit.
 */
import type { PageLock } from '../sim/page-lock.js';
import type { AddressSpace } from './address-space.js';

/** struct page of a page-cache hole page. */
export class HolePage {
  /** page->mapping: null once truncated out of the page cache. */
  mapping: AddressSpace | null;
  /** page_count: the page cache's reference plus one per user (mappings, lookups). */
  refcount = 1;

  constructor(
    readonly pfn: number,
    mapping: AddressSpace,
    readonly index: number,
    readonly lock: PageLock,
  ) {
    this.mapping = mapping;
  }
}
