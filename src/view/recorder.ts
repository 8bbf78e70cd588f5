/**
 * Records a run step by step for the viewer (RunOptions.onStep): which task ran each step,
 * each tree and page table as deltas (keyed-track.ts), the scheduling side whole at the
 * steps where it changed, and every THP fallback with its reason.
 *
 * Invariants: observing only (capture.ts); a tree is re-read only when its generation moved;
 * a field of a SchedChange is recorded only when it differs from its last recorded value,
 * so a long run with a steady state costs little space.
 */
import { FALLBACK_REASONS } from '../dax/fallback.js';
import type { World } from '../workload/world.js';
import {
  holderRows,
  lockWaitRows,
  pageTableRows,
  taskState,
  treeRows,
  vmaRows,
  waitRows,
} from './capture.js';
import { KeyedTrack } from './keyed-track.js';
import type { BlockRow, EntryRow, PteRow, SchedChange, ViewData } from './view-data.js';

type SchedField = Exclude<keyof SchedChange, 's'>;

/** What the recorder gives for ViewData. */
export type Recorded = Pick<ViewData, 'ran' | 'trees' | 'blocks' | 'ptes' | 'sched' | 'fallbacks'>;

/** The per-step recorder of one run; pass `onStep` to runScenario or replaySchedule. */
export class StepRecorder {
  readonly #ran: number[] = [];
  #trees: KeyedTrack<EntryRow>[] = [];
  #treeGens: number[] = [];
  #blocks: KeyedTrack<BlockRow>[] = [];
  #ptes: KeyedTrack<PteRow>[] = [];
  readonly #sched: SchedChange[] = [];
  readonly #lastSched = new Map<SchedField, string>();
  readonly #reasons: string[] = [...FALLBACK_REASONS];
  readonly #fallbacks: [number, number][] = [];
  #fallbackCounts: Record<string, number> = {};
  #fallbackTotal = 0;
  #lastStep = -1;

  /** The hook: the World before the first step and after each step. */
  readonly onStep = (world: World): void => {
    const rt = world.rt;
    if (rt.steps === 0 && this.#lastStep < 0) this.#start(world);
    else if (rt.lastRun !== null) this.#ran.push(rt.lastRun.id);
    this.#capture(world);
  };

  /** Capture the end state if the run moved past the last recorded step (a model error mid-step). */
  finish(world: World): Recorded {
    if (world.rt.steps !== this.#lastStep) {
      while (this.#ran.length < world.rt.steps) this.#ran.push(world.rt.lastRun?.id ?? -1);
      this.#capture(world);
    }
    return {
      ran: this.#ran,
      trees: this.#trees.map((t) => t.deltas),
      blocks: this.#blocks.map((t) => t.deltas),
      ptes: this.#ptes.map((t) => t.deltas),
      sched: this.#sched,
      fallbacks: { reasons: this.#reasons, events: this.#fallbacks },
    };
  }

  #start(world: World): void {
    this.#trees = [...world.files.values()].map(() => new KeyedTrack<EntryRow>());
    this.#treeGens = this.#trees.map(() => -1);
    this.#blocks = [...world.processes.values()].map(() => new KeyedTrack<BlockRow>());
    this.#ptes = [...world.processes.values()].map(() => new KeyedTrack<PteRow>());
  }

  #capture(world: World): void {
    const s = world.rt.steps;
    this.#lastStep = s;
    let i = 0;
    for (const m of world.files.values()) {
      if (m.tree.generation !== this.#treeGens[i]) {
        this.#treeGens[i] = m.tree.generation;
        this.#trees[i]!.update(s, treeRows(m));
      }
      i++;
    }
    i = 0;
    for (const p of world.processes.values()) {
      const { blocks, ptes } = pageTableRows(p.mm.pageTable);
      this.#blocks[i]!.update(s, blocks);
      this.#ptes[i]!.update(s, ptes);
      i++;
    }
    this.#captureSched(world, s);
    this.#captureFallbacks(world, s);
  }

  #captureSched(world: World, s: number): void {
    const tasks = world.rt.tasks;
    const change: SchedChange = { s };
    const note = <F extends SchedField>(field: F, value: NonNullable<SchedChange[F]>): void => {
      const text = JSON.stringify(value);
      if (this.#lastSched.get(field) === text) return;
      this.#lastSched.set(field, text);
      change[field] = value;
    };
    note('tasks', tasks.map(taskState));
    note('waits', waitRows(world));
    note('lockWaits', lockWaitRows(tasks));
    note('holders', holderRows(tasks));
    note('vmas', vmaRows(world));
    if (Object.keys(change).length > 1) this.#sched.push(change);
  }

  #captureFallbacks(world: World, s: number): void {
    const c = world.counters;
    if (c.fallback === this.#fallbackTotal) return;
    this.#fallbackTotal = c.fallback;
    for (const [reason, n] of Object.entries(c.fallbackReasons)) {
      let r = this.#reasons.indexOf(reason);
      if (r < 0) r = this.#reasons.push(reason) - 1;
      for (let k = this.#fallbackCounts[reason] ?? 0; k < n; k++) this.#fallbacks.push([s, r]);
    }
    this.#fallbackCounts = { ...c.fallbackReasons };
  }
}
