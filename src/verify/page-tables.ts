/**
 * V4: page tables agree with the trees. Every present translation of a file VMA maps what
 * the file's entry says (its sector's pfn, the hole page, or the huge zero page); a huge PMD
 * only for a 2 MiB entry of the same block; nothing mapped past end of file; a writable
 * shared mapping only for an entry tagged DIRTY (else fsync could miss the store).
 */
import type { AddressSpace } from '../dax/address-space.js';
import {
  describeEntry,
  entrySector,
  isDaxEntry,
  isMappedEntry,
  isPmdEntry,
  isZeroEntry,
} from '../dax/entry.js';
import { SECTOR_SIZE } from '../fs/iomap.js';
import { TAG_DIRTY } from '../lib/radix-tree.js';
import type { Process } from '../mm/process.js';
import { PAGE_SIZE, PMD_SIZE } from '../mm/units.js';
import { linearPageIndex, type Vma } from '../mm/vma.js';
import type { World } from '../workload/world.js';
import type { Violation } from './violation.js';

const SECTORS_PER_PAGE = PAGE_SIZE / SECTOR_SIZE;

function checkVma(world: World, proc: Process, vma: Vma<AddressSpace>, out: Violation[]): void {
  const mapping = vma.file;
  const tree = mapping.tree;
  const eofPages = Math.ceil(mapping.host.size / PAGE_SIZE);
  vma.mm.pageTable.forEachMapping(vma.start, vma.end, (vaddr, size, pfn, writable, kind) => {
    const index = linearPageIndex(vma, vaddr);
    // The place is rendered only for a violation: this runs for every mapped page of every run.
    const v = (message: string) => {
      const where = `process ${proc.name} ${vma.name} 0x${vaddr.toString(16)} (${mapping.name} index 0x${index.toString(16)})`;
      out.push({ invariant: 'V4', message: `${where}: ${message}` });
    };
    if (index >= eofPages) v(`${kind} mapping past end of file (size ${mapping.host.size})`);
    if (kind === 'anon') {
      if (vma.shared) v('anonymous page in a shared mapping');
      return;
    }
    const found = tree.lookupEntry(index);
    const item = found?.item;
    if (size === PMD_SIZE) {
      if (!isDaxEntry(item) || !isPmdEntry(item) || found!.index !== index) {
        v(
          `huge PMD (${kind}) but the tree has ${describeEntry(item)}${found ? ` at 0x${found.index.toString(16)}` : ''}`,
        );
        return;
      }
      if (kind === 'zero') {
        if (!isZeroEntry(item) || pfn !== world.phys.hugeZeroPfn)
          v(`huge zero page mapped over ${describeEntry(item)}`);
      } else if (!isMappedEntry(item) || pfn !== sectorPfn(world, entrySector(item))) {
        v(`huge PMD pfn 0x${pfn.toString(16)} but the tree has ${describeEntry(item)}`);
      }
    } else if (kind === 'hole') {
      if (isDaxEntry(item) || item === undefined || item.pfn !== pfn)
        v(`hole page pfn 0x${pfn.toString(16)} but the tree has ${describeEntry(item)}`);
    } else {
      if (!isDaxEntry(item) || !isMappedEntry(item)) {
        v(`PTE pfn 0x${pfn.toString(16)} but the tree has ${describeEntry(item)}`);
        return;
      }
      const expected = sectorPfn(world, entrySector(item)) + (index - found!.index);
      if (pfn !== expected)
        v(`PTE pfn 0x${pfn.toString(16)}, entry ${describeEntry(item)} says 0x${expected.toString(16)}`);
    }
    if (writable && vma.shared && !tree.tagGet(index, TAG_DIRTY)) {
      v(`writable ${kind} mapping of an entry not tagged DIRTY (${describeEntry(item)})`);
    }
  });
}

function sectorPfn(world: World, sector: number): number {
  return world.dev.basePfn + sector / SECTORS_PER_PAGE;
}

/** V4 over every process. */
export function checkV4(world: World): Violation[] {
  const out: Violation[] = [];
  for (const proc of world.processes.values()) {
    for (const vma of proc.mm.vmas) checkVma(world, proc, vma, out);
  }
  return out;
}
