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

  /** Note that `task` (holding its current locks) is taking `lock` at `site`. */
  acquire(task: Task, lock: Lock, step: number, site: string): void {
    if (!this.enabled) return;
    const held = task.heldLocks;
    for (let i = 0; i < held.length; i++) {
      const h = held[i]!;
      if (h.cls === lock.cls) continue;
      let out = this.graph.get(h.cls);
      if (out === undefined) {
        out = new Map();
        this.graph.set(h.cls, out);
      }
      if (out.has(lock.cls)) continue;
      const at = task.heldAt[i]!;
      out.set(lock.cls, {
        from: h.cls,
        to: lock.cls,
        task: task.name,
        taskId: task.id,
        held: { lock: h.name, step: at.step, site: at.site },
        taking: { lock: lock.name, step, site },
      });
      this.edgeCount++;
    }
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

  /** Elementary cycles of the class graph (at most `limit`), each with both stacks per link. */
  cycles(limit = 64): LockCycle[] {
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
