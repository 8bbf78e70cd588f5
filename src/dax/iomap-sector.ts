/**
 * dax_iomap_sector: where a file byte inside a mapped extent lives on the device.
 *
 * Invariant: `pos` lies inside the extent [iomap.offset, iomap.offset + iomap.length).
 */
import { type Iomap, SECTOR_SIZE } from '../fs/iomap.js';

/** dax_iomap_sector: the device sector of file byte `pos` inside a mapped extent. P5, M7. */
export function daxIomapSector(iomap: Iomap, pos: number): number {
  return iomap.sector + (pos - iomap.offset) / SECTOR_SIZE;
}
