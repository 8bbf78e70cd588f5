/**
 * A small lockdep (V7): lock classes, "held A while taking B" edges, and cycles among them.
 *
 * Edges are recorded when a task *attempts* to take a lock (before it may block), for every
 * lock it already holds, so an A-B / B-A order inversion is found from two runs of the code
 * that never overlapped in time, and also from a run that did deadlock.
 *
 * Invariants:
 * - One edge per ordered class pair: the first occurrence, with its stacks, is kept.
 * - No self edges (nesting two locks of one class is not an order inversion here).
 * - `cycles()` lists each elementary cycle once, starting at its earliest-recorded class,
 *   in a deterministic order (edge recording order).
 */
import type { Task } from './task.js';
import type { Lock } from './types.js';

/** Bound on class ids: a class pair packs into one double as from * CLASS_SPAN + to. */
const CLASS_SPAN = 2 ** 26;
/** Classes with ids below this get the O(1) bitmask test (Task.heldClassMask); the rest loop. */
export const MASK_CLASSES = 31;

/** One side of an edge's stack: which lock, where it was taken. */
export interface LockSite {
  lock: string;
  step: number;
  site: string;
}

/** "Class `from` was held while taking class `to`", first seen in `task`. */
export interface LockEdge {
  from: string;
  to: string;
  task: string;
  taskId: number;
  held: LockSite;
  taking: LockSite;
}

/** A lock-order cycle with the edge (and both acquisition stacks) for each link. */
export interface LockCycle {
  classes: string[];
  edges: LockEdge[];
}

/** Values per recorded edge in `Lockdep.log` (see `record`). */
const EDGE_FIELDS = 10;

/** Records the lock-order graph of a run (V7). */
export class Lockdep {
  enabled = true;
  /**
   * The recorded edges, flat, in recording order: EDGE_FIELDS values each. A run records
   * a few dozen edges and nearly never asks for them, so they are kept as plain values and
   * become LockEdge objects (in `graph`) only when asked for.
   */
  private readonly log: (string | number)[] = [];
  /** The edges of `log` up to `graphed`, by source class then target class, built on demand. */
  private readonly graph = new Map<string, Map<string, LockEdge>>();
  private graphed = 0;
  private edgeCount = 0;
  /** Class name -> dense id, so the hot "edge already known?" test is one bit or Set probe. */
  private readonly classIds = new Map<string, number>();
  /** Known pairs with a class beyond the masks (made on first need). */
  private known: Set<number> | null = null;
  /** For each of the first MASK_CLASSES classes: a bit per class already seen held before it. */
  // A plain array, not an Int32Array: 124 bytes would be an off-heap allocation per runtime.
  private readonly knownFrom: number[] = new Array<number>(MASK_CLASSES).fill(0);

  /** Note that `task` (holding its current locks) is taking `lock` at `site`. */
  acquire(task: Task, lock: Lock, step: number, site: string): void {
    if (!this.enabled) return;
    // The id first, even with nothing held: Task.heldClassMask needs it once the lock is held.
    const to = this.classId(lock);
    const held = task.heldLocks;
    if (held.length === 0) return;
    if (to < MASK_CLASSES && task.heldClassMask >= 0) {
      // Every held class (bar this one) already has its edge to `to`: nothing new to record.
      const need = task.heldClassMask & ~(1 << to);
      if ((this.knownFrom[to]! & need) === need) return;
    }
    for (let i = 0; i < held.length; i++) {
      const h = held[i]!;
      if (h.cls === lock.cls) continue;
      const from = this.classId(h);
      if (from < MASK_CLASSES && to < MASK_CLASSES) {
        // Both classes have mask bits: the bit is the pair's "known" mark.
        if (((this.knownFrom[to]! >>> from) & 1) !== 0) continue;
        this.knownFrom[to]! |= 1 << from;
      } else {
        // Exact in doubles: ids stay far below 2^26.
        const pair = from * CLASS_SPAN + to;
        this.known ??= new Set();
        if (this.known.has(pair)) continue;
        this.known.add(pair);
      }
      this.record(task, i, lock, step, site);
    }
  }

  private record(task: Task, i: number, lock: Lock, step: number, site: string): void {
    const h = task.heldLocks[i]!;
    this.log.push(h.cls, lock.cls, task.name, task.id, h.name, task.heldStep[i]!, task.heldSite[i]!);
    this.log.push(lock.name, step, site);
    this.edgeCount++;
  }

  /** `graph` with every recorded edge (each LockEdge is built once, so it keeps its identity). */
  private builtGraph(): Map<string, Map<string, LockEdge>> {
    const log = this.log;
    for (; this.graphed < this.edgeCount; this.graphed++) {
      const k = this.graphed * EDGE_FIELDS;
      const from = log[k] as string;
      let out = this.graph.get(from);
      if (out === undefined) {
        out = new Map();
        this.graph.set(from, out);
      }
      out.set(log[k + 1] as string, {
        from,
        to: log[k + 1] as string,
        task: log[k + 2] as string,
        taskId: log[k + 3] as number,
        held: { lock: log[k + 4] as string, step: log[k + 5] as number, site: log[k + 6] as string },
        taking: { lock: log[k + 7] as string, step: log[k + 8] as number, site: log[k + 9] as string },
      });
    }
    return this.graph;
  }

  /** The dense id of `lock`'s class, cached on the lock (a lock belongs to one runtime). */
  private classId(lock: Lock): number {
    let id = lock.lockdepClass;
    if (id >= 0) return id;
    id = this.classIds.get(lock.cls) ?? -1;
    if (id < 0) {
      id = this.classIds.size;
      if (id >= CLASS_SPAN) throw new RangeError(`lockdep: more than ${CLASS_SPAN} lock classes`);
      this.classIds.set(lock.cls, id);
    }
    lock.lockdepClass = id;
    return id;
  }

  /** Number of distinct class-order edges recorded. */
  get size(): number {
    return this.edgeCount;
  }

  /** Every recorded edge, in recording order of their source class. */
  edges(): LockEdge[] {
    const out: LockEdge[] = [];
    for (const m of this.builtGraph().values()) for (const e of m.values()) out.push(e);
    return out;
  }

  /**
   * Whether the class graph is acyclic, told from the class bitmasks alone (false: unknown).
   * Exact when every class has a mask bit, since `knownFrom` then holds every recorded edge:
   * strip the classes with no predecessor left until none is left (acyclic) or none can go.
   */
  private acyclicByMasks(): boolean {
    const n = this.classIds.size;
    if (n > MASK_CLASSES) return false;
    let left = n === MASK_CLASSES ? 0x7fffffff : (1 << n) - 1;
    while (left !== 0) {
      let sources = 0;
      for (let c = 0; c < n; c++) {
        if (((left >>> c) & 1) !== 0 && (this.knownFrom[c]! & left) === 0) sources |= 1 << c;
      }
      if (sources === 0) return false;
      left &= ~sources;
    }
    return true;
  }

  /** Elementary cycles of the class graph (at most `limit`), each with both stacks per link. */
  cycles(limit = 64): LockCycle[] {
    // Nearly every run's graph is acyclic: say so without the search and its allocations.
    if (this.acyclicByMasks()) return [];
    const graph = this.builtGraph();
    const order = [...graph.keys()];
    const rank = new Map(order.map((c, i) => [c, i]));
    const out: LockCycle[] = [];
    for (const start of order) {
      const startRank = rank.get(start)!;
      const path: LockEdge[] = [];
      const onPath = new Set<string>([start]);
      const dfs = (node: string): void => {
        for (const e of graph.get(node)?.values() ?? []) {
          if (out.length >= limit) return;
          if (e.to === start) {
            out.push({ classes: [start, ...path.map((p) => p.to)], edges: [...path, e] });
            continue;
          }
          const r = rank.get(e.to);
          if (r === undefined || r <= startRank || onPath.has(e.to)) continue;
          onPath.add(e.to);
          path.push(e);
          dfs(e.to);
          path.pop();
          onPath.delete(e.to);
        }
      };
      dfs(start);
    }
    return out;
  }
}

/** Render a cycle the way lockdep's "possible circular locking dependency" splat reads. */
export function formatLockCycle(c: LockCycle): string {
  const lines = [`lock-order cycle: ${[...c.classes, c.classes[0]].join(' -> ')}`];
  for (const e of c.edges) {
    lines.push(
      `  ${e.task}#${e.taskId} took ${e.taking.lock} [${e.to}] at ${e.taking.site} (step ${e.taking.step})` +
        ` while holding ${e.held.lock} [${e.from}] taken at ${e.held.site} (step ${e.held.step})`,
    );
  }
  return lines.join('\n');
}
