/**
 * Argument validation of the radix tree's public API: misuse (a broken precondition) throws
 * a RangeError or TypeError with a precise message; expected failures are never thrown here.
 *
 * Invariant: every public RadixTree method validates all its arguments before it changes
 * anything, so a throwing call leaves the tree untouched.
 */
import { INDEX_LIMIT, MAX_ORDER, Sibling } from './radix-tree-node.js';

/** Throw RangeError unless `index` is an integer in [0, 2^52). */
export function checkIndex(index: number, what: string): void {
  if (!(Number.isInteger(index) && index >= 0 && index < INDEX_LIMIT)) {
    throw new RangeError(`radix tree: ${what} ${index} is not an integer in [0, 2^52)`);
  }
}

/** Throw RangeError unless `tag` is 0, 1 or 2. */
export function checkTag(tag: number): void {
  if (!(tag === 0 || tag === 1 || tag === 2)) {
    throw new RangeError(`radix tree: tag ${tag} is not one of 0 (DIRTY), 1 (TOWRITE), 2 (SPARE)`);
  }
}

/** Throw RangeError unless `max` is a non-negative integer or Infinity. */
export function checkMax(max: number): void {
  if (!(max >= 0 && (Number.isInteger(max) || max === Number.POSITIVE_INFINITY))) {
    throw new RangeError(`radix tree: max ${max} is not a non-negative integer`);
  }
}

/** Throw RangeError if `last` is NaN (any other number bounds a range; >= 2^52 means "to the end"). */
export function checkLast(last: number): void {
  if (Number.isNaN(last)) throw new RangeError('radix tree: last is NaN');
}

/** Throw RangeError / TypeError unless (index, order, item) can be inserted (alignment, bounds). */
export function checkInsert(index: number, order: number, item: unknown): void {
  checkIndex(index, 'index');
  if (!(Number.isInteger(order) && order >= 0 && order <= MAX_ORDER)) {
    throw new RangeError(`radix tree: order ${order} is not an integer in [0, ${MAX_ORDER}]`);
  }
  const span = 2 ** order;
  // The integer test first: `%` on the double `span` is an fmod call, slow on this hot path.
  const aligned = index >>> 0 === index && order < 31 ? (index & (span - 1)) === 0 : index % span === 0;
  if (!aligned) {
    throw new RangeError(`radix tree: index ${index} is not aligned to order ${order} (multiple of ${span})`);
  }
  // No end check needed: 2^52 is a multiple of every span, so an aligned index below it ends by it.
  checkItem(item);
}

/** Throw TypeError for undefined (it means "empty slot") or a tree-internal marker. */
export function checkItem(item: unknown): void {
  if (item === undefined || item instanceof Sibling) {
    throw new TypeError('radix tree: an item must be defined and not a tree-internal sibling marker');
  }
}
