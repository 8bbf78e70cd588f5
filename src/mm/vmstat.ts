/**
 * vm event counters of the fault path (the kernel's /proc/vmstat lines the seed touches,
 * plus the per-reason split of THP_FAULT_FALLBACK that design.md asks for).
 *
 * Invariants: `fallback` equals the sum of `fallbackReasons`; `pmd` counts 2 MiB faults that
 * did not fall back, `pte` every 4 KiB fault handler call (a fallback's retry included).
 * The reason names belong to the handler that falls back (src/dax/fallback.ts); mm only
 * counts them.
 */

/** Counters of one World (count_vm_event). */
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
  /** THP_FAULT_FALLBACK split by reason; only reasons counted at least once have a key. */
  readonly fallbackReasons: Record<string, number> = {};

  /** count_vm_event(THP_FAULT_FALLBACK) with the reason. */
  countFallback(reason: string): void {
    this.fallback++;
    this.fallbackReasons[reason] = (this.fallbackReasons[reason] ?? 0) + 1;
  }

  /** The counted reasons, in `order` (unknown ones last, by name). */
  nonZeroReasons(order: readonly string[] = []): Record<string, number> {
    const rank = (r: string) => {
      const i = order.indexOf(r);
      return i < 0 ? order.length : i;
    };
    const keys = Object.keys(this.fallbackReasons).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
    const out: Record<string, number> = {};
    for (const k of keys) out[k] = this.fallbackReasons[k]!;
    return out;
  }
}
