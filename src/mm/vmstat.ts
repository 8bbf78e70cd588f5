/**
 * vm event counters of the fault path (the kernel's /proc/vmstat lines the seed touches,
 * plus the per-reason split of THP_FAULT_FALLBACK that design.md asks for).
 *
 * Invariants: `fallback` equals the sum of `fallbackReasons`; `pmd` counts 2 MiB faults that
 * did not fall back, `pte` every 4 KiB fault handler call (a fallback's retry included); every
 * event with a faulting VMA is counted in the World's counters and in that VMA's, so the
 * per-VMA counts sum to the World's.
 * The reason names belong to the handler that falls back (src/dax/fallback.ts); mm only
 * counts them.
 */

/**
 * The fault events the DAX handlers count: once for the whole World (VmCounters) and once for
 * the VMA that faulted (its `stats`, the report's per-mapping section), with the same meanings.
 */
export class FaultCounts {
  pmd = 0;
  pte = 0;
  /** THP_FAULT_FALLBACK. */
  fallback = 0;
  /** PGMAJFAULT: faults whose extent the filesystem had just allocated. */
  major = 0;
  /** Private write faults that copied a page (P4). */
  cow = 0;
  sigbus = 0;
  /** dax_pfn_mkwrite calls (D4). */
  mkwrite = 0;
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

/** Counters of one World (count_vm_event): the fault events plus what has no VMA to charge. */
export class VmCounters extends FaultCounts {
  sigsegv = 0;
  oom = 0;
  /** Accesses retried after a fault returned without mapping (D2's back-off, EBUSY races). */
  retries = 0;
}

/** A fault event counted for the World and for the faulting VMA alike. */
export type FaultEvent = 'pmd' | 'pte' | 'major' | 'cow' | 'sigbus' | 'mkwrite';

/** count_vm_event for `event`, charged to the World's counters and to the faulting VMA's. P8, M9. */
export function countFault(
  world: FaultCounts,
  vma: { readonly stats: FaultCounts },
  event: FaultEvent,
): void {
  world[event]++;
  vma.stats[event]++;
}

/** THP_FAULT_FALLBACK with its reason, for the World and the faulting VMA. */
export function countFallback(
  world: FaultCounts,
  vma: { readonly stats: FaultCounts },
  reason: string,
): void {
  world.countFallback(reason);
  vma.stats.countFallback(reason);
}
