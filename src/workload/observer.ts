/**
 * What a workload reports as it runs, for the invariant checkers (V5, V6) and reports.
 * The runner calls these at the moments the spec's definitions refer to: when a write
 * completes, when a read returns, when an fsync begins and returns, at a crash.
 */
import type { AddressSpace } from '../dax/address-space.js';
import type { Process } from '../mm/process.js';

/** Where a read or write went: through a mapping of a process, or a system call. */
export type Via = { kind: 'syscall' } | { kind: 'mapping'; proc: Process; shared: boolean; vaddr: number };

export interface WorkloadObserver {
  /**
   * An operation that changes file bytes [offset, offset+length) began (a write, truncate or
   * punch): reads of them are ambiguous until `rangeEnd`. Returns a token.
   */
  writeBegin(file: AddressSpace, offset: number, length: number): number;
  /** The operation of `token` ended (after its writeDone / resized / punched, if it succeeded). */
  rangeEnd(file: AddressSpace, token: number): void;
  /** Bytes [offset, offset+data.length) of the file now hold `data` (a completed write). */
  writeDone(file: AddressSpace, offset: number, data: Uint8Array, via: Via): void;
  /** A read begins; returns a token for `readDone` (writes completing meanwhile may or may not be seen). */
  readBegin(file: AddressSpace): number;
  /**
   * A read of file bytes returned `data` (`data.length` may be short at EOF for read(2)).
   * `since` is the token of its `readBegin`.
   */
  readDone(file: AddressSpace, offset: number, data: Uint8Array, via: Via, since: number): void;
  /** `proc` unmapped [start, end): its private copies there are gone. */
  unmapped(proc: Process, start: number, end: number): void;
  /** The file's size changed to `size` (truncate); bytes past it are gone, a later grow reads zeros. */
  resized(file: AddressSpace, size: number): void;
  /** Bytes [offset, offset+length) were punched to zeros. */
  punched(file: AddressSpace, offset: number, length: number): void;
  /** An fsync/msync of [start, end] began; returns a token for `syncDone`. */
  syncBegin(file: AddressSpace, start: number, end: number): number;
  /** That fsync/msync returned successfully. */
  syncDone(file: AddressSpace, token: number): void;
}
