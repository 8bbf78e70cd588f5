/**
 * An invariant violation (checker.md V1-V7): which invariant, and a precise message naming
 * the mapping, index, entry, process, address, or bytes involved.
 */
/**
 * V1-V7 (checker.md); `oops`: the modelled kernel would crash there (a BUG_ON, a wild pointer);
 * `model`: the model itself failed (a bug of daxsim, or a mutation it cannot represent).
 */
export type InvariantId = 'V1' | 'V2' | 'V3' | 'V4' | 'V5' | 'V6' | 'V7' | 'oops' | 'model';

export interface Violation {
  invariant: InvariantId;
  message: string;
}
