/**
 * Sleep sets (Godefroid 1996) for the bounded dfs (X1): the independence relation over step
 * footprints and the sleep-set bookkeeping the dfs scheduler does at each step.
 *
 * Two transitions (next steps of different tasks from one state) are independent when their
 * footprints, the shared-object keys each step touched (`Runtime.lastFootprint`), are
 * disjoint and neither contains `*` (an exit, a spawn, or an injected-failure choice inside
 * the step). A footprint that is unknown (`GLOBAL`) is dependent on everything.
 *
 * Invariants: a sleep set only ever holds tasks whose next step from the current state was
 * already explored from an ancestor state, with that step's footprint; an entry leaves the
 * set as soon as its task runs or a dependent step runs. Dropping entries is always sound
 * (the search only explores more), so any unknown case drops. Sleep-set arrays are never
 * changed once built (frames share them), so a function here may return its argument.
 */

/** A footprint: the keys a step touched, or GLOBAL when unknown / dependent on everything. */
export type Footprint = ReadonlySet<string> | 'global';

/** The footprint that conflicts with every other one. */
export const GLOBAL: Footprint = 'global';

/** One sleeping transition: `task`'s next step, explored elsewhere, with its footprint. */
export interface SleepEntry {
  task: number;
  fp: Footprint;
}

/** Whether two steps of different tasks commute (disjoint footprints, neither global). */
export function independent(a: Footprint, b: Footprint): boolean {
  if (a === 'global' || b === 'global' || a.has('*') || b.has('*')) return false;
  const small = a.size <= b.size ? a : b;
  const large = small === a ? b : a;
  for (const k of small) if (large.has(k)) return false;
  return true;
}

/** The sleep set after `task` ran a step with footprint `fp`: the entries it cannot disturb. */
export function afterStep(sleep: readonly SleepEntry[], task: number, fp: Footprint): readonly SleepEntry[] {
  // Most steps run with an empty sleep set or disturb nothing in it: share the array then.
  for (let i = 0; i < sleep.length; i++) {
    const e = sleep[i]!;
    if (e.task === task || !independent(e.fp, fp)) {
      return sleep.filter((x) => x.task !== task && independent(x.fp, fp));
    }
  }
  return sleep;
}

/** Whether `task` sleeps in `sleep`. */
export function sleeps(sleep: readonly SleepEntry[], task: number): boolean {
  for (const e of sleep) if (e.task === task) return true;
  return false;
}

/** `sleep` plus `extra`, one entry per task (an entry in `extra` wins: it is the fresher one). */
export function withEntries(
  sleep: readonly SleepEntry[],
  extra: readonly SleepEntry[],
): readonly SleepEntry[] {
  if (extra.length === 0) return sleep;
  return [...sleep.filter((e) => !sleeps(extra, e.task)), ...extra];
}

/** The footprint of a step as the runtime reports it (a fresh set per step; null = unknown). */
export function footprintOf(fp: ReadonlySet<string> | null): Footprint {
  return fp ?? GLOBAL;
}
