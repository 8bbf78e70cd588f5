/**
 * The one pseudo-random generator of the simulator (S2, S4, S6).
 *
 * Invariants:
 * - Fully determined by its seed: the same seed gives the same sequence on every platform.
 * - Mutable and allocation-free per draw; `fork()` derives an independent child stream
 *   deterministically (it consumes one draw of the parent).
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** Seeded PRNG (xoroshiro128+ from pure-rand). */
export class Prng {
  readonly seed: number;
  private readonly gen: JumpableRandomGenerator;

  /** A generator for an integer seed (any safe integer; only its low 32 bits matter). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Prng: seed ${seed} must be a safe integer`);
    this.seed = seed;
    this.gen = xoroshiro128plus(seed | 0);
  }

  /** A uniform integer in 0..n-1 (n a positive integer up to 2^32). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x1_0000_0000) {
      throw new RangeError(`Prng.int: bound ${n} must be an integer in 1..2^32`);
    }
    return n === 1 ? 0 : uniformInt(this.gen, 0, n - 1);
  }

  /** A uniform float in [0, 1) with 32 bits of randomness. */
  float(): number {
    return (this.gen.next() >>> 0) / 0x1_0000_0000;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.float() < p;
  }

  /** A child generator seeded from this one (consumes one draw). */
  fork(): Prng {
    return new Prng(this.gen.next());
  }
}
