/**
 * A process's page table: a PMD level of 2 MiB slots and 4 KiB PTE tables (D1).
 *
 * Invariants:
 * - A PMD slot is empty, a huge PMD (pfn 2 MiB aligned, kind dax or zero), or a PTE table of
 *   512 entries (pt-slot.ts: pfns and flag bytes, a flag byte of 0 the only "no PTE" marker).
 * - `hugePmds`, `ptes`, `pteTables` and each table's `count` follow every change (O(1) reads);
 *   an empty table stays until freed (unmap_mapping_range keeps it, munmap frees it).
 * - translate caches the last slot it looked up; every slot insertion or removal resets it.
 * - No locking here: callers hold the page table lock (and mmap_sem) as the kernel would.
 * Range operations take page-aligned [start, end) inside [0, TASK_SIZE), in address order.
 */

import { PmdDirectory } from './pmd-dir.js';
import {
  checkPmdKind,
  checkPteKind,
  encodeFlags,
  FAULT_NOT_PRESENT,
  FAULT_WRITE_PROTECT,
  flagsKind,
  type MappingVisitor,
  type MkcleanScope,
  type PmdKind,
  type PmdMapKind,
  PT_WRITABLE,
  type PtEntry,
  type PteKind,
  type ZapOptions,
} from './pt-entry.js';
import {
  BASE_BYTES,
  checkPfn,
  HUGE_BYTES,
  HugePmd,
  PteTable,
  pteIndex,
  type Slot,
  slotIndex,
  TABLE_BYTES,
  walkSlots,
} from './pt-slot.js';
import { PAGE_SIZE, PMD_SIZE, PTRS_PER_PTE, TASK_SIZE } from './units.js';

/** One process's page table (pgd..pmd collapsed into a map of 2 MiB slots; D1). */
export class PageTable {
  /** PMD slots by vaddr / 2 MiB, in 512-slot PMD tables per GiB (pmd-dir.ts). */
  readonly #slots = new PmdDirectory();
  /** translate's one-slot cache (a TLB of sorts): reset whenever a slot is set or deleted. */
  #tlbIdx = -1;
  #tlbSlot: Slot | undefined;
  #hugePmds = 0;
  #ptes = 0;
  #pteTables = 0;

  /** Number of huge PMDs mapped. */
  get hugePmds(): number {
    return this.#hugePmds;
  }
  /** Number of present 4 KiB PTEs. */
  get ptes(): number {
    return this.#ptes;
  }
  /** Number of allocated PTE tables (empty ones included). */
  get pteTables(): number {
    return this.#pteTables;
  }
  /** 4 KiB pages mapped, a huge PMD counting 512. */
  get mappedPages(): number {
    return this.#ptes + this.#hugePmds * PTRS_PER_PTE;
  }
  /** Estimated bytes of memory the page table itself occupies. */
  get bytesUsed(): number {
    return BASE_BYTES + this.#pteTables * TABLE_BYTES + this.#hugePmds * HUGE_BYTES;
  }

  /** State of the PMD slot covering `vaddr` (pmd_none / pmd_trans_huge / pointer to a table). */
  pmdKind(vaddr: number): PmdKind {
    const slot = this.#slots.get(slotIndex('pmdKind', vaddr));
    if (slot === undefined) return 'none';
    return slot instanceof PteTable ? 'table' : 'huge';
  }

  /** The pfn of the PTE at `vaddr`, or -1 when there is no table or no PTE. */
  ptePfn(vaddr: number): number {
    const slot = this.#slots.get(slotIndex('ptePfn', vaddr));
    if (!(slot instanceof PteTable)) return -1;
    const i = pteIndex(vaddr);
    return slot.flags[i]! === 0 ? -1 : slot.pfns[i]!;
  }

  /** True when a PTE is present at `vaddr` and writable. */
  pteWritable(vaddr: number): boolean {
    const slot = this.#slots.get(slotIndex('pteWritable', vaddr));
    return slot instanceof PteTable && (slot.flags[pteIndex(vaddr)]! & PT_WRITABLE) !== 0;
  }

  /** The kind of the PTE at `vaddr`, or undefined when none is present. */
  pteKind(vaddr: number): PteKind | undefined {
    const slot = this.#slots.get(slotIndex('pteKind', vaddr));
    if (!(slot instanceof PteTable)) return undefined;
    const f = slot.flags[pteIndex(vaddr)]!;
    return f === 0 ? undefined : (flagsKind(f) as PteKind);
  }

  /** A snapshot of the PTE at `vaddr` (allocates; for checks and reports). */
  pte(vaddr: number): PtEntry | undefined {
    const slot = this.#slots.get(slotIndex('pte', vaddr));
    if (!(slot instanceof PteTable)) return undefined;
    const i = pteIndex(vaddr);
    const f = slot.flags[i]!;
    return f === 0
      ? undefined
      : { pfn: slot.pfns[i]!, writable: (f & PT_WRITABLE) !== 0, kind: flagsKind(f) };
  }

  /** The first pfn of the huge PMD covering `vaddr`, or -1 when the slot is not huge. */
  pmdPfn(vaddr: number): number {
    const slot = this.#slots.get(slotIndex('pmdPfn', vaddr));
    return slot instanceof HugePmd ? slot.pfn : -1;
  }

  /** True when the slot covering `vaddr` is a writable huge PMD. */
  pmdWritable(vaddr: number): boolean {
    const slot = this.#slots.get(slotIndex('pmdWritable', vaddr));
    return slot instanceof HugePmd && (slot.flags & PT_WRITABLE) !== 0;
  }

  /** A snapshot of the huge PMD covering `vaddr`, or undefined when the slot is not huge. */
  hugePmd(vaddr: number): PtEntry | undefined {
    const slot = this.#slots.get(slotIndex('hugePmd', vaddr));
    if (!(slot instanceof HugePmd)) return undefined;
    return { pfn: slot.pfn, writable: (slot.flags & PT_WRITABLE) !== 0, kind: flagsKind(slot.flags) };
  }

  /**
   * The hardware walk: the pfn of the 4 KiB page `vaddr` lies in when the access is permitted,
   * else FAULT_NOT_PRESENT (-1) or FAULT_WRITE_PROTECT (-2). Allocation-free (hot path).
   */
  translate(vaddr: number, write: boolean): number {
    const idx = slotIndex('translate', vaddr);
    let slot = this.#tlbSlot;
    if (idx !== this.#tlbIdx) {
      slot = this.#slots.get(idx);
      this.#tlbIdx = idx;
      this.#tlbSlot = slot;
    }
    if (slot === undefined) return FAULT_NOT_PRESENT;
    if (slot instanceof PteTable) {
      const i = pteIndex(vaddr);
      const f = slot.flags[i]!;
      if (f === 0) return FAULT_NOT_PRESENT;
      if (write && (f & PT_WRITABLE) === 0) return FAULT_WRITE_PROTECT;
      return slot.pfns[i]!;
    }
    if (write && (slot.flags & PT_WRITABLE) === 0) return FAULT_WRITE_PROTECT;
    return slot.pfn + pteIndex(vaddr);
  }

  /** __pte_alloc: give the empty slot covering `vaddr` a PTE table; false when the slot is not empty (D2's re-check is the caller's). */
  allocPteTable(vaddr: number): boolean {
    const idx = slotIndex('allocPteTable', vaddr);
    if (this.#slots.get(idx) !== undefined) return false;
    this.#setSlot(idx, new PteTable());
    this.#pteTables++;
    return true;
  }

  /** insert_pfn (vm_insert_mixed): map a PTE only where none is present; false is its -EBUSY. Page table lock held. */
  insertPte(vaddr: number, pfn: number, writable: boolean, kind: PteKind): boolean {
    const table = this.#tableFor('insertPte', vaddr);
    if (table.flags[pteIndex(vaddr)]! !== 0) return false;
    this.setPte(vaddr, pfn, writable, kind);
    return true;
  }

  /** set_pte_at: map `pfn` at `vaddr`, replacing any PTE there (as wp_page_copy does). The slot must hold a table. */
  setPte(vaddr: number, pfn: number, writable: boolean, kind: PteKind): void {
    checkPteKind('setPte', kind);
    checkPfn('setPte', pfn);
    const table = this.#tableFor('setPte', vaddr);
    const i = pteIndex(vaddr);
    if (table.flags[i]! === 0) {
      table.count++;
      this.#ptes++;
    }
    table.pfns[i] = pfn;
    table.flags[i] = encodeFlags(writable, kind);
  }

  /** ptep_get_and_clear: remove the PTE at `vaddr`; false when none was present. D5. */
  clearPte(vaddr: number): boolean {
    const slot = this.#slots.get(slotIndex('clearPte', vaddr));
    if (!(slot instanceof PteTable)) return false;
    return this.#clearPteAt(slot, pteIndex(vaddr));
  }

  /**
   * set_pmd_at with a huge entry: map 2 MiB at the slot covering `vaddr`. `pfn` must be 2 MiB
   * aligned. Replaces whatever the slot holds; a PTE table there is dropped with its PTEs,
   * which only a fault that skipped D2's re-check does (H8). Page table lock held.
   */
  setHugePmd(vaddr: number, pfn: number, writable: boolean, kind: PmdMapKind): void {
    checkPmdKind('setHugePmd', kind);
    checkPfn('setHugePmd', pfn);
    if (pfn % PTRS_PER_PTE !== 0) {
      throw new RangeError(`PageTable.setHugePmd: pfn 0x${pfn.toString(16)} is not 2 MiB aligned`);
    }
    if (writable && kind === 'zero')
      throw new Error('PageTable.setHugePmd: the huge zero page is mapped read-only (M8)');
    const idx = slotIndex('setHugePmd', vaddr);
    const old = this.#slots.get(idx);
    if (old instanceof HugePmd) {
      old.pfn = pfn;
      old.flags = encodeFlags(writable, kind);
      return;
    }
    if (old !== undefined) this.#dropTable(old);
    this.#setSlot(idx, new HugePmd(pfn, encodeFlags(writable, kind)));
    this.#hugePmds++;
  }

  /** pmd_clear / zap_huge_pmd / free_pte_range: empty the slot covering `vaddr`; returns the mappings removed. */
  clearPmd(vaddr: number): number {
    const idx = slotIndex('clearPmd', vaddr);
    const slot = this.#slots.get(idx);
    if (slot === undefined) return 0;
    this.#deleteSlot(idx);
    if (slot instanceof HugePmd) {
      this.#hugePmds--;
      return 1;
    }
    const n = slot.count;
    this.#dropTable(slot);
    return n;
  }

  /** ptep_set_wrprotect: clear the PTE's writable bit; false when no PTE is present. W3, H6. */
  wrprotectPte(vaddr: number): boolean {
    return this.#setPteWrite('wrprotectPte', vaddr, false);
  }

  /** pte_mkwrite (D4's pfn_mkwrite path): set the PTE's writable bit; false when no PTE is present. */
  mkwritePte(vaddr: number): boolean {
    return this.#setPteWrite('mkwritePte', vaddr, true);
  }

  /** pmdp_set_wrprotect: clear the huge PMD's writable bit; false when the slot is not huge. W3, H6. */
  wrprotectPmd(vaddr: number): boolean {
    return this.#setPmdWrite('wrprotectPmd', vaddr, false);
  }

  /** pmd_mkwrite: set the huge PMD's writable bit; false when the slot is not huge. Never for the zero page. */
  mkwritePmd(vaddr: number): boolean {
    return this.#setPmdWrite('mkwritePmd', vaddr, true);
  }

  /**
   * Visit every mapping overlapping [start, end) in address order: PTEs inside the range, and
   * huge PMDs overlapping it (reported at their 2 MiB aligned address). `fn` must not modify the table.
   */
  forEachMapping(start: number, end: number, fn: MappingVisitor): void {
    walkSlots(this.#slots, 'forEachMapping', start, end, (base, slot, lo, hi) => {
      if (slot instanceof HugePmd) {
        fn(base, PMD_SIZE, slot.pfn, (slot.flags & PT_WRITABLE) !== 0, flagsKind(slot.flags));
        return;
      }
      for (let i = lo; i < hi; i++) {
        const f = slot.flags[i]!;
        if (f !== 0)
          fn(base + i * PAGE_SIZE, PAGE_SIZE, slot.pfns[i]!, (f & PT_WRITABLE) !== 0, flagsKind(f));
      }
    });
  }

  /** Each occupied PMD slot with its 2 MiB block number (vaddr / 2 MiB), ascending; `fn` only reads (the viewer). */
  forEachSlot(fn: (block: number, slot: Slot) => void): void {
    walkSlots(this.#slots, 'forEachSlot', 0, TASK_SIZE, (base, slot) => fn(base / PMD_SIZE, slot));
  }

  /**
   * zap_page_range / unmap_mapping_range_vma: remove the PTEs in [start, end) and every huge PMD
   * overlapping it, whole (a DAX huge PMD split just clears it). With evenCows false, 'anon'
   * PTEs stay (D5, F3). Tables are kept. Returns the mappings removed. Page table lock held.
   */
  zapRange(start: number, end: number, opts: ZapOptions): number {
    let removed = 0;
    walkSlots(this.#slots, 'zapRange', start, end, (base, slot, lo, hi) => {
      if (slot instanceof HugePmd) {
        this.#deleteSlot(base / PMD_SIZE);
        this.#hugePmds--;
        removed++;
        return;
      }
      for (let i = lo; i < hi && slot.count > 0; i++) {
        const f = slot.flags[i]!;
        if (f === 0 || (!opts.evenCows && flagsKind(f) === 'anon')) continue;
        this.#clearPteAt(slot, i);
        removed++;
      }
    });
    return removed;
  }

  /** Write-protect the writable PTEs in [start, end) and huge PMDs overlapping it within `scope` (W3, H6); the count. */
  wrprotectRange(start: number, end: number, scope: MkcleanScope = { pfn: null, hugePmds: true }): number {
    let changed = 0;
    walkSlots(this.#slots, 'wrprotectRange', start, end, (_base, slot, lo, hi) => {
      if (slot instanceof HugePmd) {
        if (!scope.hugePmds || (scope.pfn !== null && slot.pfn !== scope.pfn)) return;
        if ((slot.flags & PT_WRITABLE) !== 0) changed++;
        slot.flags &= ~PT_WRITABLE;
        return;
      }
      for (let i = lo; i < hi; i++) {
        const f = slot.flags[i]!;
        if ((f & PT_WRITABLE) === 0 || (scope.pfn !== null && slot.pfns[i] !== scope.pfn)) continue;
        slot.flags[i] = f & ~PT_WRITABLE;
        changed++;
      }
    });
    return changed;
  }

  /** free_pte_range for one slot: free the PTE table covering `vaddr` if it is empty. D1. */
  freeEmptyTable(vaddr: number): boolean {
    const idx = slotIndex('freeEmptyTable', vaddr);
    const slot = this.#slots.get(idx);
    if (!(slot instanceof PteTable) || slot.count !== 0) return false;
    this.#deleteSlot(idx);
    this.#pteTables--;
    return true;
  }

  /** Free every empty PTE table whose slot overlaps [start, end); returns how many. */
  freeEmptyTables(start = 0, end = TASK_SIZE): number {
    let freed = 0;
    walkSlots(this.#slots, 'freeEmptyTables', start, end, (base, slot) => {
      if (slot instanceof PteTable && slot.count === 0) {
        this.#deleteSlot(base / PMD_SIZE);
        this.#pteTables--;
        freed++;
      }
    });
    return freed;
  }

  #setSlot(idx: number, slot: Slot): void {
    this.#slots.set(idx, slot);
    this.#tlbIdx = -1;
  }

  #deleteSlot(idx: number): void {
    this.#slots.delete(idx);
    this.#tlbIdx = -1;
  }

  #tableFor(op: string, vaddr: number): PteTable {
    const slot = this.#slots.get(slotIndex(op, vaddr));
    if (slot instanceof PteTable) return slot;
    const what = slot === undefined ? 'empty' : 'a huge PMD';
    throw new Error(
      `PageTable.${op}: the PMD slot of 0x${vaddr.toString(16)} is ${what}; allocPteTable first (D2)`,
    );
  }

  #clearPteAt(table: PteTable, i: number): boolean {
    if (table.flags[i]! === 0) return false;
    table.flags[i] = 0;
    table.count--;
    this.#ptes--;
    return true;
  }

  #dropTable(table: PteTable): void {
    this.#ptes -= table.count;
    this.#pteTables--;
  }

  #setPteWrite(op: string, vaddr: number, writable: boolean): boolean {
    const slot = this.#slots.get(slotIndex(op, vaddr));
    if (!(slot instanceof PteTable)) return false;
    const i = pteIndex(vaddr);
    const f = slot.flags[i]!;
    if (f === 0) return false;
    slot.flags[i] = writable ? f | PT_WRITABLE : f & ~PT_WRITABLE;
    return true;
  }

  #setPmdWrite(op: string, vaddr: number, writable: boolean): boolean {
    const slot = this.#slots.get(slotIndex(op, vaddr));
    if (!(slot instanceof HugePmd)) return false;
    if (writable && flagsKind(slot.flags) === 'zero') {
      throw new Error(`PageTable.${op}: the huge zero page at 0x${vaddr.toString(16)} must stay read-only`);
    }
    slot.flags = writable ? slot.flags | PT_WRITABLE : slot.flags & ~PT_WRITABLE;
    return true;
  }
}
