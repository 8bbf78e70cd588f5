/**
 * An invariant violation (checker.md V1-V7): which invariant, and a precise message naming
 * the mapping, index, entry, process, address, or bytes involved.
 */
export type InvariantId = 'V1' | 'V2' | 'V3' | 'V4' | 'V5' | 'V6' | 'V7' | 'model';

export interface Violation {
  invariant: InvariantId;
  message: string;
}
