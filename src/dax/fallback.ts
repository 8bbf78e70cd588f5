/**
 * Why a 2 MiB fault fell back to 4 KiB (design.md: one name per branch of M1-M9).
 *
 * Invariant: every fallback increments THP_FAULT_FALLBACK and exactly one reason counter.
 */
export const FALLBACK_REASONS = [
  'cow-write', // M1
  'vma-bounds', // M2
  'colour', // M3
  'file-size', // M4
  'entry-conflict', // M5
  'iomap-error', // M6
  'short-extent', // M6
  'device-error', // M7
  'device-short', // M7
  'pfn-misaligned', // M7
  'not-devmap', // M7
  'entry-insert', // M7
  'hole-write', // M8
  'zero-page-alloc', // M8
  'pmd-raced', // M8
  'iomap-end', // M9
] as const;

/** One named fallback reason. */
export type FallbackReason = (typeof FALLBACK_REASONS)[number];

/** The rule id each reason implements, for traces and reports. */
export const FALLBACK_RULE: Readonly<Record<FallbackReason, string>> = {
  'cow-write': 'M1',
  'vma-bounds': 'M2',
  colour: 'M3',
  'file-size': 'M4',
  'entry-conflict': 'M5',
  'iomap-error': 'M6',
  'short-extent': 'M6',
  'device-error': 'M7',
  'device-short': 'M7',
  'pfn-misaligned': 'M7',
  'not-devmap': 'M7',
  'entry-insert': 'M7',
  'hole-write': 'M8',
  'zero-page-alloc': 'M8',
  'pmd-raced': 'M8',
  'iomap-end': 'M9',
};
