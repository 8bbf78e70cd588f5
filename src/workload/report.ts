/**
 * The run report (design.md's `--json` contract; docs/json.md): faults by size and fallback
 * reason, entries by kind, page-table use, each mapping's blocks and faults, memory, task
 * outcomes, violations and expect failures.
 *
 * Invariant: a pure function of the RunResult, so the same run gives the same report bytes.
 */

import { entryKind } from '../dax/entry.js';
import { MAX_INDEX } from '../lib/radix-tree.js';
import type { Violation } from '../verify/violation.js';
import type { ExpectFailure, TaskOutcome } from './ops.js';
import {
  type FaultCountsReport,
  faultCountsReport,
  type MappingReport,
  mappingReports,
} from './report-mappings.js';
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
  faults: FaultCountsReport;
  entries: { pte: number; pmd: number; zero: number; empty: number; holePages: number };
  pageTables: { hugePmds: number; ptes: number; pteTables: number };
  mappings: MappingReport[];
  memory: {
    /** Host memory holding device data: written lines of media plus unflushed cache lines. */
    deviceBytes: number;
    /** Device space the filesystem has allocated to files (blocks in use, in bytes). */
    fsBlocksBytes: number;
    ramPages: number;
    pageTableBytes: number;
    treeNodes: number;
  };
  tasks: Record<string, TaskOutcome>;
  steps: number;
  schedule: string;
  crashed: boolean;
  violations: Violation[];
  /** Expectations checked: `expect` counts plus ops with `equals` or `errno`. */
  expectations: number;
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

/** How many expectations a run checks: each `expect` count or outcome, each op's `equals`/`errno`. */
function expectationCount(run: RunResult): number {
  const x = run.scenario.expect;
  let n = 0;
  if (x !== undefined) {
    for (const group of [x.faults, x.fallbackReasons, x.entries, x.pageTables, x.tasks]) {
      n += Object.keys(group ?? {}).length;
    }
    if (x.violations !== undefined) n++;
  }
  for (const t of run.scenario.tasks) {
    for (const op of t.ops)
      if (('equals' in op && op.equals !== undefined) || ('errno' in op && op.errno !== undefined)) n++;
  }
  return n;
}

function expectFailuresOf(
  spec: ExpectSpec | undefined,
  r: Omit<Report, 'expectFailures' | 'expectations'>,
): ExpectFailure[] {
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
  const base: Omit<Report, 'expectFailures' | 'expectations'> = {
    scenario: run.scenario.name,
    description: run.scenario.description,
    seed: run.seed,
    profile: w.kernel.profile,
    switches: { ...w.overrides },
    mutations: [...w.mutations],
    faults: faultCountsReport(c),
    entries: countEntries(w),
    pageTables: countPageTables(w),
    mappings: mappingReports(w),
    memory: {
      deviceBytes: w.dev.bytesAllocated,
      fsBlocksBytes: w.fs.usedBytes,
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
  const expectFailures = [...run.expectFailures, ...expectFailuresOf(run.scenario.expect, base)];
  return { ...base, expectations: expectationCount(run), expectFailures };
}
