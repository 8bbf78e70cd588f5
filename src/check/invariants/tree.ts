/**
 * V3: every mapping's tree is well formed: the radix tree's own structure, 2 MiB entries at
 * aligned indices with nothing inside their range (E2), the entry counts (E4), tags only on
 * present entries, hole pages that know where they are.
 */
import type { AddressSpace } from '../../dax/address-space.js';
import { describeEntry, entryOrder, isDaxEntry, isPmdEntry } from '../../dax/entry.js';
import type { World } from '../../workload/world.js';
import { MAX_INDEX } from './locks.js';
import type { Violation } from './violation.js';

function checkMapping(mapping: AddressSpace): Violation[] {
  const out: Violation[] = [];
  const v = (message: string) =>
    out.push({ invariant: 'V3', message: `mapping ${mapping.name}: ${message}` });
  try {
    mapping.tree.check();
  } catch (e) {
    v(`radix tree broken: ${(e as Error).message}`);
    return out;
  }
  let dax = 0;
  let pages = 0;
  mapping.tree.forEach(0, MAX_INDEX, (index, order, item) => {
    const at = `index 0x${index.toString(16)}`;
    if (isDaxEntry(item)) {
      dax++;
      if (order !== entryOrder(item)) v(`${at}: ${describeEntry(item)} stored at order ${order}`);
      if (isPmdEntry(item) && index % 512 !== 0) v(`${at}: 2 MiB entry not PMD aligned`);
    } else {
      pages++;
      if (order !== 0) v(`${at}: hole page at order ${order}`);
      if (item.mapping !== mapping || item.index !== index) {
        v(`${at}: hole page claims ${item.mapping?.name ?? 'no mapping'} index 0x${item.index.toString(16)}`);
      }
    }
  });
  if (dax !== mapping.nrexceptional) v(`nrexceptional ${mapping.nrexceptional} but ${dax} DAX entries (E4)`);
  if (pages !== mapping.nrpages) v(`nrpages ${mapping.nrpages} but ${pages} hole pages`);
  return out;
}

/** V3 over every file. */
export function checkV3(world: World): Violation[] {
  const out: Violation[] = [];
  for (const mapping of world.files.values()) out.push(...checkMapping(mapping));
  return out;
}
