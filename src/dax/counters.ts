/**
 * vm event counters of the fault path (the kernel's /proc/vmstat lines the seed touches,
 * plus the per-reason split that design.md asks for).
 *
 * Invariants: `fallback` equals the sum of `fallbackReasons`; `pmd` counts 2 MiB faults that
 * did not fall back, `pte` every 4 KiB fault handler call (a fallback's retry included).
 */
import { FALLBACK_REASONS, type FallbackReason } from './fallback.js';

/** Counters of one World. */
export class VmCounters {
  pmd = 0;
  pte = 0;
  /** THP_FAULT_FALLBACK. */
  fallback = 0;
  /** PGMAJFAULT: faults whose extent the filesystem had just allocated. */
  major = 0;
  /** Private write faults that copied a page (P4). */
  cow = 0;
  sigbus = 0;
  sigsegv = 0;
  oom = 0;
  /** dax_pfn_mkwrite calls (D4). */
  mkwrite = 0;
  /** Accesses retried after a fault returned without mapping (D2's back-off, EBUSY races). */
  retries = 0;
  readonly fallbackReasons: Record<FallbackReason, number>;

  constructor() {
    const reasons = {} as Record<FallbackReason, number>;
    for (const r of FALLBACK_REASONS) reasons[r] = 0;
    this.fallbackReasons = reasons;
  }

  /** count_vm_event(THP_FAULT_FALLBACK) with the reason. */
  countFallback(reason: FallbackReason): void {
    this.fallback++;
    this.fallbackReasons[reason]++;
  }

  /** Non-zero reasons only, in catalogue order (for reports and --json). */
  nonZeroReasons(): Partial<Record<FallbackReason, number>> {
    const out: Partial<Record<FallbackReason, number>> = {};
    for (const r of FALLBACK_REASONS) if (this.fallbackReasons[r] > 0) out[r] = this.fallbackReasons[r];
    return out;
  }
}
