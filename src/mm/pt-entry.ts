/**
 * Page-table entry values: kinds, the flag byte layout, and translate's fault codes.
 *
 * Flag byte of a PTE or huge PMD (drawn once, here):
 *
 *     bit 0      PRESENT   (0 = no mapping; the whole byte is then 0)
 *     bit 1      WRITABLE  (cleared by write-protect, set by mkwrite)
 *     bits 2-3   kind: 0 dax, 1 hole, 2 zero, 3 anon
 *
 * Invariants: a present entry always has PRESENT set, so `flags === 0` means "none"; `zero`
 * appears only in huge PMDs and `hole`/`anon` only in PTEs (validated on every set).
 */
import type { MappingSize } from './units.js';

/** What a mapping maps: a device pfn of a file entry, a 4 KiB hole page, the huge zero page, or a COW copy. */
export type MapKind = 'dax' | 'hole' | 'zero' | 'anon';
/** Kinds a 4 KiB PTE may have (the 4 KiB hole page stands in for zeros at this size, P6). */
export type PteKind = 'dax' | 'hole' | 'anon';
/** Kinds a huge PMD may have (COW is per 4 KiB, M1, so no anonymous huge pages). */
export type PmdMapKind = 'dax' | 'zero';
/** State of a PMD slot (D1, D2). */
export type PmdKind = 'none' | 'huge' | 'table';

/** A snapshot of one present PTE or huge PMD. */
export interface PtEntry {
  readonly pfn: number;
  readonly writable: boolean;
  readonly kind: MapKind;
}

/** translate(): nothing mapped at the address (a not-present fault). */
export const FAULT_NOT_PRESENT = -1;
/** translate(): mapped read-only and the access writes (a protection fault, D3/D4). */
export const FAULT_WRITE_PROTECT = -2;

/** Flag bit: the entry maps something. */
export const PT_PRESENT = 1;
/** Flag bit: stores are permitted. */
export const PT_WRITABLE = 2;
const KIND_SHIFT = 2;

const KINDS: readonly MapKind[] = ['dax', 'hole', 'zero', 'anon'];

/** Encode a present entry's flag byte. */
export function encodeFlags(writable: boolean, kind: MapKind): number {
  return PT_PRESENT | (writable ? PT_WRITABLE : 0) | (KINDS.indexOf(kind) << KIND_SHIFT);
}

/** Decode the kind bits of a present entry's flag byte. */
export function flagsKind(flags: number): MapKind {
  return KINDS[(flags >> KIND_SHIFT) & 3]!;
}

/** Throw unless `kind` may be mapped by a PTE. */
export function checkPteKind(op: string, kind: string): asserts kind is PteKind {
  if (kind !== 'dax' && kind !== 'hole' && kind !== 'anon') {
    throw new RangeError(`PageTable.${op}: kind '${kind}' cannot be mapped by a 4 KiB PTE (dax, hole, anon)`);
  }
}

/** Throw unless `kind` may be mapped by a huge PMD. */
export function checkPmdKind(op: string, kind: string): asserts kind is PmdMapKind {
  if (kind !== 'dax' && kind !== 'zero') {
    throw new RangeError(`PageTable.${op}: kind '${kind}' cannot be mapped by a huge PMD (dax, zero)`);
  }
}

/** Callback of PageTable.forEachMapping. */
export type MappingVisitor = (
  vaddr: number,
  size: MappingSize,
  pfn: number,
  writable: boolean,
  kind: MapKind,
) => void;

/** Options of PageTable.zapRange. */
export interface ZapOptions {
  /** Also remove private COW copies ('anon' PTEs): munmap and truncate yes, hole punch no (D5, F3). */
  evenCows: boolean;
}

/** What PageTable.wrprotectRange protects: dax_mapping_entry_mkclean's reach (W3, H6). */
export interface MkcleanScope {
  /** Only mappings of this pfn (the PTE or PMD at the first index); null: any. */
  readonly pfn: number | null;
  /** Huge PMDs too (f729c8c9b24f); else only PTEs. */
  readonly hugePmds: boolean;
}
