/**
 * The two ways a 2 MiB fault maps something (M7, M8): dax_pmd_insert_mapping (device memory)
 * and dax_pmd_load_hole (the huge zero page).
 *
 * Invariants: each is called with the 2 MiB entry the fault grabbed still locked; a step that
 * fails names its fallback reason and emits the `_fallback` twin of its tracepoint; on success
 * the entry now locked for the range (the one dax_insert_mapping_entry returned) is handed back.
 */
import type { Iomap } from '../fs/iomap.js';
import { insertPfnPmd } from '../mm/install.js';
import { PG_PMD_NR, PMD_SIZE } from '../mm/units.js';
import type { VmFault } from '../mm/vm-fault.js';
import type { K } from '../sim/types.js';
import type { AddressSpace } from './address-space.js';
import { kernelEntryHex, type MappingItem } from './entry.js';
import type { DaxEnv } from './env.js';
import type { FallbackReason } from './fallback.js';
import { daxInsertMappingEntry } from './insert.js';
import { daxIomapSector } from './iomap-sector.js';
import { MUTATION_SITES } from './mutation-flags.js';
import { traceModel, tracing } from './trace.js';

/** What a 2 MiB install did: mapped (with the entry now locked), or why it fell back. */
export type PmdFill = { entry: MappingItem; outcome: 'NOPAGE' | FallbackReason };

/**
 * dax_pmd_insert_mapping. M7. `index` is where dax_insert_mapping_entry works (pmd-insert-index),
 * `pos` the file offset of the 2 MiB block being mapped.
 */
export function* daxPmdInsertMapping(
  env: DaxEnv,
  vmf: VmFault,
  mapping: AddressSpace,
  index: number,
  entry: MappingItem,
  iomap: Iomap,
  pos: number,
): K<PmdFill> {
  const sector = daxIomapSector(iomap, pos);
  const range = env.dev.directAccess(sector, PMD_SIZE);
  if (typeof range === 'string') return insertFallback(env, vmf, entry, 'device-error', 0, 0);
  const len = range.lengthBytes;
  if (len < PMD_SIZE) return insertFallback(env, vmf, entry, 'device-short', range.pfn, len);
  if (range.pfn % PG_PMD_NR !== 0) return insertFallback(env, vmf, entry, 'pfn-misaligned', range.pfn, len);
  if (!range.devmap) return insertFallback(env, vmf, entry, 'not-devmap', range.pfn, len);
  const ret = yield* daxInsertMappingEntry(env, mapping, index, vmf.write, entry, sector, 'pmd', 'mapped');
  if (ret === 'ENOMEM') return insertFallback(env, vmf, entry, 'entry-insert', range.pfn, len);
  if (tracing(env))
    tracePmdInsert(
      env,
      vmf,
      mapping,
      'dax_pmd_insert_mapping',
      range.pfn,
      range.devmap,
      len,
      kernelEntryHex(ret),
    );
  // vmf_insert_pfn_pmd: writable for a write fault in every profile.
  yield* insertPfnPmd(env, vmf.proc, vmf.vaddr, range.pfn, vmf.write, 'dax', false);
  return { entry: ret, outcome: 'NOPAGE' };
}

/** dax_pmd_insert_mapping_fallback: the entry stays as grabbed, the reason goes up. */
function insertFallback(
  env: DaxEnv,
  vmf: VmFault,
  entry: MappingItem,
  outcome: FallbackReason,
  pfn: number,
  length: number,
): PmdFill {
  if (tracing(env))
    tracePmdInsert(env, vmf, vmf.vma.file, 'dax_pmd_insert_mapping_fallback', pfn, false, length, '0x0');
  return { entry, outcome };
}

/** dax_pmd_load_hole: map the huge zero page read-only over a 2 MiB hole. M8. */
export function* daxPmdLoadHole(
  env: DaxEnv,
  vmf: VmFault,
  mapping: AddressSpace,
  index: number,
  entry: MappingItem,
): K<PmdFill> {
  const zero = env.phys.hugeZeroPfn;
  if (!(yield* env.rt.alloc('huge-zero-page'))) {
    if (tracing(env)) traceLoadHole(env, vmf, mapping, 'dax_pmd_load_hole_fallback', -1, '0x0');
    return { entry, outcome: 'zero-page-alloc' };
  }
  const ret = yield* daxInsertMappingEntry(env, mapping, index, false, entry, 0, 'pmd', 'zero');
  if (ret === 'ENOMEM') {
    if (tracing(env)) traceLoadHole(env, vmf, mapping, 'dax_pmd_load_hole_fallback', zero, '0x0');
    return { entry, outcome: 'entry-insert' };
  }
  // Under pmd_lock, only into an empty slot (every profile).
  const check = !env.mut.op('skip-recheck', MUTATION_SITES.zeroPmdRecheck);
  const r = yield* insertPfnPmd(env, vmf.proc, vmf.vaddr, zero, false, 'zero', check);
  if (tracing(env)) {
    const name = r === 'raced' ? 'dax_pmd_load_hole_fallback' : 'dax_pmd_load_hole';
    traceLoadHole(env, vmf, mapping, name, zero, kernelEntryHex(ret));
  }
  return { entry: ret, outcome: r === 'raced' ? 'pmd-raced' : 'NOPAGE' };
}

/** dax_pmd_insert_mapping(_fallback): `length` is what the device mapped (0 before it was asked). */
function tracePmdInsert(
  env: DaxEnv,
  vmf: VmFault,
  mapping: AddressSpace,
  name: string,
  pfn: number,
  devmap: boolean,
  length: number,
  radixEntry: string,
): void {
  traceModel(env, name, 'M7', {
    ino: mapping.host.ino,
    shared: vmf.vma.shared,
    write: vmf.write,
    address: vmf.vaddr,
    length,
    pfn,
    devmap,
    radix_entry: radixEntry,
  });
}

/** dax_pmd_load_hole(_fallback): `zeroPfn` -1 when there was no huge zero page (NULL). */
function traceLoadHole(
  env: DaxEnv,
  vmf: VmFault,
  mapping: AddressSpace,
  name: string,
  zeroPfn: number,
  radixEntry: string,
): void {
  traceModel(env, name, 'M8', {
    ino: mapping.host.ino,
    shared: vmf.vma.shared,
    address: vmf.vaddr,
    zero_page: zeroPfn,
    radix_entry: radixEntry,
  });
}
