/**
 * Merging the unit reports of workers and shards into the sequential answer (X2, X4).
 *
 * Walk the units in ordinal order (after the dfs root): add up executions until the first
 * violating unit (its index inside counts too), the budget, or a unit that did not finish.
 * Because a unit's outcome does not depend on who ran it, the answer is the one a single
 * worker would give, whatever the number of workers.
 *
 * Invariant: `exhausted` only for dfs, only when every unit of the space is present and
 * complete, nothing was capped, the budget was not reached and no violation was found.
 */
import type { ExecutionOutcome, PartialResult, ResolvedOptions, UnitReport } from './types.js';

/** The merged sequential view. */
export interface Merged {
  executions: number;
  distinctSchedules: number;
  exhausted: boolean;
  timedOut: boolean;
  violation: { outcome: ExecutionOutcome; foundAt: number } | null;
}

/**
 * Partial results of one exploration as one: units in ordinal order (a unit reported twice
 * counts once, the later report), the first root, the largest unit count, timed out if any was.
 */
export function joinPartials(parts: readonly PartialResult[]): PartialResult {
  const byOrdinal = new Map<number, UnitReport>();
  let root: UnitReport | null = null;
  let unitCount = 0;
  let timedOut = false;
  for (const p of parts) {
    for (const u of p.units) byOrdinal.set(u.ordinal, u);
    root ??= p.root;
    unitCount = Math.max(unitCount, p.unitCount);
    timedOut ||= p.timedOut;
  }
  const units = [...byOrdinal.values()].sort((a, b) => a.ordinal - b.ordinal);
  return { units, unitCount, root, timedOut };
}

/** Merge partial results of the same exploration (workers of one run, or shards). */
export function mergePartials(parts: readonly PartialResult[], o: ResolvedOptions): Merged {
  const { units, unitCount, root, timedOut } = joinPartials(parts);
  const hashes = new Set<number>();
  let executions = 0;
  if (root !== null) {
    executions = 1;
    if (root.violation !== null) {
      return {
        executions,
        distinctSchedules: 1,
        exhausted: false,
        timedOut,
        violation: { outcome: root.violation, foundAt: 0 },
      };
    }
  }
  const isDfs = o.strategy === 'dfs';
  let complete = true;
  for (const u of units) {
    const left = o.executions - executions;
    if (left <= 0) {
      complete = false;
      break;
    }
    if (u.violation !== null && u.violationAt !== null && u.violationAt < left) {
      const foundAt = executions + u.violationAt;
      for (const h of u.hashes) hashes.add(h);
      return {
        executions: foundAt + 1,
        distinctSchedules: isDfs ? foundAt + 1 : hashes.size,
        exhausted: false,
        timedOut,
        violation: { outcome: u.violation, foundAt },
      };
    }
    if (u.executions > left) {
      executions += left;
      complete = false;
      break;
    }
    executions += u.executions;
    for (const h of u.hashes) hashes.add(h);
    if (!u.complete || u.capped) {
      complete = false;
      break;
    }
  }
  const covered = o.shard.count === 1 ? units.length === unitCount : true;
  return {
    executions,
    distinctSchedules: isDfs ? executions : hashes.size,
    exhausted: isDfs && complete && covered && !timedOut,
    timedOut,
    violation: null,
  };
}
