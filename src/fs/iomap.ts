/**
 * The iomap vocabulary shared by the filesystem and the DAX layer (F1, F2).
 *
 * Invariants:
 * - Every extent offset and length handed out is a multiple of BLOCK_SIZE (4 KiB, F1); file sizes
 *   need not be (the last block is partial).
 * - A `mapped` or `unwritten` Iomap has `sector >= 0`, the 512-byte device sector of `offset`, and
 *   that sector is block aligned (a multiple of 8); a `hole` has `sector === -1`.
 * - `isNew` (IOMAP_F_NEW) is only ever true on a `mapped` extent that iomapBegin allocated or
 *   converted from unwritten during that very call; then the Iomap covers exactly the new blocks.
 */

/** Filesystem block size (F1): 4 KiB, the page size. */
export const BLOCK_SIZE = 4096;
/** Device sector size: 512 bytes. */
export const SECTOR_SIZE = 512;
/** Largest file size the filesystem accepts (s_maxbytes): 4 PiB, so offsets stay exact below 2^53. */
export const MAX_FILE_BYTES = 2 ** 52;

/** Kind of an extent (F1). */
export type ExtentType = 'mapped' | 'unwritten' | 'hole';

/** struct iomap: one extent as ->iomap_begin reports it (F2). */
export interface Iomap {
  type: ExtentType;
  /** file byte offset of the extent start */
  offset: number;
  length: number;
  /** device sector of `offset` (mapped/unwritten), -1 for a hole */
  sector: number;
  /** IOMAP_F_NEW: blocks just allocated (and zeroed) by this iomapBegin */
  isNew: boolean;
}

/** Allocation policy and limits of an IomapFs (scenario `fs` keys). */
export interface FsOptions {
  /** alignment of newly allocated extents on the device: 4 KiB or 2 MiB (default 2 MiB) */
  allocAlignBytes?: number;
  /** allocation unit for writes into holes, >= allocAlignBytes (default 2 MiB) */
  extentHintBytes?: number;
  /** bytes the allocator may hand out in total (default: the device size) */
  freeSpaceBytes?: number;
}

/** Initial layout of a file created at setup. */
export type FileLayout = 'allocated' | 'sparse' | 'unwritten';

/** One explicit extent of a file created at setup (scenario `files[].extents`). */
export interface ExtentSpec {
  offset: number;
  length: number;
  type: ExtentType;
  /** device sector for a mapped or unwritten extent; omitted: the allocator picks */
  sector?: number;
}

/** Options of IomapFs.createFile. */
export interface CreateFileOptions {
  size: number;
  layout?: FileLayout;
  extents?: ExtentSpec[];
  /** byte written durably into mapped extents (within the file size) at setup; default 0 */
  fill?: number;
}
