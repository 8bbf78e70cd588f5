/**
 * dax_iomap_pmd_fault (M1-M9): the 2 MiB DAX fault.
 *
 * Every way out but success and a retry is a named fallback (design.md) that counts
 * THP_FAULT_FALLBACK and lets the mm layer go on at 4 KiB; a retry (result 0: the slot turned
 * into a PTE table, 4.12 on) counts nothing and the access faults again.
 *
 * Switches read here: colour-check, pmd-eof-arith, iomap-before-grab (order of ->iomap_begin,
 * the grab, ->iomap_end and the unlock), pmd-pte-collision-recheck, pmd-insert-index (the index
 * dax_insert_mapping_entry works at), iomap-end-error, fallback-split.
 *
 * Invariants: the 2 MiB entry is grabbed and unlocked at one index, the page index of the
 * PMD-aligned address; `iomapEnd` follows a successful `iomapBegin` (M9).
 */
import type { Iomap } from '../fs/iomap.js';
import { MAX_INDEX } from '../lib/radix-tree.js';
import { splitHugePmd } from '../mm/install.js';
import {
  PAGE_SIZE,
  PG_PMD_COLOUR,
  PG_PMD_NR,
  PMD_SIZE,
  pgoffPmdAlignDown,
  pmdAlignDown,
} from '../mm/units.js';
import type { FaultResult, VmFault } from '../mm/vm-fault.js';
import { linearPageIndex } from '../mm/vma.js';
import { countFallback, countFault } from '../mm/vmstat.js';
import type { K } from '../sim/types.js';
import type { KernelSwitches } from '../version/switches.js';
import type { MappingItem } from './entry.js';
import { putLockedMappingEntry } from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { FALLBACK_RULE, type FallbackReason } from './fallback.js';
import { grabMappingEntry, isGrabError } from './grab.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { daxPmdInsertMapping, daxPmdLoadHole, type PmdFill } from './pmd-install.js';
import { traceModel, tracing } from './trace.js';

/** How the handler ends: mapped, retry (result 0), SIGBUS, or a fallback reason. */
type PmdOutcome = 'NOPAGE' | 'RETRY' | 'SIGBUS' | FallbackReason;

/**
 * M4's max_pgoff as the tracepoint prints it. pmd-eof-arith=count: the page count, an index at
 * or past it is past EOF; last: (size - 1) >> PAGE_SHIFT in unsigned arithmetic (an empty file
 * wraps to all ones, the model's MAX_INDEX), an index past it is past EOF.
 */
function maxPgoffOf(sw: KernelSwitches, size: number): number {
  if (sw['pmd-eof-arith'] === 'count') return Math.ceil(size / PAGE_SIZE);
  return size === 0 ? MAX_INDEX : Math.floor((size - 1) / PAGE_SIZE);
}

/** The checks before the grab, in 4.13's order: a fallback reason, SIGBUS, or null to go on. */
function pmdChecks(sw: KernelSwitches, vmf: VmFault, pgoff: number, maxPgoff: number): PmdOutcome | null {
  const { vma, vaddr } = vmf;
  const pmdAddr = pmdAlignDown(vaddr);
  // count: maxPgoff is the page count (an index at it is past); last: the last index.
  const last = sw['pmd-eof-arith'] === 'count' ? maxPgoff - 1 : maxPgoff;
  if (sw['colour-check'] === 'on') {
    const faultPgoff = linearPageIndex(vma, vaddr);
    if ((faultPgoff & PG_PMD_COLOUR) !== Math.floor(vaddr / PAGE_SIZE) % PG_PMD_NR) return 'colour'; // M3
  }
  if (vmf.write && !vma.shared) return 'cow-write'; // M1
  if (pmdAddr < vma.start || pmdAddr + PMD_SIZE > vma.end) return 'vma-bounds'; // M2
  if (pgoff > last) return 'SIGBUS'; // M4
  if (pgoffPmdAlignDown(pgoff) + PG_PMD_COLOUR > last) return 'file-size'; // M4: pgoff | COLOUR
  return null;
}

/**
 * dax_iomap_pmd_fault. M1-M9. Called with mmap_sem read and the inode mmap lock shared (D6).
 * One generator, as the kernel's one function (a generator per label costs the 2 MiB path about
 * a tenth of its time); the parts that cannot sleep are plain functions. Once `outcome` is set
 * the later steps are skipped, as the kernel's `goto fallback` / `goto unlock_entry` do.
 */
export function* daxIomapPmdFault(env: DaxEnv, vmf: VmFault): K<FaultResult> {
  const sw = env.kernel.sw;
  const mapping = vmf.vma.file;
  const inode = mapping.host;
  const pgoff = linearPageIndex(vmf.vma, pmdAlignDown(vmf.vaddr));
  const maxPgoff = maxPgoffOf(sw, inode.size);
  if (tracing(env)) tracePmd(env, 'dax_pmd_fault', vmf, maxPgoff);
  let outcome = pmdChecks(sw, vmf, pgoff, maxPgoff);
  if (outcome === null) {
    const pos = pgoff * PAGE_SIZE;
    const flags = { write: vmf.write };
    const iomapFirst = sw['iomap-before-grab'] === 'on';
    let iomap: Iomap | undefined;
    let entry: MappingItem | undefined;
    if (iomapFirst) {
      yield* env.rt.point('iomap_begin');
      const r = env.fs.iomapBegin(inode, pos, PMD_SIZE, flags);
      if (typeof r === 'string')
        outcome = 'iomap-error'; // M6: no entry, no ->iomap_end
      else if (r.offset + r.length < pos + PMD_SIZE) outcome = 'short-extent'; // M6
      if (typeof r !== 'string') iomap = r;
    }
    if (outcome === null) {
      const grabbed = yield* grabMappingEntry(env, mapping, pgoff, 'pmd');
      if (isGrabError(grabbed))
        outcome = 'entry-conflict'; // M5
      else entry = grabbed;
    }
    if (!iomapFirst && entry !== undefined) {
      // e2093926a098 (D2, H8): a PTE table got into the slot: retry, nothing counted.
      if (
        sw['pmd-pte-collision-recheck'] === 'on' &&
        !env.mut.op('skip-recheck', MUTATION_SITES.pmdSlotRecheck)
      ) {
        if (vmf.proc.mm.pageTable.pmdKind(vmf.vaddr) === 'table') outcome = 'RETRY';
      }
      if (outcome === null) {
        yield* env.rt.point('iomap_begin');
        const r = env.fs.iomapBegin(inode, pos, PMD_SIZE, flags);
        if (typeof r === 'string')
          outcome = 'iomap-error'; // M6: no ->iomap_end
        else iomap = r;
        if (iomap !== undefined && iomap.offset + iomap.length < pos + PMD_SIZE) outcome = 'short-extent';
      }
    }
    if (outcome === null && iomap !== undefined && entry !== undefined) {
      // d8a849e1bc12 (4.11): the insert and the DIRTY tag use vmf->pgoff, the faulting page.
      const index = sw['pmd-insert-index'] === 'aligned' ? pgoff : linearPageIndex(vmf.vma, vmf.vaddr);
      let r: PmdFill;
      if (iomap.type === 'mapped')
        r = yield* daxPmdInsertMapping(env, vmf, mapping, index, entry, iomap, pos);
      else if (vmf.write)
        r = { entry, outcome: 'hole-write' }; // M8: WARN, the fs should have allocated
      else r = yield* daxPmdLoadHole(env, vmf, mapping, index, entry);
      entry = r.entry;
      outcome = r.outcome;
    }
    outcome ??= 'iomap-error';
    // 4.10/4.11 unlock the entry before ->iomap_end; seed and 4.12 on, after it (M9).
    if (iomapFirst && entry !== undefined) yield* putLockedMappingEntry(env, mapping, pgoff, entry);
    if (iomap !== undefined) {
      yield* env.rt.point('iomap_end');
      outcome = pmdIomapEnd(env, vmf, pos, flags, iomap, outcome);
    }
    if (!iomapFirst && entry !== undefined) yield* putLockedMappingEntry(env, mapping, pgoff, entry);
  }
  // fallback: the seed split only before its COW fallback; the merged code splits on every one.
  if (outcome !== 'NOPAGE' && outcome !== 'RETRY' && outcome !== 'SIGBUS') {
    if (sw['fallback-split'] === 'all' || outcome === 'cow-write') yield* splitHugePmd(vmf.proc, vmf.vaddr);
  }
  return pmdOut(env, vmf, outcome, maxPgoff);
}

/** ->iomap_end (M9): `copied` 0 on fallback; its error matters only under iomap-end-error=fallback. */
function pmdIomapEnd(
  env: DaxEnv,
  vmf: VmFault,
  pos: number,
  flags: { write: boolean },
  iomap: Iomap,
  result: PmdOutcome,
): PmdOutcome {
  const ok = result === 'NOPAGE' || result === 'RETRY';
  // The seed passes PMD_SIZE whatever happened; from 4.10 a fallback passes 0.
  const fallbackRule = env.kernel.sw['iomap-end-error'] === 'fallback';
  const copied = ok || fallbackRule ? PMD_SIZE : 0;
  const err = env.fs.iomapEnd(vmf.vma.file.host, pos, PMD_SIZE, copied, flags, iomap);
  return err !== null && fallbackRule ? 'iomap-end' : result;
}

/** The out label: count a fallback (M1-M9), a 2 MiB success or SIGBUS, and trace the end. */
function pmdOut(env: DaxEnv, vmf: VmFault, outcome: PmdOutcome, maxPgoff: number): FaultResult {
  let result: FaultResult;
  if (outcome === 'NOPAGE') {
    countFault(env.counters, vmf.vma, 'pmd');
    result = 'NOPAGE';
  } else if (outcome === 'RETRY') {
    result = 'NOPAGE'; // result 0: the access faults again and takes the 4 KiB path
  } else if (outcome === 'SIGBUS') {
    countFault(env.counters, vmf.vma, 'sigbus');
    result = 'SIGBUS';
  } else {
    countFallback(env.counters, vmf.vma, outcome);
    result = 'FALLBACK';
  }
  if (tracing(env)) {
    const printed = outcome === 'RETRY' ? '' : result;
    const reason = outcome === 'SIGBUS' || outcome === 'NOPAGE' || outcome === 'RETRY' ? undefined : outcome;
    tracePmd(env, 'dax_pmd_fault_done', vmf, maxPgoff, printed, reason);
  }
  return result;
}

/** dax_pmd_fault / dax_pmd_fault_done (dev, ino, vm flags, fault flags, address, vm range, vmf->pgoff, max_pgoff, result). */
function tracePmd(
  env: DaxEnv,
  name: string,
  vmf: VmFault,
  maxPgoff: number,
  result?: string,
  reason?: FallbackReason,
): void {
  traceModel(env, name, reason === undefined ? 'M1' : FALLBACK_RULE[reason], {
    ino: vmf.vma.file.host.ino,
    shared: vmf.vma.shared,
    write: vmf.write,
    address: vmf.vaddr,
    vm_start: vmf.vma.start,
    vm_end: vmf.vma.end,
    pgoff: linearPageIndex(vmf.vma, vmf.vaddr),
    max_pgoff: maxPgoff,
    result: result ?? '',
    ...(reason === undefined ? {} : { reason }),
  });
}
