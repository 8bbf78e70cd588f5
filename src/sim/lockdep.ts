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

/** Records the lock-order graph of a run (V7). */
export class Lockdep {
  enabled = true;
  private readonly graph = new Map<string, Map<string, LockEdge>>();
  private edgeCount = 0;
  /** Class name -> dense id, so the hot "edge already known?" test is one Set<number> probe. */
  private readonly classIds = new Map<string, number>();
  private readonly known = new Set<number>();
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
      // Exact in doubles: ids stay far below 2^26.
      const pair = this.classId(h) * CLASS_SPAN + to;
      if (this.known.has(pair)) continue;
      this.known.add(pair);
      const from = this.classId(h);
      if (from < MASK_CLASSES && to < MASK_CLASSES) this.knownFrom[to]! |= 1 << from;
      this.record(task, i, lock, step, site);
    }
  }

  private record(task: Task, i: number, lock: Lock, step: number, site: string): void {
    const h = task.heldLocks[i]!;
    let out = this.graph.get(h.cls);
    if (out === undefined) {
      out = new Map();
      this.graph.set(h.cls, out);
    }
    out.set(lock.cls, {
      from: h.cls,
      to: lock.cls,
      task: task.name,
      taskId: task.id,
      held: { lock: h.name, step: task.heldStep[i]!, site: task.heldSite[i]! },
      taking: { lock: lock.name, step, site },
    });
    this.edgeCount++;
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
    for (const m of this.graph.values()) for (const e of m.values()) out.push(e);
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
    const order = [...this.graph.keys()];
    const rank = new Map(order.map((c, i) => [c, i]));
    const out: LockCycle[] = [];
    for (const start of order) {
      const startRank = rank.get(start)!;
      const path: LockEdge[] = [];
      const onPath = new Set<string>([start]);
      const dfs = (node: string): void => {
        for (const e of this.graph.get(node)?.values() ?? []) {
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
