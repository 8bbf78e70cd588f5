/**
 * The fs_dax tracepoints as each kernel version had them: which events exist per profile and
 * each event's TP_printk over the fields the model emits (kernel-versions.md §4).
 *
 * Invariants: a format prints the fields in the kernel's order with the kernel's conversions
 * (`%#lx`: unsigned hex with 0x, never negative; flags through __print_flags tables);
 * `radix_entry` is emitted in the kernel's encoding (entry.ts, kernelEntryHex); values the
 * kernel printed uninitialised (the pfn of an early _fallback) print as 0.
 */
import { MAX_INDEX } from '../lib/radix-tree.js';
import { PAGE_SIZE } from '../mm/units.js';
import type { ProfileName } from '../version/profiles.js';

/** pmem0's device number: the blkext major 259, minor 0. */
const DEV = '259:0';

type Fields = Readonly<Record<string, string | number | boolean>>;

/** `%#lx`: unsigned hex with 0x; the model's all-ones index prints as the kernel's 64-bit one. */
export function hexU(v: string | number | boolean | undefined): string {
  if (typeof v === 'string') return v;
  if (typeof v !== 'number' || !Number.isFinite(v)) return '0x0';
  // pgoff_t's all ones is MAX_INDEX in the model (a double holds 52 bits): printed as 64 bits.
  if (v === MAX_INDEX) return '0xffffffffffffffff';
  return v < 0 ? `0x${(BigInt.asUintN(64, BigInt(Math.trunc(v)))).toString(16)}` : `0x${v.toString(16)}`;
}

/** vmf->address: the faulting address, page aligned. */
function address(f: Fields): string {
  const a = typeof f.address === 'number' ? f.address - (f.address % PAGE_SIZE) : 0;
  return hexU(a);
}

function shared(f: Fields): string {
  return f.shared ? 'shared' : 'private';
}

/** __print_flags(vmf->flags, FAULT_FLAG_TRACE) of a user fault from the x86 handler. */
function faultFlags(f: Fields): string {
  const names: string[] = [];
  if (f.write) names.push('WRITE');
  if (f.mkwrite) names.push('MKWRITE');
  names.push('ALLOW_RETRY', 'KILLABLE', 'USER');
  return names.join('|');
}

/** __print_flags(result, VM_FAULT_RESULT_TRACE); 0 prints nothing. */
function faultResult(f: Fields): string {
  const r = typeof f.result === 'string' ? f.result : '';
  if (r === '') return '';
  return f.major === true ? `MAJOR|${r}` : r;
}

function pmdFault(f: Fields): string {
  return (
    `dev ${DEV} ino ${hexU(f.ino)} ${shared(f)} ${faultFlags(f)} address ${address(f)} ` +
    `vm_start ${hexU(f.vm_start)} vm_end ${hexU(f.vm_end)} pgoff ${hexU(f.pgoff)} max_pgoff ${hexU(f.max_pgoff)} ${faultResult(f)}`
  );
}

/** `%p` of the huge zero page's struct page (a vmemmap address), or (null). */
function pagePointer(pfn: string | number | boolean | undefined): string {
  if (typeof pfn !== 'number' || pfn < 0) return '(null)';
  return (0xffffea0000000000n + BigInt(pfn) * 64n).toString(16);
}

function loadHole(f: Fields): string {
  return `dev ${DEV} ino ${hexU(f.ino)} ${shared(f)} address ${address(f)} zero_page ${pagePointer(f.zero_page)} radix_entry ${hexU(f.radix_entry)}`;
}

function pmdInsert(f: Fields): string {
  return (
    `dev ${DEV} ino ${hexU(f.ino)} ${shared(f)} ${f.write ? 'write' : 'read'} address ${address(f)} ` +
    `length ${hexU(f.length)} pfn ${hexU(f.pfn)} ${f.devmap ? 'DEV|MAP' : 'DEV'} radix_entry ${hexU(f.radix_entry)}`
  );
}

function pteFault(f: Fields): string {
  return `dev ${DEV} ino ${hexU(f.ino)} ${shared(f)} ${faultFlags(f)} address ${address(f)} pgoff ${hexU(f.pgoff)} ${faultResult(f)}`;
}

function writebackRange(f: Fields): string {
  return `dev ${DEV} ino ${hexU(f.ino)} pgoff ${hexU(f.start_index)}-${hexU(f.end_index)}`;
}

/** TP_printk of every fs_dax event the model emits. */
export const FS_DAX_FORMATS: Readonly<Record<string, (f: Fields) => string>> = {
  dax_pmd_fault: pmdFault,
  dax_pmd_fault_done: pmdFault,
  dax_pmd_load_hole: loadHole,
  dax_pmd_load_hole_fallback: loadHole,
  dax_pmd_insert_mapping: pmdInsert,
  dax_pmd_insert_mapping_fallback: pmdInsert,
  dax_pte_fault: pteFault,
  dax_pte_fault_done: pteFault,
  dax_load_hole: pteFault,
  dax_pfn_mkwrite_no_entry: pteFault,
  dax_pfn_mkwrite: pteFault,
  dax_insert_mapping: (f) =>
    `dev ${DEV} ino ${hexU(f.ino)} ${shared(f)} ${f.write ? 'write' : 'read'} address ${address(f)} radix_entry ${hexU(f.radix_entry)}`,
  dax_writeback_range: writebackRange,
  dax_writeback_range_done: writebackRange,
  dax_writeback_one: (f) => `dev ${DEV} ino ${hexU(f.ino)} pgoff ${hexU(f.pgoff)} pglen ${hexU(f.pglen)}`,
};

/** The PMD events of v4.11 ("dax: add tracepoints to dax_pmd_insert_mapping()" and siblings). */
const V4_11 = [
  'dax_pmd_fault',
  'dax_pmd_fault_done',
  'dax_pmd_load_hole',
  'dax_pmd_load_hole_fallback',
  'dax_pmd_insert_mapping',
  'dax_pmd_insert_mapping_fallback',
];
/** v4.12 adds the 4 KiB fault, mkwrite, insert and writeback events. */
const V4_12 = [
  ...V4_11,
  'dax_pte_fault',
  'dax_pte_fault_done',
  'dax_load_hole',
  'dax_pfn_mkwrite_no_entry',
  'dax_pfn_mkwrite',
  'dax_insert_mapping',
  'dax_writeback_range',
  'dax_writeback_range_done',
  'dax_writeback_one',
];

/** The fs_dax events each profile's kernel had (none before 4.11; `fixed` keeps 4.13's names). */
export const FS_DAX_EVENTS: Readonly<Record<ProfileName, ReadonlySet<string>>> = {
  seed: new Set(),
  '4.10': new Set(),
  '4.11': new Set(V4_11),
  '4.12': new Set(V4_12),
  '4.13': new Set(V4_12),
  fixed: new Set(V4_12),
};
