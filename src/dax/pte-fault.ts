/**
 * dax_iomap_fault (P1-P8): the 4 KiB DAX fault.
 *
 * Invariants: the entry grabbed for the index stays locked from the grab to the final put,
 * so no other fault, writeback or truncate of the index interleaves with the install;
 * `iomapEnd` follows every successful `iomapBegin` (P8); nothing is mapped beyond EOF (P1).
 */
import type { Iomap } from '../fs/index.js';
import { insertPte } from '../mm/install.js';
import { PAGE_SIZE } from '../mm/units.js';
import { linearPageIndex } from '../mm/vma.js';
import type { K } from '../sim/index.js';
import type { AddressSpace } from './address-space.js';
import { isDaxEntry, type MappingItem } from './entry.js';
import { putLockedMappingEntry } from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { type FaultResult, faultReturn, type VmFault } from './fault.js';
import { grabMappingEntry, isGrabError } from './grab.js';
import { createHolePage } from './hole.js';
import { daxInsertMappingEntry } from './insert.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { traceModel, tracing } from './trace.js';

const SECTOR = 512;

/** dax_iomap_sector: the device sector of file byte `pos` inside a mapped extent. */
export function iomapSector(iomap: Iomap, pos: number): number {
  return iomap.sector + (pos - iomap.offset) / SECTOR;
}

/** dax_iomap_fault. P1-P8. Called with mmap_sem read and the inode mmap lock shared (D6). */
export function* daxIomapFault(env: DaxEnv, vmf: VmFault): K<FaultResult> {
  const mapping = vmf.vma.file;
  const inode = mapping.host;
  const pgoff = linearPageIndex(vmf.vma, vmf.vaddr);
  const pos = pgoff * PAGE_SIZE;
  env.counters.pte++;
  if (tracing(env)) traceFault(env, 'dax_pte_fault', vmf, pgoff, mapping);

  if (pos >= inode.size) return done(env, vmf, pgoff, mapping, 'SIGBUS'); // P1
  const cow = vmf.cowPfn !== undefined;
  const iomapWrite = vmf.write && !cow;

  const grabbed = yield* grabMappingEntry(env, mapping, pgoff, 'pte');
  if (isGrabError(grabbed)) return done(env, vmf, pgoff, mapping, faultReturn(grabbed)); // P2
  let entry: MappingItem = grabbed;

  if (env.rt.preemptible) yield 'iomap_begin';
  const iomap = env.fs.iomapBegin(inode, pos, PAGE_SIZE, { write: iomapWrite });
  if (typeof iomap === 'string') {
    yield* putLockedMappingEntry(env, mapping, pgoff, entry); // P3
    return done(env, vmf, pgoff, mapping, faultReturn(iomap));
  }

  let result: FaultResult;
  if (iomap.offset + iomap.length < pos + PAGE_SIZE) {
    result = 'SIGBUS'; // P3: EIO, the filesystem handed back too short an extent
  } else if (cow) {
    result = yield* cowFault(env, vmf, iomap, pos);
  } else if (iomap.type === 'mapped') {
    if (iomap.isNew) env.counters.major++; // P5
    const r = yield* daxInsertMapping(env, vmf, mapping, pgoff, entry, iomapSector(iomap, pos));
    entry = r.entry;
    result = r.result;
  } else if (!vmf.write) {
    const r = yield* daxLoadHole(env, vmf, mapping, pgoff, entry); // P6
    entry = r.entry;
    result = r.result;
  } else {
    result = 'SIGBUS'; // P7: the filesystem should have allocated for a write
  }

  if (env.rt.preemptible) yield 'iomap_end'; // P8
  const written = result === 'SIGBUS' || result === 'OOM' ? 0 : PAGE_SIZE;
  env.fs.iomapEnd(inode, pos, PAGE_SIZE, written, { write: iomapWrite }, iomap);
  yield* putLockedMappingEntry(env, mapping, pgoff, entry, MUTATION_SITES.unlockWake);
  return done(env, vmf, pgoff, mapping, result);
}

/** The private-write copy of P4: zeros for a hole or unwritten extent, device data else. */
function* cowFault(env: DaxEnv, vmf: VmFault, iomap: Iomap, pos: number): K<FaultResult> {
  const cowPfn = vmf.cowPfn!;
  if (iomap.type === 'mapped') {
    const range = env.dev.directAccess(iomapSector(iomap, pos), PAGE_SIZE);
    if (typeof range === 'string') return faultReturn(range);
    env.phys.copyPage(range.pfn, cowPfn);
  }
  // finish_fault: map the copy writable in place of whatever read-only PTE was there.
  const proc = vmf.proc;
  yield* proc.ptl.lock();
  const pt = proc.mm.pageTable;
  if (pt.pmdKind(vmf.vaddr) === 'huge') {
    proc.ptl.unlock();
    return 'NOPAGE'; // D2: a huge PMD appeared; retry (the mm layer frees the unused copy)
  }
  if (pt.pmdKind(vmf.vaddr) === 'none') pt.allocPteTable(vmf.vaddr);
  if (pt.pteKind(vmf.vaddr) === 'anon') {
    proc.ptl.unlock();
    return 'NOPAGE'; // another thread of this process copied first
  }
  pt.setPte(vmf.vaddr, cowPfn, true, 'anon');
  proc.ptl.unlock();
  env.counters.cow++;
  return 'DONE_COW';
}

/**
 * dax_insert_mapping: install the 4 KiB entry and map the pfn, writable only for a write
 * fault (P5). An existing PTE (EBUSY) or a huge PMD that raced in (D2) is fine: the access
 * retries.
 */
function* daxInsertMapping(
  env: DaxEnv,
  vmf: VmFault,
  mapping: AddressSpace,
  pgoff: number,
  entry: MappingItem,
  sector: number,
): K<{ entry: MappingItem; result: FaultResult }> {
  const range = env.dev.directAccess(sector, PAGE_SIZE);
  if (typeof range === 'string') return { entry, result: faultReturn(range) };
  const ret = yield* daxInsertMappingEntry(
    env,
    mapping,
    { pgoff, write: vmf.write },
    entry,
    sector,
    'pte',
    'mapped',
  );
  if (ret === 'ENOMEM') return { entry, result: 'OOM' };
  // A 4 KiB fault inside a mapped 2 MiB entry maps the matching 4 KiB of its blocks.
  const recheck = !env.mut.op('skip-recheck', MUTATION_SITES.pmdSlotRecheck);
  yield* insertPte(vmf.proc, vmf.vaddr, range.pfn, vmf.write, 'dax', recheck);
  return { entry: ret, result: 'NOPAGE' };
}

/**
 * dax_load_hole: map a zero-filled hole page read-only, creating it over the locked empty
 * entry if needed. P6. The page comes back locked as the new `entry`; the caller's put
 * unlocks and releases it after the mapping is in place (P8).
 */
function* daxLoadHole(
  env: DaxEnv,
  vmf: VmFault,
  mapping: AddressSpace,
  pgoff: number,
  entry: MappingItem,
): K<{ entry: MappingItem; result: FaultResult }> {
  let page = entry;
  if (isDaxEntry(entry)) {
    const created = yield* createHolePage(env, mapping, pgoff, entry);
    if (created === 'ENOMEM') return { entry, result: 'OOM' };
    page = created;
  }
  if (isDaxEntry(page)) throw new Error('hole page expected');
  const recheck = !env.mut.op('skip-recheck', MUTATION_SITES.pmdSlotRecheck);
  yield* insertPte(vmf.proc, vmf.vaddr, page.pfn, false, 'hole', recheck);
  if (tracing(env)) traceFault(env, 'dax_load_hole', vmf, pgoff, mapping, 'NOPAGE');
  return { entry: page, result: 'NOPAGE' };
}

function done(env: DaxEnv, vmf: VmFault, pgoff: number, mapping: AddressSpace, r: FaultResult): FaultResult {
  if (r === 'SIGBUS') env.counters.sigbus++;
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
