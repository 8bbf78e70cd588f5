/**
 * DAX radix-tree entries (E1-E4): the only module that knows their bit layout.
 *
 * A slot of a mapping's tree holds either a 4 KiB hole page (a `HolePage` object, the
 * kernel's `struct page *`) or a DAX entry, which, like the kernel's exceptional entry, is
 * a plain number:
 *
 *     value = sector * 16 + flags
 *
 *     bit 0  LOCKED   the entry lock (L1-L5); new entries are created locked (E3)
 *     bit 1  PMD      2 MiB entry, stored once at order 9 (E2); clear: 4 KiB
 *     bit 2  ZERO     the huge zero page (2 MiB only; the kernel's RADIX_DAX_HZP)
 *     bit 3  EMPTY    no block yet: exists only to be locked for a fault
 *     4..    sector   512-byte device sector of the block (mapped entries only)
 *
 * Sectors exceed 32 bits on a large device, so the arithmetic is on doubles (exact below
 * 2^53), never on 32-bit bitwise operators over the whole value.
 *
 * Invariants: ZERO implies PMD; ZERO and EMPTY entries have sector 0; everyone outside this
 * module reads and builds entries only through the helpers below (the reviewers' request,
 * H1), so the encoding can change in one place.
 */

import { pgoffPmdAlignDown } from '../mm/units.js';
import type { HolePage } from './hole-page.js';

/** A DAX entry value (the kernel's exceptional entry). */
export type DaxEntry = number & { readonly __daxEntry: unique symbol };
/** What a mapping's tree stores at a slot. */
export type MappingItem = DaxEntry | HolePage;

const LOCKED = 1;
const PMD = 2;
const ZERO = 4;
const EMPTY = 8;
const FLAG_SPAN = 16;

/** Order of a 2 MiB entry in the tree: 512 pages. */
export const PMD_ORDER = 9;

/** The size class a fault asks for (the kernel's size_flag: 0 or RADIX_DAX_PMD). */
export type EntrySize = 'pte' | 'pmd';
/** A descriptive kind, for reports and traces. */
export type EntryKind = 'hole-page' | 'pte' | 'pte-empty' | 'pmd' | 'pmd-zero' | 'pmd-empty';

function flagsOf(e: DaxEntry): number {
  return e % FLAG_SPAN;
}

/** radix_tree_exceptional_entry: a DAX entry rather than a hole page. E1. */
export function isDaxEntry(item: MappingItem | undefined): item is DaxEntry {
  return typeof item === 'number';
}

/** !radix_tree_exceptional_entry: a 4 KiB hole page. E1, G4. */
export function isHolePage(item: MappingItem | undefined): item is HolePage {
  return typeof item === 'object' && item !== null;
}

/** dax_is_pmd_entry. E2, E3. */
export function isPmdEntry(e: DaxEntry): boolean {
  return (flagsOf(e) & PMD) !== 0;
}

/** dax_is_pte_entry. E3. */
export function isPteEntry(e: DaxEntry): boolean {
  return (flagsOf(e) & PMD) === 0;
}

/** dax_is_zero_entry: the 2 MiB huge zero page. E3, M8. */
export function isZeroEntry(e: DaxEntry): boolean {
  return (flagsOf(e) & ZERO) !== 0;
}

/** dax_is_empty_entry. E3. */
export function isEmptyEntry(e: DaxEntry): boolean {
  return (flagsOf(e) & EMPTY) !== 0;
}

/** daxsim-only: an entry with a block behind it (neither zero nor empty). E1, E3. */
export function isMappedEntry(e: DaxEntry): boolean {
  return (flagsOf(e) & (ZERO | EMPTY)) === 0;
}

/** slot_locked. E3, L3. */
export function isEntryLocked(e: DaxEntry): boolean {
  return (flagsOf(e) & LOCKED) !== 0;
}

/** dax_radix_sector. E3. */
export function entrySector(e: DaxEntry): number {
  return Math.floor(e / FLAG_SPAN);
}

/** dax_radix_order: 9 for a 2 MiB entry, 0 for 4 KiB. E2, E3. */
export function entryOrder(e: DaxEntry): number {
  return isPmdEntry(e) ? PMD_ORDER : 0;
}

/** daxsim-only: pages covered by the entry. E2. */
export function entryPages(e: DaxEntry): number {
  return isPmdEntry(e) ? 1 << PMD_ORDER : 1;
}

/** lock_slot's value: the entry with its lock bit set. E3. */
export function lockedEntry(e: DaxEntry): DaxEntry {
  return (isEntryLocked(e) ? e : e + LOCKED) as DaxEntry;
}

/** unlock_slot's value: the entry with its lock bit clear. E3, L4. */
export function unlockedEntry(e: DaxEntry): DaxEntry {
  return (isEntryLocked(e) ? e - LOCKED : e) as DaxEntry;
}

/** What a new entry is: its size and whether it is empty, the huge zero page or mapped. */
export type NewEntryKind = 'empty' | 'zero' | 'mapped';

/** dax_radix_locked_entry: entries begin locked (E3). */
export function makeLockedEntry(sector: number, size: EntrySize, kind: NewEntryKind): DaxEntry {
  if (!Number.isSafeInteger(sector) || sector < 0) throw new RangeError(`bad sector ${sector}`);
  if (kind === 'zero' && size !== 'pmd') throw new RangeError('a zero entry is 2 MiB only (E1)');
  if (kind !== 'mapped' && sector !== 0) throw new RangeError(`${kind} entry with sector ${sector}`);
  let flags = LOCKED;
  if (size === 'pmd') flags |= PMD;
  if (kind === 'zero') flags |= ZERO;
  if (kind === 'empty') flags |= EMPTY;
  return (sector * FLAG_SPAN + flags) as DaxEntry;
}

/** The descriptive kind of a tree item. */
export function entryKind(item: MappingItem): EntryKind {
  if (isHolePage(item)) return 'hole-page';
  if (isPmdEntry(item)) {
    if (isZeroEntry(item)) return 'pmd-zero';
    return isEmptyEntry(item) ? 'pmd-empty' : 'pmd';
  }
  return isEmptyEntry(item) ? 'pte-empty' : 'pte';
}

/** A short human form for traces: `pmd-zero locked`, `pte sector=0x5008`. */
export function describeEntry(item: MappingItem | undefined): string {
  if (item === undefined) return 'none';
  if (isHolePage(item)) return `hole-page pfn=0x${item.pfn.toString(16)}`;
  const parts: string[] = [entryKind(item)];
  if (isMappedEntry(item)) parts.push(`sector=0x${entrySector(item).toString(16)}`);
  if (isEntryLocked(item)) parts.push('locked');
  return parts.join(' ');
}

/** The tree index where an entry covering `index` starts (aligned down for 2 MiB). */
export function entryBaseIndex(index: number, e: DaxEntry): number {
  return isPmdEntry(e) ? pgoffPmdAlignDown(index) : index;
}

/**
 * The value the 4.10-4.13 kernel would hold for this entry (what fs_dax tracepoints print as
 * radix_entry): RADIX_TREE_EXCEPTIONAL_ENTRY 0x2 | lock 0x4 | PMD 0x8 | HZP 0x10 | EMPTY 0x20,
 * sector << 6, as `%#lx` prints it (computed in bigint: the shifted sector may pass 2^53).
 */
export function kernelEntryHex(e: DaxEntry): string {
  const f = flagsOf(e);
  const bits =
    0x2 | (f & LOCKED ? 0x4 : 0) | (f & PMD ? 0x8 : 0) | (f & ZERO ? 0x10 : 0) | (f & EMPTY ? 0x20 : 0);
  return `0x${((BigInt(entrySector(e)) << 6n) | BigInt(bits)).toString(16)}`;
}
