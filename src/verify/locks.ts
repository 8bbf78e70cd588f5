/**
 * V1 (no task stuck at quiescence), V2 (nothing left locked) and V7 (runtime bugs:
 * sleeping with a spinlock held; lock-order cycles).
 */
import { describeEntry, isDaxEntry, isEntryLocked } from '../dax/entry.js';
import { MAX_INDEX } from '../lib/radix-tree.js';
import { formatLockCycle } from '../sim/lockdep.js';
import { formatStuckReport } from '../sim/stuck-report.js';
import type { World } from '../workload/world.js';
import type { Violation } from './violation.js';

/** V1: at quiescence every task is done; a task asleep or spinning is a lost wake-up or deadlock. */
export function checkV1(world: World): Violation[] {
  const stuck = world.rt.stuckReport();
  if (stuck.length === 0) return [];
  return [
    {
      invariant: 'V1',
      message: formatStuckReport(stuck)
        .trim()
        .replace(/^V1:\s*/, ''),
    },
  ];
}

/** V2: no entry lock bit, page lock, spinlock or semaphore held at quiescence. */
export function checkV2(world: World): Violation[] {
  const out: Violation[] = [];
  for (const mapping of world.files.values()) {
    mapping.tree.forEach(0, MAX_INDEX, (index, _order, item) => {
      if (isDaxEntry(item) && isEntryLocked(item)) {
        out.push({
          invariant: 'V2',
          message: `entry left locked: mapping ${mapping.name} index 0x${index.toString(16)} (${describeEntry(item)})`,
        });
      } else if (!isDaxEntry(item) && item.lock.holder !== null) {
        out.push({
          invariant: 'V2',
          message: `hole page left locked: mapping ${mapping.name} index 0x${index.toString(16)} by ${item.lock.holder.name}`,
        });
      }
    });
  }
  for (const t of world.rt.tasks) {
    if (t.state !== 'done') continue;
    for (const lock of t.held) {
      out.push({ invariant: 'V2', message: `task ${t.name} ended holding ${lock.name}` });
    }
  }
  return out;
}

/**
 * V7: runtime-reported bugs (sleeping with a spinlock held or preemption disabled) and
 * lock-order cycles; with them the bugs the model reports under another rule as they happen
 * (V4: a page table corrupted or leaked by an install).
 */
export function checkV7(world: World): Violation[] {
  const out: Violation[] = [];
  for (const bug of world.rt.bugs) {
    if (bug.kind === 'exit-holding-lock') continue; // V2 reports it, with the lock
    const lock = bug.lock === null ? '' : ` holding ${bug.lock.name}`;
    const at = `task ${bug.task.name}${lock} at step ${bug.step} (${bug.point ?? 'start'})`;
    // A model-detected data bug (V4 page-table corruption, V5 a valid access refused) keeps its rule.
    const data = bug.rule === 'V4' || bug.rule === 'V5' ? bug.rule : null;
    out.push({
      invariant: data ?? 'V7',
      message: data !== null ? `${bug.message} (${at})` : `${bug.kind}: ${at}`,
    });
  }
  for (const c of world.rt.lockdep.cycles()) out.push({ invariant: 'V7', message: formatLockCycle(c) });
  return out;
}
