/**
 * Public surface of the iomap filesystem (F1-F3): the filesystem, its inodes and iomap types.
 *
 * Invariant: this module only re-exports; the DAX layer and the World import the fs from here.
 */
export { BlockAllocator, type FreeExtent, type Piece } from './allocator.js';
export { type AllocatedType, type Extent, ExtentMap, type Gap, type Lookup } from './extent-map.js';
export { Inode } from './inode.js';
export {
  BLOCK_SIZE,
  type CreateFileOptions,
  type ExtentSpec,
  type ExtentType,
  type FileLayout,
  type FsOptions,
  type Iomap,
  MAX_FILE_BYTES,
  SECTOR_SIZE,
} from './iomap.js';
export { IomapFs } from './iomap-fs.js';
