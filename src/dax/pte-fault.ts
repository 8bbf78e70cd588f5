/**
 * dax_iomap_fault (4.10; dax_iomap_pte_fault from 4.11) (P1-P8): the 4 KiB DAX fault, with
 * its helpers dax_insert_mapping and dax_load_hole.
 *
 * Invariants: the entry grabbed for the index stays locked from the grab to the final put,
 * so no other fault, writeback or truncate of the index interleaves with the install;
 * `iomapEnd` follows every successful `iomapBegin` (P8); nothing is mapped beyond EOF (P1).
 */
import type { Errno } from '../lib/errno.js';
import { finishFault } from '../mm/cow.js';
import { insertPfn } from '../mm/install.js';
import { PAGE_SIZE } from '../mm/units.js';
import type { FaultResult, VmFault } from '../mm/vm-fault.js';
import { linearPageIndex } from '../mm/vma.js';
import { countFault } from '../mm/vmstat.js';
import type { K } from '../sim/types.js';
import type { AddressSpace } from './address-space.js';
import { isDaxEntry, type MappingItem } from './entry.js';
import { putLockedMappingEntry } from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { grabMappingEntry, isGrabError } from './grab.js';
import { createHolePage } from './hole.js';
import { daxInsertMappingEntry } from './insert.js';
import { daxIomapSector } from './iomap-sector.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { traceModel, tracing } from './trace.js';

/** dax_fault_return: an errno from the fault path as a fault result. */
export function daxFaultReturn(err: Errno | null): FaultResult {
  if (err === null) return 'NOPAGE';
  return err === 'ENOMEM' ? 'OOM' : 'SIGBUS';
}

/** dax_iomap_pte_fault. P1-P8. Called with mmap_sem read and the inode mmap lock shared (D6). */
export function* daxIomapPteFault(env: DaxEnv, vmf: VmFault): K<FaultResult> {
  const mapping = vmf.vma.file;
  const inode = mapping.host;
  const pgoff = linearPageIndex(vmf.vma, vmf.vaddr);
  const pos = pgoff * PAGE_SIZE;
  countFault(env.counters, vmf.vma, 'pte');
  if (tracing(env)) traceFault(env, 'dax_pte_fault', vmf, pgoff, mapping);

  if (pos >= inode.size) return faultDone(env, vmf, pgoff, mapping, 'SIGBUS'); // P1
  const cow = vmf.cowPfn !== undefined;
  const iomapWrite = vmf.write && !cow;

  const grabbed = yield* grabMappingEntry(env, mapping, pgoff, 'pte');
  if (isGrabError(grabbed)) return faultDone(env, vmf, pgoff, mapping, daxFaultReturn(grabbed)); // P2
  let entry: MappingItem = grabbed;

  yield* env.rt.point('iomap_begin');
  const iomap = env.fs.iomapBegin(inode, pos, PAGE_SIZE, { write: iomapWrite });
  if (typeof iomap === 'string') {
    yield* putLockedMappingEntry(env, mapping, pgoff, entry); // P3
    return faultDone(env, vmf, pgoff, mapping, daxFaultReturn(iomap));
  }

  let result: FaultResult;
  if (iomap.offset + iomap.length < pos + PAGE_SIZE) {
    result = 'SIGBUS'; // P3: EIO, the filesystem handed back too short an extent
  } else if (cow) {
    // P4: copy the page (zeros for a hole or unwritten extent), then map the copy.
    const cowPfn = vmf.cowPfn!;
    const range =
      iomap.type === 'mapped' ? env.dev.directAccess(daxIomapSector(iomap, pos), PAGE_SIZE) : null;
    if (typeof range === 'string') {
      result = daxFaultReturn(range);
    } else {
      if (range !== null) env.phys.copyPage(range.pfn, cowPfn);
      result = yield* finishFault(env, vmf.proc, vmf.vaddr, cowPfn, vmf.vma);
    }
  } else if (iomap.type === 'mapped') {
    if (iomap.isNew) countFault(env.counters, vmf.vma, 'major'); // P5
    const r = yield* daxInsertMapping(env, vmf, mapping, pgoff, entry, daxIomapSector(iomap, pos));
    if (typeof r === 'string') {
      result = r;
    } else {
      entry = r;
      result = 'NOPAGE';
    }
  } else if (!vmf.write) {
    const r = yield* daxLoadHole(env, vmf, mapping, pgoff, entry); // P6
    if (typeof r === 'string') {
      result = r;
    } else {
      entry = r;
      result = 'NOPAGE';
    }
  } else {
    result = 'SIGBUS'; // P7: the filesystem should have allocated for a write
  }

  yield* env.rt.point('iomap_end'); // P8
  const written = result === 'SIGBUS' || result === 'OOM' ? 0 : PAGE_SIZE;
  env.fs.iomapEnd(inode, pos, PAGE_SIZE, written, { write: iomapWrite }, iomap);
  yield* putLockedMappingEntry(env, mapping, pgoff, entry, MUTATION_SITES.unlockWake);
  return faultDone(env, vmf, pgoff, mapping, result);
}

/**
 * dax_insert_mapping: install the 4 KiB entry and map the pfn, writable only for a write
 * fault (P5). An existing PTE (EBUSY) or a huge PMD that raced in (D2) is fine: the access
 * retries. Returns the entry now locked for the index (the fault's NOPAGE), or the failure.
 */
function* daxInsertMapping(
  env: DaxEnv,
  vmf: VmFault,
  mapping: AddressSpace,
  pgoff: number,
  entry: MappingItem,
  sector: number,
): K<MappingItem | FaultResult> {
  const range = env.dev.directAccess(sector, PAGE_SIZE);
  if (typeof range === 'string') return daxFaultReturn(range);
  const ret = yield* daxInsertMappingEntry(env, mapping, pgoff, vmf.write, entry, sector, 'pte', 'mapped');
  if (ret === 'ENOMEM') return 'OOM';
  // A 4 KiB fault inside a mapped 2 MiB entry maps the matching 4 KiB of its blocks.
  const recheck = !env.mut.op('skip-recheck', MUTATION_SITES.pmdSlotRecheck);
  yield* insertPfn(vmf.proc, vmf.vaddr, range.pfn, vmf.write, 'dax', recheck);
  return ret;
}

/**
 * dax_load_hole: map a zero-filled hole page read-only, creating it over the locked empty
 * entry if needed. P6. The page comes back locked as the new `entry`; the caller's put
 * unlocks and releases it after the mapping is in place (P8). Returns it, or the failure.
 */
function* daxLoadHole(
  env: DaxEnv,
  vmf: VmFault,
  mapping: AddressSpace,
  pgoff: number,
  entry: MappingItem,
): K<MappingItem | FaultResult> {
  let page = entry;
  if (isDaxEntry(entry)) {
    const created = yield* createHolePage(env, mapping, pgoff, entry);
    if (created === 'ENOMEM') return 'OOM';
    page = created;
  }
  if (isDaxEntry(page)) throw new Error('hole page expected');
  const recheck = !env.mut.op('skip-recheck', MUTATION_SITES.pmdSlotRecheck);
  yield* insertPfn(vmf.proc, vmf.vaddr, page.pfn, false, 'hole', recheck);
  if (tracing(env)) traceFault(env, 'dax_load_hole', vmf, pgoff, mapping, 'NOPAGE');
  return page;
}

/** The handler's way out: count SIGBUS and emit dax_pte_fault_done. */
function faultDone(
  env: DaxEnv,
  vmf: VmFault,
  pgoff: number,
  mapping: AddressSpace,
  r: FaultResult,
): FaultResult {
  if (r === 'SIGBUS') countFault(env.counters, vmf.vma, 'sigbus');
  if (tracing(env)) traceFault(env, 'dax_pte_fault_done', vmf, pgoff, mapping, r);
  return r;
}

/** The dax_pte_fault_class tracepoints (4.11 fields: dev, ino, vm flags, fault flags, address, pgoff, result). */
export function traceFault(
  env: DaxEnv,
  name: string,
  vmf: VmFault,
  pgoff: number,
  mapping: AddressSpace,
  result?: FaultResult,
): void {
  traceModel(env, name, name === 'dax_pte_fault' ? 'P1' : 'P8', {
    ino: mapping.host.ino,
    shared: vmf.vma.shared,
    write: vmf.write,
    address: vmf.vaddr,
    pgoff,
    result: result ?? '',
  });
}
