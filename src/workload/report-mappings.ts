/**
 * The report's per-mapping section: "did my mapping get huge pages?" answered per process and
 * mapping. For each mapping ever made (initial ones and `mmap` ops, unmapped ones included):
 * where it is, how its 2 MiB blocks are mapped at the end (one huge PMD, 4 KiB PTEs, or
 * nothing), and the faults charged to it during the run, with fallbacks by reason and SIGBUS.
 *
 * Invariants: a pure function of the World at the end of the run; mappings in process order,
 * then mmap order; a block is a 2 MiB page-table block (PMD slot) overlapping the mapping, so a
 * mapping that starts or ends inside a block counts that block; the fault counts of all
 * mappings sum to the report's totals (every fault is charged to the VMA it hit).
 */
import { FALLBACK_REASONS } from '../dax/fallback.js';
import type { PageTable } from '../mm/page-table.js';
import { PAGE_SIZE, PMD_SIZE } from '../mm/units.js';
import type { FaultCounts } from '../mm/vmstat.js';
import type { World } from './world.js';

/** Fault counts as the report shows them, for the whole run or for one mapping. */
export interface FaultCountsReport {
  pmd: number;
  pte: number;
  fallback: number;
  major: number;
  cow: number;
  sigbus: number;
  mkwrite: number;
  fallbackReasons: Record<string, number>;
}

/** The report form of fault counters (reasons in FALLBACK_REASONS order). */
export function faultCountsReport(c: FaultCounts): FaultCountsReport {
  return {
    pmd: c.pmd,
    pte: c.pte,
    fallback: c.fallback,
    major: c.major,
    cow: c.cow,
    sigbus: c.sigbus,
    mkwrite: c.mkwrite,
    fallbackReasons: c.nonZeroReasons(FALLBACK_REASONS),
  };
}

/** One mapping in the report (`mappings[]` of `--json`). */
export interface MappingReport {
  process: string;
  name: string;
  file: string;
  /** File offset of the first byte mapped. */
  fileOffset: number;
  /** vm_start, and the mapped length in bytes (whole pages). */
  start: number;
  length: number;
  shared: boolean;
  /** munmap'ed during the run: its blocks are then all `none`. */
  unmapped: boolean;
  /** 2 MiB blocks overlapping the mapping, as the page table holds them at the end. */
  blocks: { total: number; huge: number; ptes: number; none: number };
  /** Present 4 KiB PTEs inside the mapping at the end. */
  ptes: number;
  /** Faults charged to this mapping during the run (same meanings as the report's `faults`). */
  faults: FaultCountsReport;
}

/** Blocks and PTEs of [start, end) in `pt` (a live mapping's range). */
function blockUse(
  pt: PageTable,
  start: number,
  end: number,
): { huge: number; pteBlocks: number; ptes: number } {
  let huge = 0;
  let ptes = 0;
  let pteBlocks = 0;
  let lastBlock = -1;
  pt.forEachMapping(start, end, (base, size) => {
    if (size === PMD_SIZE) {
      huge++;
      return;
    }
    ptes++;
    const block = Math.floor(base / PMD_SIZE);
    if (block !== lastBlock) {
      pteBlocks++;
      lastBlock = block;
    }
  });
  return { huge, pteBlocks, ptes };
}

/** The per-mapping section of the report. */
export function mappingReports(world: World): MappingReport[] {
  const out: MappingReport[] = [];
  for (const proc of world.processes.values()) {
    const live = new Set(proc.mm.vmas);
    for (const vma of proc.mm.history) {
      const total = Math.floor((vma.end - 1) / PMD_SIZE) - Math.floor(vma.start / PMD_SIZE) + 1;
      const unmapped = !live.has(vma);
      const use = unmapped
        ? { huge: 0, pteBlocks: 0, ptes: 0 }
        : blockUse(proc.mm.pageTable, vma.start, vma.end);
      out.push({
        process: proc.name,
        name: vma.name,
        file: vma.file.host.path,
        fileOffset: vma.pgoff * PAGE_SIZE,
        start: vma.start,
        length: vma.end - vma.start,
        shared: vma.shared,
        unmapped,
        blocks: { total, huge: use.huge, ptes: use.pteBlocks, none: total - use.huge - use.pteBlocks },
        ptes: use.ptes,
        faults: faultCountsReport(vma.stats),
      });
    }
  }
  return out;
}
