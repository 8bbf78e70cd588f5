/**
 * dax_iomap_pmd_fault (M1-M9): the 2 MiB DAX fault, with its helpers
 * dax_pmd_insert_mapping and dax_pmd_load_hole.
 *
 * Every way out but success is a named fallback (design.md) that counts THP_FAULT_FALLBACK,
 * splits any huge PMD at the address, and lets the mm layer retry at 4 KiB.
 *
 * Invariants: the 2 MiB entry is grabbed, installed and unlocked at one PMD-aligned index
 * (the colour check M3 guarantees that the page table's block and the tree's block are the
 * same one; the `no-colour-check` mutation breaks exactly that, H3); `iomapEnd` follows a
 * successful `iomapBegin` (M9); the entry is unlocked last.
 */
import type { Iomap } from '../fs/iomap.js';
import { insertPfnPmd, splitHugePmd } from '../mm/install.js';
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
import type { AddressSpace } from './address-space.js';
import type { MappingItem } from './entry.js';
import { putLockedMappingEntry } from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { FALLBACK_RULE, type FallbackReason } from './fallback.js';
import { grabMappingEntry, isGrabError } from './grab.js';
import { daxInsertMappingEntry } from './insert.js';
import { daxIomapSector } from './iomap-sector.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { traceModel, tracing } from './trace.js';

/** What a step of the PMD fault decided: success, or the fallback reason. */
type PmdOutcome = 'NOPAGE' | 'RACED' | FallbackReason;

/** dax_iomap_pmd_fault. M1-M9. Called with mmap_sem read and the inode mmap lock shared (D6). */
export function* daxIomapPmdFault(env: DaxEnv, vmf: VmFault): K<FaultResult> {
  const { vma, vaddr, write } = vmf;
  const mapping = vma.file;
  const inode = mapping.host;
  const pmdAddr = pmdAlignDown(vaddr);
  if (tracing(env)) tracePmd(env, 'dax_pmd_fault', vmf, mapping, linearPageIndex(vma, pmdAddr));

  if (write && !vma.shared) return yield* fallback(env, vmf, mapping, 'cow-write'); // M1
  if (pmdAddr < vma.start || pmdAddr + PMD_SIZE > vma.end)
    return yield* fallback(env, vmf, mapping, 'vma-bounds'); // M2
  const faultPgoff = linearPageIndex(vma, vaddr);
  const noColourCheck = env.mut.has('no-colour-check');
  if (!noColourCheck && (faultPgoff & PG_PMD_COLOUR) !== Math.floor(vaddr / PAGE_SIZE) % PG_PMD_NR) {
    return yield* fallback(env, vmf, mapping, 'colour'); // M3
  }
  // M4, with Jan Kara's max_pgoff; an empty file has no valid index (no unsigned wrap).
  const pgoff = linearPageIndex(vma, pmdAddr);
  if (inode.size === 0) return sigbus(env, vmf, mapping);
  const maxPgoff = Math.floor((inode.size - 1) / PAGE_SIZE);
  if (pgoff > maxPgoff) return sigbus(env, vmf, mapping);
  const lockIndex = pgoffPmdAlignDown(pgoff);
  if (lockIndex + PG_PMD_COLOUR > maxPgoff) return yield* fallback(env, vmf, mapping, 'file-size');
  // H3: without the colour check, 4.10 installed and unlocked at the faulting page's block.
  const installIndex = noColourCheck ? pgoffPmdAlignDown(faultPgoff) : lockIndex;

  const grabbed = yield* grabMappingEntry(env, mapping, lockIndex, 'pmd');
  if (isGrabError(grabbed)) return yield* fallback(env, vmf, mapping, 'entry-conflict'); // M5
  let entry: MappingItem = grabbed;

  const pos = lockIndex * PAGE_SIZE;
  yield* env.rt.point('iomap_begin');
  const iomap = env.fs.iomapBegin(inode, pos, PMD_SIZE, { write });
  if (typeof iomap === 'string') {
    yield* putLockedMappingEntry(env, mapping, installIndex, entry);
    return yield* fallback(env, vmf, mapping, 'iomap-error'); // M6
  }
  let outcome: PmdOutcome;
  if (iomap.offset + iomap.length < pos + PMD_SIZE) {
    outcome = 'short-extent'; // M6
  } else if (iomap.type === 'mapped') {
    const r = yield* daxPmdInsertMapping(env, vmf, mapping, installIndex, entry, iomap, pos);
    entry = r.entry;
    outcome = r.outcome;
  } else if (write) {
    outcome = 'hole-write'; // M8: the filesystem should have allocated
  } else {
    const r = yield* daxPmdLoadHole(env, vmf, mapping, installIndex, entry);
    entry = r.entry;
    outcome = r.outcome;
  }

  yield* env.rt.point('iomap_end');
  const endErr = env.fs.iomapEnd(inode, pos, PMD_SIZE, outcome === 'NOPAGE' ? PMD_SIZE : 0, { write }, iomap);
  if (endErr !== null && outcome === 'NOPAGE') outcome = 'iomap-end'; // M9
  yield* putLockedMappingEntry(env, mapping, installIndex, entry); // M9: unlocked last
  // D2/H8: a PTE table raced in; nothing was mapped at 2 MiB and the access retries at 4 KiB.
  if (outcome === 'RACED') return 'NOPAGE';
  if (outcome !== 'NOPAGE') return yield* fallback(env, vmf, mapping, outcome);
  countFault(env.counters, vmf.vma, 'pmd');
  if (tracing(env)) tracePmd(env, 'dax_pmd_fault_done', vmf, mapping, lockIndex, 'NOPAGE');
  return 'NOPAGE';
}

/** dax_pmd_insert_mapping. M7. */
function* daxPmdInsertMapping(
  env: DaxEnv,
  vmf: VmFault,
  mapping: AddressSpace,
  index: number,
  entry: MappingItem,
  iomap: Iomap,
  pos: number,
): K<{ entry: MappingItem; outcome: PmdOutcome }> {
  const sector = daxIomapSector(iomap, pos);
  const range = env.dev.directAccess(sector, PMD_SIZE);
  if (typeof range === 'string') return { entry, outcome: 'device-error' };
  if (range.lengthBytes < PMD_SIZE) return { entry, outcome: 'device-short' };
  if (range.pfn % PG_PMD_NR !== 0) return { entry, outcome: 'pfn-misaligned' };
  if (!range.devmap) return { entry, outcome: 'not-devmap' };
  const ret = yield* daxInsertMappingEntry(env, mapping, index, vmf.write, entry, sector, 'pmd', 'mapped');
  if (ret === 'ENOMEM') return { entry, outcome: 'entry-insert' };
  if (iomap.isNew) countFault(env.counters, vmf.vma, 'major');
  const recheck = !env.mut.op('skip-recheck', MUTATION_SITES.pmdSlotRecheck);
  const r = yield* insertPfnPmd(vmf.proc, vmf.vaddr, range.pfn, vmf.write, 'dax', {
    recheck,
    requireNone: false,
  });
  if (tracing(env)) {
    traceModel(env, 'dax_pmd_insert_mapping', 'M7', {
      ino: mapping.host.ino,
      shared: vmf.vma.shared,
      write: vmf.write,
      address: vmf.vaddr,
      length: PMD_SIZE,
      pfn: range.pfn,
      devmap: range.devmap,
      radix_entry: ret,
      installed: r,
    });
  }
  // A PTE table that raced in (D2/H8): no PMD; the access retries at 4 KiB.
  return { entry: ret, outcome: r === 'raced' ? 'RACED' : 'NOPAGE' };
}

/** dax_pmd_load_hole: map the huge zero page read-only over a 2 MiB hole. M8. */
function* daxPmdLoadHole(
  env: DaxEnv,
  vmf: VmFault,
  mapping: AddressSpace,
  index: number,
  entry: MappingItem,
): K<{ entry: MappingItem; outcome: PmdOutcome }> {
  if (!(yield* env.rt.alloc('huge-zero-page'))) return { entry, outcome: 'zero-page-alloc' };
  const ret = yield* daxInsertMappingEntry(env, mapping, index, false, entry, 0, 'pmd', 'zero');
  if (ret === 'ENOMEM') return { entry, outcome: 'entry-insert' };
  const recheck = !env.mut.op('skip-recheck', MUTATION_SITES.zeroPmdRecheck);
  const r = yield* insertPfnPmd(vmf.proc, vmf.vaddr, env.phys.hugeZeroPfn, false, 'zero', {
    recheck,
    requireNone: recheck,
  });
  if (tracing(env)) {
    traceModel(env, r === 'raced' ? 'dax_pmd_load_hole_fallback' : 'dax_pmd_load_hole', 'M8', {
      ino: mapping.host.ino,
      shared: vmf.vma.shared,
      address: vmf.vaddr,
      zero_page: env.phys.hugeZeroPfn,
      radix_entry: ret,
    });
  }
  return { entry: ret, outcome: r === 'raced' ? 'pmd-raced' : 'NOPAGE' };
}

function* fallback(env: DaxEnv, vmf: VmFault, mapping: AddressSpace, reason: FallbackReason): K<FaultResult> {
  yield* splitHugePmd(vmf.proc, vmf.vaddr);
  countFallback(env.counters, vmf.vma, reason);
  if (tracing(env)) {
    tracePmd(
      env,
      'dax_pmd_fault_done',
      vmf,
      mapping,
      linearPageIndex(vmf.vma, vmf.vaddr),
      'FALLBACK',
      reason,
    );
  }
  return 'FALLBACK';
}

function sigbus(env: DaxEnv, vmf: VmFault, mapping: AddressSpace): FaultResult {
  countFault(env.counters, vmf.vma, 'sigbus');
  if (tracing(env))
    tracePmd(env, 'dax_pmd_fault_done', vmf, mapping, linearPageIndex(vmf.vma, vmf.vaddr), 'SIGBUS');
  return 'SIGBUS';
}

/** dax_pmd_fault / dax_pmd_fault_done (4.11 fields: dev, ino, vm flags, address, vm range, pgoff, max_pgoff). */
function tracePmd(
  env: DaxEnv,
  name: string,
  vmf: VmFault,
  mapping: AddressSpace,
  pgoff: number,
  result?: string,
  reason?: FallbackReason,
): void {
  const size = mapping.host.size;
  traceModel(env, name, reason === undefined ? 'M1' : FALLBACK_RULE[reason], {
    ino: mapping.host.ino,
    shared: vmf.vma.shared,
    write: vmf.write,
    address: vmf.vaddr,
    vm_start: vmf.vma.start,
    vm_end: vmf.vma.end,
    pgoff,
    max_pgoff: size === 0 ? 0 : Math.floor((size - 1) / PAGE_SIZE),
    result: result ?? '',
    ...(reason === undefined ? {} : { reason }),
  });
}
