/**
 * Driving a World directly from hand-written kernel tasks: build one with small defaults,
 * spawn generator tasks, do user loads and stores through the page tables, run to
 * quiescence and check the invariants.
 *
 * Invariants: the default scheduler is run-to-completion, so a test that spawns one task at a
 * time is sequential and deterministic; tests that need an interleaving pass a scheduler
 * (RoundRobinScheduler, ReplayScheduler) explicitly. Nothing here changes model state except
 * through the model's own functions.
 */

import type { AddressSpace } from '../../src/dax/address-space.js';
import { type AccessResult, userAccess } from '../../src/mm/access.js';
import type { Process } from '../../src/mm/process.js';
import type { Vma } from '../../src/mm/vma.js';
import type { RunOutcome } from '../../src/sim/runtime-types.js';
import { RunToCompletionScheduler } from '../../src/sim/scheduler.js';
import type { Task } from '../../src/sim/task.js';
import type { K } from '../../src/sim/types.js';
import { checkV1, checkV2, checkV7 } from '../../src/verify/locks.js';
import { checkV4 } from '../../src/verify/page-tables.js';
import { checkV3 } from '../../src/verify/tree.js';
import type { Violation } from '../../src/verify/violation.js';
import { World, type WorldOptions } from '../../src/workload/world.js';
import { dataFile, P_WHOLE } from './fixtures.js';

/** World options with defaults: one sparse 4 MiB file `data`, process `p` mapping it whole as `m`. */
export function worldOptions(opts: Partial<WorldOptions> = {}): WorldOptions {
  return {
    files: dataFile(),
    processes: [P_WHOLE],
    scheduler: new RunToCompletionScheduler(),
    ...opts,
  };
}

/** A World built from `worldOptions(opts)`. */
export function makeWorld(opts: Partial<WorldOptions> = {}): World {
  return new World(worldOptions(opts));
}

/** The VMA named `map` in process `proc` (throws when absent). */
export function vmaOf(world: World, proc: string, map: string): Vma<AddressSpace> {
  const vma = world.vma(world.process(proc), map);
  if (vma === undefined) throw new Error(`no mapping ${map} in process ${proc}`);
  return vma;
}

/** The virtual address of byte `offset` of mapping `map` of process `proc`. */
export function vaddrOf(world: World, proc: string, map: string, offset = 0): number {
  return vmaOf(world, proc, map).start + offset;
}

/** What a hand-written load returns: the bytes, or the signal that ended it. */
export type LoadResult = Uint8Array | Exclude<AccessResult, 'ok'>;

/** A user load of `length` bytes at `vaddr` in `proc` (faults as the hardware would). */
export function* load(world: World, proc: Process, vaddr: number, length: number): K<LoadResult> {
  const buf = new Uint8Array(length);
  const r = yield* userAccess(world, proc, vaddr, buf, false);
  return r === 'ok' ? buf : r;
}

/** A user store of `data` at `vaddr` in `proc`. */
export function* store(
  world: World,
  proc: Process,
  vaddr: number,
  data: Uint8Array | string,
): K<AccessResult> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return yield* userAccess(world, proc, vaddr, bytes, true);
}

/** A load through mapping `map` of `proc` at mapping offset `offset`. */
export function* loadMap(
  world: World,
  proc: string,
  map: string,
  offset: number,
  length: number,
): K<LoadResult> {
  return yield* load(world, world.process(proc), vaddrOf(world, proc, map, offset), length);
}

/** A store through mapping `map` of `proc` at mapping offset `offset`. */
export function* storeMap(
  world: World,
  proc: string,
  map: string,
  offset: number,
  data: Uint8Array | string,
): K<AccessResult> {
  return yield* store(world, world.process(proc), vaddrOf(world, proc, map, offset), data);
}

/** Spawn a task in the World's runtime, runnable once every `after` task is done. */
export function spawn<T>(world: World, name: string, body: () => K<T>, after: readonly Task[] = []): Task {
  return world.rt.spawn(name, body, { after });
}

/** Run a single task body to completion on a fresh runtime step loop and return its result. */
export function runTask<T>(world: World, name: string, body: () => K<T>): T {
  const t = spawn(world, name, body);
  world.rt.run();
  if (t.error !== undefined) throw t.error;
  if (!t.done) throw new Error(`task ${name} did not finish (state ${t.state})`);
  return t.result as T;
}

/** Tasks that ended by throwing, as `model` violations (as runScenario reports them). */
export function taskErrors(world: World): Violation[] {
  const out: Violation[] = [];
  for (const t of world.rt.tasks) {
    if (t.error !== undefined)
      out.push({ invariant: 'model', message: `task ${t.name} threw: ${String(t.error)}` });
  }
  return out;
}

/** Task errors and the invariants checked at quiescence (V1-V4, V7). */
export function quiescentViolations(world: World): Violation[] {
  return [
    ...taskErrors(world),
    ...checkV1(world),
    ...checkV2(world),
    ...checkV3(world),
    ...checkV4(world),
    ...checkV7(world),
  ];
}

/** Run to quiescence; returns the outcome and the quiescent invariants. */
export function runWorld(world: World): { outcome: RunOutcome; violations: Violation[] } {
  const outcome = world.rt.run();
  return { outcome, violations: quiescentViolations(world) };
}

/** Text bytes. */
export function bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Bytes as text (for readable expectations); a signal or errno comes back as itself. */
export function text(b: Uint8Array | string): string {
  return typeof b === 'string' ? b : new TextDecoder().decode(b);
}
