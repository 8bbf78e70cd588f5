/**
 * The run report (design.md's `--json` contract): faults by size and fallback reason, entries
 * by kind, page-table use, memory, task outcomes, violations and expect failures.
 *
 * Invariant: a pure function of the RunResult, so the same run gives the same report bytes.
 */

import { entryKind } from '../dax/entry.js';
import { FALLBACK_REASONS } from '../dax/fallback.js';
import { MAX_INDEX } from '../lib/radix-tree.js';
import type { Violation } from '../verify/violation.js';
import type { ExpectFailure, TaskOutcome } from './ops.js';
import type { RunResult } from './run.js';
import type { ExpectSpec } from './scenario/types.js';
import type { World } from './world.js';

export interface Report {
  scenario: string;
  description: string;
  seed: number;
  /** The kernel profile run (version/profiles.ts) and the switch values set on top of it. */
  profile: string;
  switches: Record<string, string>;
  mutations: string[];
  faults: {
    pmd: number;
    pte: number;
    fallback: number;
    major: number;
    cow: number;
    sigbus: number;
    mkwrite: number;
    fallbackReasons: Record<string, number>;
  };
  entries: { pte: number; pmd: number; zero: number; empty: number; holePages: number };
  pageTables: { hugePmds: number; ptes: number; pteTables: number };
  memory: { deviceBytes: number; ramPages: number; pageTableBytes: number; treeNodes: number };
  tasks: Record<string, TaskOutcome>;
  steps: number;
  schedule: string;
  crashed: boolean;
  violations: Violation[];
  expectFailures: ExpectFailure[];
}

/** Entries by kind over every file, as `expect.entries` counts them. */
export function countEntries(world: World): Report['entries'] {
  const c = { pte: 0, pmd: 0, zero: 0, empty: 0, holePages: 0 };
  for (const mapping of world.files.values()) {
    mapping.tree.forEach(0, MAX_INDEX, (_index, _order, item) => {
      const k = entryKind(item);
      if (k === 'hole-page') c.holePages++;
      else if (k === 'pte') c.pte++;
      else if (k === 'pmd') c.pmd++;
      else if (k === 'pmd-zero') c.zero++;
      else c.empty++;
    });
  }
  return c;
}

/** Page-table use summed over processes. */
export function countPageTables(world: World): Report['pageTables'] {
  const c = { hugePmds: 0, ptes: 0, pteTables: 0 };
  for (const p of world.processes.values()) {
    const pt = p.mm.pageTable;
    c.hugePmds += pt.hugePmds;
    c.ptes += pt.ptes;
    c.pteTables += pt.pteTables;
  }
  return c;
}

function expectFailuresOf(spec: ExpectSpec | undefined, r: Omit<Report, 'expectFailures'>): ExpectFailure[] {
  const out: ExpectFailure[] = [];
  if (spec === undefined) return out;
  const cmp = (what: string, expected: number | string, found: number | string) => {
    if (expected !== found) out.push({ what, expected: String(expected), found: String(found) });
  };
  for (const [k, v] of Object.entries(spec.faults ?? {}))
    cmp(`faults.${k}`, v, r.faults[k as keyof Report['faults']] as number);
  for (const [k, v] of Object.entries(spec.fallbackReasons ?? {}))
    cmp(`fallbackReasons.${k}`, v, r.faults.fallbackReasons[k] ?? 0);
  for (const [k, v] of Object.entries(spec.entries ?? {}))
    cmp(`entries.${k}`, v, r.entries[k as keyof Report['entries']]);
  for (const [k, v] of Object.entries(spec.pageTables ?? {}))
    cmp(`pageTables.${k}`, v, r.pageTables[k as keyof Report['pageTables']]);
  for (const [k, v] of Object.entries(spec.tasks ?? {})) cmp(`tasks.${k}`, v, r.tasks[k] ?? 'missing');
  if (spec.violations !== undefined) cmp('violations', spec.violations, r.violations.length);
  return out;
}

/** The report of a run, with the scenario's `expect` counts checked. */
export function buildReport(run: RunResult): Report {
  const w = run.world;
  const c = w.counters;
  let pageTableBytes = 0;
  for (const p of w.processes.values()) pageTableBytes += p.mm.pageTable.bytesUsed;
  let treeNodes = 0;
  for (const m of w.files.values()) treeNodes += m.tree.nodes;
  const base: Omit<Report, 'expectFailures'> = {
    scenario: run.scenario.name,
    description: run.scenario.description,
    seed: run.seed,
    profile: w.kernel.profile,
    switches: { ...w.overrides },
    mutations: [...w.mutations],
    faults: {
      pmd: c.pmd,
      pte: c.pte,
      fallback: c.fallback,
      major: c.major,
      cow: c.cow,
      sigbus: c.sigbus,
      mkwrite: c.mkwrite,
      fallbackReasons: c.nonZeroReasons(FALLBACK_REASONS),
    },
    entries: countEntries(w),
    pageTables: countPageTables(w),
    memory: {
      deviceBytes: w.dev.bytesAllocated,
      ramPages: w.phys.pagesInUse,
      pageTableBytes,
      treeNodes,
    },
    tasks: run.outcomes,
    steps: run.steps,
    schedule: run.schedule,
    crashed: run.crashed,
    violations: run.violations,
  };
  return { ...base, expectFailures: [...run.expectFailures, ...expectFailuresOf(run.scenario.expect, base)] };
}
