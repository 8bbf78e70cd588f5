/**
 * The runtime's fast path (src/sim: a point, an allocation or an uncontended lock hands back a
 * finished step when no other task could be picked) must be invisible: the same kernel
 * operations in the same order as when every point is a real step. With elision off every
 * point yields, so no finished step is handed out; under run-to-completion both runs take the
 * same decisions, so everything but the step clock must match.
 */
import { describe, expect, it } from 'vitest';
import { RunToCompletionScheduler } from '../../src/sim/scheduler.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { runScenario } from '../../src/workload/run.js';
import { listBuiltinScenarios, loadScenario } from '../../src/workload/scenario/load.js';

/** The kernel-visible events, without the clock (elision changes step numbers only). */
function kernelEvents(events: readonly TraceEvent[]): unknown[] {
  const out: unknown[] = [];
  for (const e of events) {
    if (e.type === 'point' || e.type === 'state') continue;
    const { step: _step, ...rest } = e as TraceEvent & { step: number };
    out.push(rest);
  }
  return out;
}

function run(name: string, elide: boolean) {
  const r = runScenario(loadScenario(`builtin:${name}`), {
    scheduler: new RunToCompletionScheduler(),
    trace: true,
    elideForcedPoints: elide,
    maxSteps: 200_000,
  });
  return {
    events: kernelEvents(r.world.rt.trace.events),
    counters: JSON.stringify(r.world.counters),
    outcomes: r.outcomes,
    violations: r.violations.map((v) => v.message),
  };
}

const SMALL = listBuiltinScenarios()
  .map((s) => s.name)
  .filter((n) => !n.startsWith('seq-64g'));

describe('fast paths are the generator paths (S1, S6, L1-L5, G1-G5, D1-D4)', () => {
  it.each(SMALL)(
    '%s: elision on and off give the same locks, allocations, wake-ups and model events',
    (name) => {
      const on = run(name, true);
      const off = run(name, false);
      expect(on.events.length).toBeGreaterThan(0);
      expect(on.counters).toBe(off.counters);
      expect(on.outcomes).toEqual(off.outcomes);
      expect(on.violations).toEqual(off.violations);
      expect(on.events).toEqual(off.events);
    },
  );
});
