/**
 * Hand-written kernel tasks that hold an entry locked, the way a fault or writeback would
 * between grabbing and putting it, so tests can line other tasks up behind it.
 *
 * Invariants: a holder releases exactly what it grabbed, through the model's own put
 * (L4); waiting is a bounded busy-yield (never an unbounded loop), so a test whose
 * condition never comes true fails with a message instead of hanging. Busy-yielding tasks
 * need a scheduler that rotates (RoundRobinScheduler), not run-to-completion.
 */
import type { AddressSpace } from '../../src/dax/address-space.js';
import type { EntrySize, MappingItem } from '../../src/dax/entry.js';
import { putLockedMappingEntry } from '../../src/dax/entry-lock.js';
import type { DaxEnv } from '../../src/dax/env.js';
import { type GrabResult, grabMappingEntry, isGrabError } from '../../src/dax/grab.js';
import type { K } from '../../src/sim/types.js';
import type { WaitTable } from '../../src/sim/wait-table.js';

/** Steps a holder yields before it gives up on its condition. */
export const HOLD_LIMIT = 100_000;

/** Yield until `cond()` holds (throws after HOLD_LIMIT yields, naming `what`). */
export function* yieldUntil(cond: () => boolean, what: string): K<void> {
  for (let n = 0; !cond(); n++) {
    if (n >= HOLD_LIMIT) throw new Error(`gave up after ${HOLD_LIMIT} steps waiting for ${what}`);
    yield 'test:hold';
  }
}

/** grabMappingEntry that must succeed: a grab error (EEXIST, ENOMEM) ends the task by throwing. */
export function* grabbed(env: DaxEnv, mapping: AddressSpace, index: number, size: EntrySize): K<MappingItem> {
  const got = yield* grabMappingEntry(env, mapping, index, size);
  if (isGrabError(got)) throw new Error(got);
  return got;
}

/**
 * grabMappingEntry (must succeed), run `body` (a generator, or a plain function that does not
 * yield) while holding the entry, then put it (L4): the hand-held entry other tasks queue behind.
 */
export function* holding(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  size: EntrySize,
  body: (entry: MappingItem) => K<void> | void,
): K<void> {
  const got = yield* grabbed(env, mapping, index, size);
  const steps = body(got);
  if (steps !== undefined) yield* steps;
  yield* putLockedMappingEntry(env, mapping, index, got);
}

/** Yield until exactly `n` tasks sleep on the entry key (mapping, index) (L2). */
export function* untilWaiters(
  env: { readonly waitTable: WaitTable },
  mapping: AddressSpace,
  index: number,
  n: number,
  what: string,
): K<void> {
  yield* yieldUntil(() => waitersOn(env.waitTable, mapping, index) === n, what);
}

/** grabMappingEntry, hold the entry until `release()` holds, then put it (L4). */
export function* holdEntry(
  env: DaxEnv,
  mapping: AddressSpace,
  index: number,
  size: EntrySize,
  release: () => boolean,
): K<GrabResult> {
  const got = yield* grabMappingEntry(env, mapping, index, size);
  if (isGrabError(got)) return got;
  yield* yieldUntil(release, `release of ${mapping.name} index 0x${index.toString(16)}`);
  yield* putLockedMappingEntry(env, mapping, index, got);
  return got;
}

/** How many tasks sleep on the entry key (mapping, index) (L2). */
export function waitersOn(table: WaitTable, mapping: AddressSpace, index: number): number {
  return table.waitersFor({ mapping, index });
}
