/**
 * The PMD level of a page table: PMD slots (vaddr / 2 MiB) grouped, as in the kernel, into
 * PMD tables of 512 slots, each covering the 1 GiB of one PUD entry; the PUD level is a map
 * from 1 GiB index to its PMD table.
 *
 * Why this shape: a flat Map of slots gets slow once it holds hundreds of thousands of entries
 * (the 1 TiB scan), and a radix tree over slot indices near 2^26 builds five nodes for a
 * process's first slot, which every checker execution pays for. Here a lookup is one small
 * Map probe and an array index, and a process that maps one GiB has one table.
 *
 * Invariants: a table exists exactly while it holds a slot (it is dropped when its last slot
 * goes); `size` is the number of occupied slots; iteration is in ascending slot order.
 */
import type { Slot } from './pt-slot.js';

/** Slots per PMD table (PTRS_PER_PMD). */
const PTRS_PER_PMD = 512;

interface PmdTable {
  readonly slots: (Slot | undefined)[];
  used: number;
}

/** The PMD slots of one page table. */
export class PmdDirectory {
  readonly #tables = new Map<number, PmdTable>();
  #size = 0;
  /** The PMD table looked up last and its number (-1: none): faults hit one table in a row. */
  #lastPud = -1;
  #lastTable: PmdTable | undefined;

  /** Occupied slots. */
  get size(): number {
    return this.#size;
  }

  /** The slot at index `idx` (vaddr / 2 MiB), if occupied. */
  get(idx: number): Slot | undefined {
    const pud = Math.floor(idx / PTRS_PER_PMD);
    let table = this.#lastTable;
    if (pud !== this.#lastPud) {
      table = this.#tables.get(pud);
      this.#lastPud = pud;
      this.#lastTable = table;
    }
    return table?.slots[idx % PTRS_PER_PMD];
  }

  /** Occupy (or replace) slot `idx`. */
  set(idx: number, slot: Slot): void {
    const pud = Math.floor(idx / PTRS_PER_PMD);
    let table = this.#tables.get(pud);
    if (table === undefined) {
      table = { slots: new Array<Slot | undefined>(PTRS_PER_PMD).fill(undefined), used: 0 };
      this.#tables.set(pud, table);
      if (pud === this.#lastPud) this.#lastTable = table;
    }
    const i = idx % PTRS_PER_PMD;
    if (table.slots[i] === undefined) {
      table.used++;
      this.#size++;
    }
    table.slots[i] = slot;
  }

  /** Empty slot `idx`; false when it was empty. */
  delete(idx: number): boolean {
    const pud = Math.floor(idx / PTRS_PER_PMD);
    const table = this.#tables.get(pud);
    const i = idx % PTRS_PER_PMD;
    if (table === undefined || table.slots[i] === undefined) return false;
    table.slots[i] = undefined;
    this.#size--;
    if (--table.used === 0) {
      this.#tables.delete(pud);
      if (pud === this.#lastPud) this.#lastTable = undefined;
    }
    return true;
  }

  /** Occupied slots in [first, last], ascending, as parallel index and slot lists (a snapshot). */
  collect(first: number, last: number): { indices: number[]; slots: Slot[] } {
    const indices: number[] = [];
    const slots: Slot[] = [];
    const lo = Math.floor(first / PTRS_PER_PMD);
    const hi = Math.floor(last / PTRS_PER_PMD);
    const puds: number[] = [];
    if (hi - lo + 1 <= this.#tables.size) {
      for (let p = lo; p <= hi; p++) if (this.#tables.has(p)) puds.push(p);
    } else {
      for (const p of this.#tables.keys()) if (p >= lo && p <= hi) puds.push(p);
      puds.sort((a, b) => a - b);
    }
    for (const p of puds) {
      const table = this.#tables.get(p)!;
      const from = Math.max(first, p * PTRS_PER_PMD);
      const to = Math.min(last, p * PTRS_PER_PMD + PTRS_PER_PMD - 1);
      for (let idx = from; idx <= to; idx++) {
        const slot = table.slots[idx - p * PTRS_PER_PMD];
        if (slot !== undefined) {
          indices.push(idx);
          slots.push(slot);
        }
      }
    }
    return { indices, slots };
  }
}
