/**
 * Finished kernel code: a `K<T>` that has already run to completion and returns its value
 * at the first `next()`, without a generator behind it.
 *
 * Primitives hand these back from their uncontended fast paths (a free lock when the point
 * before it would be elided, an allocation that cannot fail or be chosen), so `yield*` on
 * them costs a method call instead of a generator's creation and resumption. The caller
 * cannot tell the difference: a `K<T>` that would not have yielded behaves the same either
 * way (S1: only yields are scheduling points).
 *
 * Invariants: never mutated after construction (by convention: freezing costs more than the
 * generator it replaces); every `next()` answers the same `{ done: true, value }`, so the
 * shared singletons carry no state between callers.
 */
import type { K, Point } from './types.js';

class Done<T> implements Generator<Point, T, void> {
  // Not frozen: freezing costs more than the generator it replaces. Nothing writes it.
  private readonly result: IteratorReturnResult<T>;

  constructor(value: T) {
    this.result = { done: true, value };
  }

  next(): IteratorResult<Point, T> {
    return this.result;
  }

  return(value: T): IteratorResult<Point, T> {
    return { done: true, value };
  }

  throw(e: unknown): IteratorResult<Point, T> {
    throw e;
  }

  [Symbol.iterator](): Generator<Point, T, void> {
    return this;
  }

  [Symbol.dispose](): void {}
}

/** A `K<void>` that has already returned. */
export const DONE: K<void> = new Done<void>(undefined);
/** A `K<boolean>` that has already returned true. */
export const DONE_TRUE: K<boolean> = new Done(true);
/** A `K<boolean>` that has already returned false. */
export const DONE_FALSE: K<boolean> = new Done(false);

/** A `K<T>` that has already returned `value` (one small object, no generator). */
export function done<T>(value: T): K<T> {
  return new Done(value);
}
