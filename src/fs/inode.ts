/**
 * An inode of the iomap filesystem: identity, size and the extent map (F1).
 *
 * Invariants:
 * - `ino` and `path` never change; `size` is a safe integer in [0, MAX_FILE_BYTES].
 * - Only the owning IomapFs edits `extents` and `size` (the DAX layer calls the fs, never the map),
 *   and it does so under the locks the DAX layer holds (the inode's mmap lock for truncate/punch, D6).
 * - `iomapsInFlight` counts iomapBegin calls that succeeded and have not been ended yet (P8, M9).
 */
import { ExtentMap } from './extent-map.js';
import { BLOCK_SIZE, MAX_FILE_BYTES } from './iomap.js';

/** struct inode (the parts the model needs). F1. */
export class Inode {
  readonly ino: number;
  readonly path: string;
  /** the file's blocks; holes are the gaps */
  readonly extents = new ExtentMap();
  /** successful iomapBegin calls not yet matched by iomapEnd */
  iomapsInFlight = 0;
  private sizeBytes = 0;

  constructor(ino: number, path: string, size: number) {
    this.ino = ino;
    this.path = path;
    this.size = size;
  }

  /** i_size in bytes. */
  get size(): number {
    return this.sizeBytes;
  }

  set size(value: number) {
    if (!Number.isSafeInteger(value) || value < 0 || value > MAX_FILE_BYTES) {
      throw new RangeError(`Inode ${this.path}: size ${value} must be an integer in [0, 2^52]`);
    }
    this.sizeBytes = value;
  }

  /** End of the block holding the last byte: i_size rounded up to 4 KiB. */
  get blockEnd(): number {
    return Math.ceil(this.sizeBytes / BLOCK_SIZE) * BLOCK_SIZE;
  }
}
