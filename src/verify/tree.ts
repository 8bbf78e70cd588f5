/**
 * V3: every mapping's tree is well formed: the radix tree's own structure, 2 MiB entries at
 * aligned indices with nothing inside their range (E2), the entry counts (E4), tags only on
 * present entries, hole pages that know where they are.
 *
 * Invariant of the memo: facts are re-derived when the tree's generation moves, and the
 * structure is re-checked when its structure generation moves or the last check failed. Like
 * the generations themselves, this holds for trees changed only through their methods.
 */
import type { AddressSpace } from '../dax/address-space.js';
import { describeEntry, entryOrder, isDaxEntry, isPmdEntry, type MappingItem } from '../dax/entry.js';
import type { HolePage } from '../dax/hole-page.js';
import { MAX_INDEX } from '../lib/radix-tree.js';
import { PG_PMD_NR } from '../mm/units.js';
import type { World } from '../workload/world.js';
import type { Violation } from './violation.js';

/** What V3 derives from a tree's contents alone (valid while its generation holds). */
interface TreeFacts {
  generation: number;
  /** The tree's structureGeneration when derived. */
  structure: number;
  dax: number;
  holePages: { index: number; page: HolePage }[];
  problems: string[];
  /** tree.check() threw: the other facts are not derived and nothing else is checked. */
  broken: boolean;
  /**
   * Each entry's index and order, in index order (never changed once derived: shared), or
   * null past LISTED_ENTRIES: a checker's trees hold a few entries and are re-derived after
   * most steps, a `daxsim run` tree may hold millions and is derived once.
   */
  indices: number[] | null;
  orders: number[];
}

/** The most entries whose positions the facts keep for refreshFacts. */
const LISTED_ENTRIES = 64;

/** The facts of `mapping`'s tree, from the World's memo while the tree's generation holds. */
function treeFacts(memo: Map<object, unknown>, mapping: AddressSpace): TreeFacts {
  const tree = mapping.tree;
  const known = memo.get(tree) as TreeFacts | undefined;
  if (known !== undefined && known.generation === tree.generation) return known;
  // Only items replaced since a check that passed: the tree still passes it and holds the
  // same entries, so only their items are read again (entry locking replaces items often).
  const f =
    known !== undefined && !known.broken && known.structure === tree.structureGeneration
      ? refreshFacts(mapping, known)
      : deriveFacts(mapping);
  memo.set(tree, f);
  return f;
}

/** The facts after replacements only: what forEach(0, MAX_INDEX) visits, by lookups if listed. */
function refreshFacts(mapping: AddressSpace, known: TreeFacts): TreeFacts {
  const tree = mapping.tree;
  const indices = known.indices;
  const f = freshFacts(tree, indices, known.orders);
  if (indices === null) {
    tree.forEach(0, MAX_INDEX, (index, order, item) => {
      addEntry(f, index, order, item);
    });
    return f;
  }
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    addEntry(f, index, f.orders[i]!, tree.lookup(index)!);
  }
  return f;
}

function deriveFacts(mapping: AddressSpace): TreeFacts {
  const tree = mapping.tree;
  const f = freshFacts(tree, tree.size <= LISTED_ENTRIES ? [] : null);
  const indices = f.indices;
  // An error of the visitor itself is raised once the check has passed, as a forEach after
  // the check would have raised it; the visits after it are skipped.
  let visitError: { e: unknown } | null = null;
  try {
    // One pass: the structural check visits the entries as forEach(0, MAX_INDEX) would.
    tree.check((index, order, item) => {
      if (visitError !== null) return;
      try {
        if (indices !== null) {
          indices.push(index);
          f.orders.push(order);
        }
        addEntry(f, index, order, item);
      } catch (e) {
        visitError = { e };
      }
    });
  } catch (e) {
    // What the entries visited before the fault said is not kept: a broken tree says only that.
    const broken = freshFacts(tree);
    broken.problems.push(`radix tree broken: ${(e as Error).message}`);
    broken.broken = true;
    return broken;
  }
  if (visitError !== null) throw (visitError as { e: unknown }).e;
  return f;
}

/** What one entry adds to the facts. */
function addEntry(f: TreeFacts, index: number, order: number, item: MappingItem): void {
  if (isDaxEntry(item)) {
    f.dax++;
    if (order !== entryOrder(item))
      f.problems.push(`${at(index)}: ${describeEntry(item)} stored at order ${order}`);
    if (isPmdEntry(item) && index % PG_PMD_NR !== 0)
      f.problems.push(`${at(index)}: 2 MiB entry not PMD aligned`);
  } else {
    if (order !== 0) f.problems.push(`${at(index)}: hole page at order ${order}`);
    f.holePages.push({ index, page: item });
  }
}

function freshFacts(
  tree: AddressSpace['tree'],
  indices: number[] | null = [],
  orders: number[] = [],
): TreeFacts {
  return {
    generation: tree.generation,
    structure: tree.structureGeneration,
    dax: 0,
    holePages: [],
    problems: [],
    broken: false,
    indices,
    orders,
  };
}

function at(index: number): string {
  return `index 0x${index.toString(16)}`;
}

/** V3 of one mapping, appended to `out` (runs after every step: allocates nothing when clean). */
function checkMapping(memo: Map<object, unknown>, mapping: AddressSpace, out: Violation[]): void {
  const f = treeFacts(memo, mapping);
  for (const m of f.problems) report(out, mapping, m);
  if (f.broken) return;
  // Hole pages' own fields change beside the tree, so they are checked every time.
  for (const { index, page } of f.holePages) {
    if (page.mapping !== mapping || page.index !== index) {
      report(
        out,
        mapping,
        `index 0x${index.toString(16)}: hole page claims ${page.mapping?.name ?? 'no mapping'} index 0x${page.index.toString(16)}`,
      );
    }
  }
  if (f.dax !== mapping.nrexceptional)
    report(out, mapping, `nrexceptional ${mapping.nrexceptional} but ${f.dax} DAX entries (E4)`);
  if (f.holePages.length !== mapping.nrpages)
    report(out, mapping, `nrpages ${mapping.nrpages} but ${f.holePages.length} hole pages`);
}

function report(out: Violation[], mapping: AddressSpace, message: string): void {
  out.push({ invariant: 'V3', message: `mapping ${mapping.name}: ${message}` });
}

/** A V3 memo: what V3 derived from each tree, valid while the tree's generation holds. */
export type TreeMemo = Map<object, unknown>;

/**
 * V3 over every file. `memo` carries derived tree facts from one call to the next; the caller
 * owns it (one per run, so it dies with the run) and a fresh one is always correct.
 */
export function checkV3(world: World, memo: TreeMemo = new Map()): Violation[] {
  const out: Violation[] = [];
  for (const mapping of world.files.values()) checkMapping(memo, mapping, out);
  return out;
}
