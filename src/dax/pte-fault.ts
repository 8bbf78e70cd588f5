/**
 * dax_iomap_fault (4.10; dax_iomap_pte_fault from 4.11) (P1-P8): the 4 KiB DAX fault, with
 * its helpers dax_insert_mapping and dax_load_hole.
 *
 * Invariants: the entry grabbed for the index stays locked from the grab to the final put,
 * so no other fault, writeback or truncate of the index interleaves with the install;
 * `iomapEnd` follows every successful `iomapBegin` (P8); nothing is mapped beyond EOF (P1).
 */
import type { Iomap } from '../fs/iomap.js';
import type { Errno } from '../lib/errno.js';
import { finishFault } from '../mm/finish-fault.js';
import { insertPfn } from '../mm/install.js';
import { PAGE_SIZE } from '../mm/units.js';
import type { FaultResult, VmFault } from '../mm/vm-fault.js';
import { linearPageIndex } from '../mm/vma.js';
import { countFault } from '../mm/vmstat.js';
import type { K } from '../sim/types.js';
import type { AddressSpace } from './address-space.js';
import { isDaxEntry, kernelEntryHex, type MappingItem } from './entry.js';
import { putLockedMappingEntry } from './entry-lock.js';
import type { DaxEnv } from './env.js';
import { grabMappingEntry, isGrabError } from './grab.js';
import { createHolePage } from './hole.js';
import { daxInsertMappingEntry } from './insert.js';
import { daxIomapSector } from './iomap-sector.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { type TraceFields, traceModel, tracing } from './trace.js';

/** dax_fault_return: an errno from the fault path as a fault result. P2, P3. */
export function daxFaultReturn(err: Errno | null): FaultResult {
  if (err === null) return 'NOPAGE';
  return err === 'ENOMEM' ? 'OOM' : 'SIGBUS';
}

/**
 * dax_iomap_pte_fault (dax_iomap_fault in 4.10). P1-P8. Called with mmap_sem read and the
 * inode mmap lock shared (D6). Switches: iomap-before-grab (which of ->iomap_begin and the grab
 * comes first, and whether the entry is unlocked before or after ->iomap_end),
 * pmd-pte-collision-recheck, iomap-end-error, pte-write-mapping (in dax_insert_mapping).
 * One generator, as the kernel's one function: every fault runs it, and a generator per
 * label costs the fault path about a tenth of its time.
 */
export function* daxIomapPteFault(env: DaxEnv, vmf: VmFault): K<FaultResult> {
  const mapping = vmf.vma.file;
  const inode = mapping.host;
  const pgoff = linearPageIndex(vmf.vma, vmf.vaddr);
  const pos = pgoff * PAGE_SIZE;
  const sw = env.kernel.sw;
  countFault(env.counters, vmf.vma, 'pte');
  if (tracing(env)) traceFault(env, 'dax_pte_fault', vmf, pgoff, mapping);

  if (pos >= inode.size) return faultDone(env, vmf, pgoff, mapping, 'SIGBUS'); // P1
  const flags = { write: vmf.write && vmf.cowPfn === undefined };
  const iomapFirst = sw['iomap-before-grab'] === 'on';
  let iomap: Iomap | undefined;
  let entry: MappingItem | undefined;
  let result: FaultResult | undefined;
  let major = false;

  if (iomapFirst) {
    // 9f141d6ef625 (4.10, 4.11): look the block up before taking the entry lock.
    yield* env.rt.point('iomap_begin');
    const r = env.fs.iomapBegin(inode, pos, PAGE_SIZE, flags);
    if (typeof r === 'string') return faultDone(env, vmf, pgoff, mapping, daxFaultReturn(r)); // P3
    iomap = r;
    if (iomap.offset + iomap.length < pos + PAGE_SIZE) result = 'SIGBUS'; // P3: EIO
  }
  if (result === undefined) {
    const grabbed = yield* grabMappingEntry(env, mapping, pgoff, 'pte');
    if (isGrabError(grabbed)) {
      result = daxFaultReturn(grabbed); // P2
      if (grabbed === 'EEXIST') spuriousSigbus(env, vmf, pgoff);
    } else entry = grabbed;
  }
  if (!iomapFirst && entry !== undefined) {
    // e2093926a098 (D2, H8): a huge PMD got into the slot: retry the access from scratch.
    if (
      sw['pmd-pte-collision-recheck'] === 'on' &&
      !env.mut.op('skip-recheck', MUTATION_SITES.pmdSlotRecheck)
    ) {
      if (vmf.proc.mm.pageTable.pmdKind(vmf.vaddr) === 'huge') result = 'NOPAGE';
    }
    if (result === undefined) {
      yield* env.rt.point('iomap_begin');
      const r = env.fs.iomapBegin(inode, pos, PAGE_SIZE, flags);
      if (typeof r === 'string')
        result = daxFaultReturn(r); // P3: no ->iomap_end
      else iomap = r;
      if (iomap !== undefined && iomap.offset + iomap.length < pos + PAGE_SIZE) result = 'SIGBUS'; // P3
    }
  }
  if (result === undefined && iomap !== undefined && entry !== undefined) {
    if (vmf.cowPfn !== undefined) {
      // P4: copy the page (zeros for a hole or unwritten extent), then finish_fault maps the
      // copy; the empty entry the grab made stays in the tree.
      const range =
        iomap.type === 'mapped' ? env.dev.directAccess(daxIomapSector(iomap, pos), PAGE_SIZE) : null;
      if (typeof range === 'string') result = daxFaultReturn(range);
      else {
        if (range !== null) env.phys.copyPage(range.pfn, vmf.cowPfn);
        result = yield* finishFault(env, vmf, vmf.cowPfn, 'anon');
      }
    } else if (iomap.type === 'mapped') {
      // VM_FAULT_MAJOR: a new extent mapped by a shared fault (P5).
      major = iomap.isNew;
      if (major) countFault(env.counters, vmf.vma, 'major');
      const r = yield* daxInsertMapping(env, vmf, mapping, pgoff, entry, daxIomapSector(iomap, pos));
      if (typeof r === 'string') result = r;
      else {
        entry = r;
        result = 'NOPAGE';
      }
    } else if (!vmf.write) {
      const r = yield* daxLoadHole(env, vmf, mapping, pgoff, entry); // P6
      if (typeof r === 'string') result = r;
      else {
        entry = r;
        result = 'NOPAGE';
      }
    } else result = 'SIGBUS'; // P7: WARN, the filesystem should have allocated for a write
  }
  // The labels: ->iomap_end (P8; its error matters only under iomap-end-error=fallback) and
  // the entry's put, in the order of the profile (unlock first while iomap-before-grab is on).
  let r: FaultResult = result ?? 'SIGBUS';
  if (iomapFirst && entry !== undefined) yield* putLockedMappingEntry(env, mapping, pgoff, entry);
  if (iomap !== undefined) {
    yield* env.rt.point('iomap_end'); // P8
    const failed = r === 'SIGBUS' || r === 'OOM';
    const err = env.fs.iomapEnd(inode, pos, PAGE_SIZE, failed ? 0 : PAGE_SIZE, flags, iomap);
    if (err !== null && !failed && sw['iomap-end-error'] === 'fallback') r = 'SIGBUS';
  }
  if (!iomapFirst && entry !== undefined)
    yield* putLockedMappingEntry(env, mapping, pgoff, entry, MUTATION_SITES.unlockWake);
  return faultDone(env, vmf, pgoff, mapping, r, major && r === 'NOPAGE');
}

/**
 * dax_insert_mapping: install the 4 KiB entry and map the pfn (P5). A write fault maps it
 * writable only under pte-write-mapping=rw (vm_insert_mixed_mkwrite, 4.14); before, the PTE
 * takes the VMA's write-notify protection and the store faults again through pfn_mkwrite (D4).
 * An existing PTE (EBUSY) is fine: the access retries. Returns the entry now locked for the
 * index (the fault's NOPAGE), or the failure.
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
  if (tracing(env)) {
    traceModel(env, 'dax_insert_mapping', 'P5', {
      ino: mapping.host.ino,
      shared: vmf.vma.shared,
      write: vmf.write,
      address: vmf.vaddr,
      radix_entry: kernelEntryHex(ret),
    });
  }
  // A 4 KiB fault inside a mapped 2 MiB entry maps the matching 4 KiB of its blocks.
  const writable = vmf.write && env.kernel.sw['pte-write-mapping'] === 'rw';
  yield* insertPfn(env, vmf.proc, vmf.vaddr, range.pfn, writable, 'dax');
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
  yield* finishFault(env, vmf, page.pfn, 'hole'); // under the hole page's lock
  if (tracing(env)) traceFault(env, 'dax_load_hole', vmf, pgoff, mapping, 'NOPAGE');
  return page;
}

/**
 * A 4 KiB grab returns EEXIST only when a racing insert got past the re-check (no profile
 * does: 4.10 starts over, 4.11 on re-checks first), and dax_fault_return turns it into SIGBUS
 * for an access the file allows: reported as V5, the read never sees the file's bytes.
 */
function spuriousSigbus(env: DaxEnv, vmf: VmFault, pgoff: number): void {
  const what = `4 KiB fault at 0x${vmf.vaddr.toString(16)} (index 0x${pgoff.toString(16)}): grab_mapping_entry EEXIST -> SIGBUS inside the file`;
  env.rt.reportBug('spurious-sigbus', 'V5', env.rt.current, null, what);
}

/** The handler's way out: count SIGBUS and emit dax_pte_fault_done (with VM_FAULT_MAJOR). */
function faultDone(
  env: DaxEnv,
  vmf: VmFault,
  pgoff: number,
  mapping: AddressSpace,
  r: FaultResult,
  major = false,
): FaultResult {
  if (r === 'SIGBUS') countFault(env.counters, vmf.vma, 'sigbus');
  if (tracing(env))
    traceFault(env, 'dax_pte_fault_done', vmf, pgoff, mapping, r, major ? { major } : undefined);
  return r;
}

/**
 * The dax_pte_fault_class tracepoints (4.12: dev, ino, vm flags, fault flags, address, pgoff,
 * result); `extra` adds the fault's MKWRITE flag or its VM_FAULT_MAJOR.
 */
export function traceFault(
  env: DaxEnv,
  name: string,
  vmf: VmFault,
  pgoff: number,
  mapping: AddressSpace,
  result?: FaultResult,
  extra?: TraceFields,
): void {
  traceModel(env, name, name === 'dax_pte_fault' ? 'P1' : 'P8', {
    ino: mapping.host.ino,
    shared: vmf.vma.shared,
    write: vmf.write,
    address: vmf.vaddr,
    pgoff,
    result: result ?? '',
    ...extra,
  });
}
