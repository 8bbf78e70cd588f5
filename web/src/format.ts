/** Number formatting shared by the panels. */

/** `0x` and lowercase hex digits. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** 2 MiB in bytes. */
export const PMD_BYTES = 2 * 1024 * 1024;
/** 4 KiB in bytes. */
export const PAGE_BYTES = 4096;
/** PTEs per table (and 4 KiB pages per 2 MiB block). */
export const PTES_PER_TABLE = 512;

/** A list shown whole up to `max` items; the rest counted. */
export function capped<T>(xs: readonly T[], max: number): { shown: readonly T[]; more: number } {
  return xs.length <= max ? { shown: xs, more: 0 } : { shown: xs.slice(0, max), more: xs.length - max };
}
