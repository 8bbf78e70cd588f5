/**
 * The registry of benchmark suites that `bench/main.ts` runs, in this order.
 *
 * Invariant: suite names are unique (main.ts refuses duplicates). To add a suite, import it
 * and append it to the array: one line each.
 */
import type { Suite } from '../harness.js';
import { checkerSuite } from './checker.js';
import { faultsSuite } from './faults.js';
import { ioSuite } from './io.js';
import { radixTreeSuite } from './radix-tree.js';
import { schedSuite } from './sched.js';
import { sparseTouchPmdSuite, sparseTouchPteSuite } from './sparse-touch.js';

/** Every registered suite. */
export const suites: Suite[] = [
  radixTreeSuite,
  schedSuite,
  faultsSuite,
  ioSuite,
  checkerSuite,
  sparseTouchPmdSuite,
  sparseTouchPteSuite,
];
