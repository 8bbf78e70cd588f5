/**
 * The allocation policy for writes into holes (F2): which file blocks a write allocates and
 * where they go on the device.
 *
 * Invariants:
 * - The file range chosen always contains pos's block and lies inside the hole (or unwritten
 *   extent) it was clipped to, so blocks already allocated are never touched.
 * - The device run is one contiguous piece: the caller reports it as exactly one Iomap with
 *   isNew, so the DAX layer can invalidate hole pages over all of it (R2, H4).
 * - A null result means nothing was allocated.
 */
import type { BlockAllocator } from './allocator.js';
import type { Extent } from './extent-map.js';
import { BLOCK_SIZE } from './iomap.js';

const alignDown = (x: number, a: number): number => Math.floor(x / a) * a;
const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/** The extent-size-hint aligned blocks around [pos, pos + len), clipped to [start, end). F2. */
export function hintedRange(
  pos: number,
  len: number,
  hint: number,
  start: number,
  end: number,
): [number, number] {
  return [Math.max(alignDown(pos, hint), start), Math.min(alignUp(pos + len, hint), end)];
}

/**
 * Allocates mapped blocks for a write at [pos, pos + len) into the hole [s, t) already clipped by
 * hintedRange: the whole range if one run fits, else just the blocks under the write, else the
 * longest run that fits from pos's block on (a short extent: write(2) iterates, a PMD fault falls
 * back, M6). Placement: congruent to the file offset modulo `align` where possible. Null: ENOSPC.
 */
export function allocateForWrite(
  alloc: BlockAllocator,
  align: number,
  s: number,
  t: number,
  pos: number,
  len: number,
): Extent | null {
  let phys = alloc.allocContiguous(t - s, align, s);
  if (phys !== null) return { offset: s, length: t - s, type: 'mapped', phys };
  const s2 = alignDown(pos, BLOCK_SIZE);
  const t2 = Math.min(t, alignUp(pos + len, BLOCK_SIZE));
  phys = alloc.allocContiguous(t2 - s2, align, s2);
  if (phys !== null) return { offset: s2, length: t2 - s2, type: 'mapped', phys };
  const run = Math.min(alloc.largestContiguous(), t2 - s2);
  if (run < BLOCK_SIZE) return null;
  phys = alloc.allocContiguous(run, align, s2);
  return phys === null ? null : { offset: s2, length: run, type: 'mapped', phys };
}
