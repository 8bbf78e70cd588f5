/**
 * A file's address_space as the DAX code sees it: the entry tree, `tree_lock`, the entry
 * counts (E4), the reverse map of VMAs (i_mmap, D5) and the inode's locks (D6).
 *
 * Invariants (checked by V3): `nrexceptional` equals the number of DAX entries in `tree`,
 * `nrpages` the number of hole pages; `tree` is only changed with `treeLock` held by the
 * current task.
 */
import type { Inode } from '../fs/inode.js';
import { RadixTree } from '../lib/radix-tree.js';
import { FileRmap } from '../mm/rmap.js';
import type { VmOperations } from '../mm/vm-ops.js';
import type { Runtime } from '../sim/runtime.js';
import { RwSemaphore } from '../sim/rwsem.js';
import { SpinLock } from '../sim/spinlock.js';
import type { MappingItem } from './entry.js';

let nextMappingId = 1;

/** struct address_space of a DAX inode, plus the inode locks the fault path takes. */
export class AddressSpace {
  /** Identity for wait-queue keys (L2); unique per process run, stable per World build order. */
  readonly id: number;
  readonly name: string;
  /** mapping->page_tree. */
  readonly tree: RadixTree<MappingItem>;
  /** mapping->tree_lock (L1). */
  readonly treeLock: SpinLock;
  /** mapping->nrexceptional (E4). */
  nrexceptional = 0;
  /** mapping->nrpages: hole pages in the tree. */
  nrpages = 0;
  /** I_DIRTY_PAGES on the inode: a write fault happened since the last fsync (I1). */
  inodeDirty = false;
  /** mapping->i_mmap (D5). */
  readonly rmap: FileRmap<AddressSpace>;
  /** The filesystem's vm operations for VMAs of this file (set when the World is built). */
  vmOps: VmOperations | null = null;
  /** i_mmap_rwsem: guards `rmap` during reverse-map walks (D5). */
  readonly immapLock: RwSemaphore;
  /** XFS_MMAPLOCK: faults shared, truncate/punch exclusive (D6). */
  readonly mmapLock: RwSemaphore;
  /** XFS_IOLOCK: read shared, write/truncate exclusive. */
  readonly ioLock: RwSemaphore;

  constructor(
    /** The runtime whose tasks use this mapping (for scheduling points in mm walks). */
    readonly rt: Runtime,
    readonly host: Inode,
    id?: number,
  ) {
    this.id = id ?? nextMappingId++;
    this.name = host.path;
    this.tree = new RadixTree<MappingItem>();
    this.treeLock = new SpinLock(rt, `tree_lock:${host.path}`, 'tree_lock');
    this.rmap = new FileRmap<AddressSpace>();
    this.immapLock = new RwSemaphore(rt, `i_mmap_rwsem:${host.path}`, 'i_mmap_rwsem');
    this.mmapLock = new RwSemaphore(rt, `i_mmaplock:${host.path}`, 'i_mmaplock');
    this.ioLock = new RwSemaphore(rt, `i_iolock:${host.path}`, 'i_iolock');
  }
}
