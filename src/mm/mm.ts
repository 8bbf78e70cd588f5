/**
 * A process's address space (mm_struct): its VMAs and its page table (D1).
 *
 * Invariants:
 * - `vmas` is sorted by start and non-overlapping; every VMA lies in [MMAP_MIN_ADDR, TASK_SIZE).
 * - Every present PTE or huge PMD lies inside some VMA: munmap zaps the VMA's range (COW copies
 *   included) before removing it, and frees the PTE tables no other VMA shares.
 * - Address choice is deterministic: top-down below MMAP_BASE, then bottom-up above it.
 * - No locking here: callers hold mmap_sem (write for mmap/munmap, read for lookups, D6).
 *   The file's rmap (rmap.ts) is the caller's to update, under its i_mmap lock.
 */
import { PageTable } from './page-table.js';
import {
  MMAP_BASE,
  MMAP_MIN_ADDR,
  PAGE_SIZE,
  PMD_SIZE,
  pageAlignUp,
  pmdAlignDown,
  TASK_SIZE,
} from './units.js';
import type { MappedFile, Vma } from './vma.js';
import { FaultCounts } from './vmstat.js';

/** Arguments of {@link Mm.mmap}. */
export interface MmapOptions<F extends MappedFile = MappedFile> {
  file: F;
  /** File offset of the mapping's first byte, in pages. */
  pgoff: number;
  /** Bytes; rounded up to whole pages as mmap does. */
  length: number;
  /** MAP_SHARED (true) or MAP_PRIVATE (false). */
  shared: boolean;
  /** PROT_WRITE. */
  writable: boolean;
  name: string;
  /** 'auto': colour-matched as thp_get_unmapped_area picks; or an explicit page-aligned address. */
  address: 'auto' | number;
}

/** mm_struct: one simulated process's VMAs and page table. */
export class Mm<F extends MappedFile = MappedFile> {
  /** The process's page table. */
  readonly pageTable = new PageTable();
  /**
   * The process this mm belongs to (set once by Process; mm->owner). A field, not a
   * module-level WeakMap: such a map kept every checker execution's World alive through
   * young-generation GCs.
   */
  owner: object | null = null;
  readonly #vmas: Vma<F>[] = [];
  /** Every VMA ever mapped, unmapped ones too, in mmap order (the report's per-mapping section). */
  readonly #history: Vma<F>[] = [];

  constructor(
    readonly id: number,
    readonly name: string,
  ) {}

  /** The VMAs, sorted by address. */
  get vmas(): readonly Vma<F>[] {
    return this.#vmas;
  }

  /** Every VMA this mm ever had, in mmap order (unmapped ones included). */
  get history(): readonly Vma<F>[] {
    return this.#history;
  }

  /** find_vma plus the vm_start check: the VMA containing `vaddr`, or undefined (SIGSEGV, D1). O(log n). */
  findVma(vaddr: number): Vma<F> | undefined {
    let lo = 0;
    let hi = this.#vmas.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const vma = this.#vmas[mid]!;
      if (vaddr < vma.start) hi = mid - 1;
      else if (vaddr >= vma.end) lo = mid + 1;
      else return vma;
    }
    return undefined;
  }

  /** The lowest VMA with this name, or undefined. */
  findVmaByName(name: string): Vma<F> | undefined {
    return this.#vmas.find((v) => v.name === name);
  }

  /**
   * do_mmap: create a VMA. EINVAL for a zero or non-integer length or pgoff, or an explicit
   * address that is not page aligned, below mmap_min_addr, or overlapping a VMA (no MAP_FIXED
   * replacement); ENOMEM when the range does not fit in user space. mmap_sem held for write.
   */
  mmap(opts: MmapOptions<F>): Vma<F> | 'EINVAL' | 'ENOMEM' {
    const { pgoff, address } = opts;
    if (!Number.isSafeInteger(opts.length) || opts.length <= 0) return 'EINVAL';
    if (!Number.isSafeInteger(pgoff) || pgoff < 0) return 'EINVAL';
    const length = pageAlignUp(opts.length);
    if (!Number.isSafeInteger((pgoff + length / PAGE_SIZE) * PAGE_SIZE)) return 'EINVAL';
    let start: number;
    if (address === 'auto') {
      const found = this.getUnmappedArea(length, pgoff);
      if (found === 'ENOMEM') return found;
      start = found;
    } else {
      if (!Number.isSafeInteger(address) || address % PAGE_SIZE !== 0 || address < MMAP_MIN_ADDR)
        return 'EINVAL';
      if (address + length > TASK_SIZE) return 'ENOMEM';
      if (this.#overlaps(address, address + length)) return 'EINVAL';
      start = address;
    }
    const vma: Vma<F> = {
      start,
      end: start + length,
      pgoff,
      file: opts.file,
      shared: opts.shared,
      writable: opts.writable,
      name: opts.name,
      mm: this,
      stats: new FaultCounts(),
    };
    this.#vmas.splice(this.#insertPos(start), 0, vma);
    this.#history.push(vma);
    return vma;
  }

  /**
   * thp_get_unmapped_area for a DAX file, as in 4.10: when the file range [off, off + length)
   * holds a whole 2 MiB aligned block, search for length + 2 MiB and shift the start up so
   * that `(addr - off) % 2 MiB == 0` (the address's colour matches the file offset's, M3);
   * otherwise (or if the padded search fails) a plain page-aligned area. `length` page aligned.
   */
  getUnmappedArea(length: number, pgoff: number): number | 'ENOMEM' {
    const off = pgoff * PAGE_SIZE;
    const offAlign = Math.ceil(off / PMD_SIZE) * PMD_SIZE;
    if (off + length - offAlign >= PMD_SIZE) {
      const padded = this.#search(length + PMD_SIZE);
      if (padded !== undefined) return padded + mod(off - padded, PMD_SIZE);
    }
    return this.#search(length) ?? 'ENOMEM';
  }

  /**
   * munmap of a whole VMA: zap its range, COW copies included; free the PTE tables of 2 MiB
   * blocks no other VMA overlaps (free_pgtables); remove it. mmap_sem held for write.
   */
  munmap(vma: Vma<F>): void {
    const i = this.#vmas.indexOf(vma);
    if (i < 0) throw new Error(`Mm.munmap: VMA '${vma.name}' is not mapped in process '${this.name}'`);
    this.#vmas.splice(i, 1);
    const pt = this.pageTable;
    pt.zapRange(vma.start, vma.end, { evenCows: true });
    const firstBlock = pmdAlignDown(vma.start);
    const lastBlock = pmdAlignDown(vma.end - 1);
    for (const block of firstBlock === lastBlock ? [firstBlock] : [firstBlock, lastBlock]) {
      if (!this.#overlaps(block, block + PMD_SIZE)) pt.freeEmptyTable(block);
    }
    if (lastBlock - firstBlock > PMD_SIZE) pt.freeEmptyTables(firstBlock + PMD_SIZE, lastBlock);
  }

  /** exit_mmap: unmap every VMA (callers drop each from its file's rmap). */
  munmapAll(): void {
    while (this.#vmas.length > 0) this.munmap(this.#vmas[this.#vmas.length - 1]!);
  }

  /** True when some VMA overlaps [start, end). */
  #overlaps(start: number, end: number): boolean {
    const i = this.#insertPos(start);
    const before = this.#vmas[i - 1];
    const after = this.#vmas[i];
    return (before !== undefined && before.end > start) || (after !== undefined && after.start < end);
  }

  /** Index of the first VMA whose start is >= `start`. */
  #insertPos(start: number): number {
    let lo = 0;
    let hi = this.#vmas.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#vmas[mid]!.start < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** arch_get_unmapped_area_topdown, falling back to bottom-up above the mmap base. */
  #search(length: number): number | undefined {
    return this.#topDown(length, MMAP_MIN_ADDR, MMAP_BASE) ?? this.#bottomUp(length, MMAP_BASE, TASK_SIZE);
  }

  /** The highest free [addr, addr + length) inside [low, high). */
  #topDown(length: number, low: number, high: number): number | undefined {
    let gapEnd = high;
    for (let i = this.#vmas.length - 1; i >= -1 && gapEnd - low >= length; i--) {
      const vma = this.#vmas[i];
      if (vma !== undefined && vma.start >= gapEnd) continue;
      const gapStart = Math.max(vma === undefined ? low : vma.end, low);
      if (gapEnd - gapStart >= length) return gapEnd - length;
      if (vma !== undefined) gapEnd = vma.start;
    }
    return undefined;
  }

  /** The lowest free [addr, addr + length) inside [low, high). */
  #bottomUp(length: number, low: number, high: number): number | undefined {
    let gapStart = low;
    for (const vma of this.#vmas) {
      if (vma.end <= gapStart) continue;
      if (vma.start - gapStart >= length) break;
      gapStart = vma.end;
    }
    return high - gapStart >= length ? gapStart : undefined;
  }
}

function mod(x: number, m: number): number {
  return ((x % m) + m) % m;
}
