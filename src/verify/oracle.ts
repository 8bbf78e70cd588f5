/**
 * The data oracle: a shadow of what every file should contain, for V5 (reads see the latest
 * completed write, or zeros / the setup fill if none) and V6 (after fsync returns, a crash
 * loses nothing written before the fsync began, unless overwritten, truncated or punched
 * since).
 *
 * Invariants: the shadow changes only when a write, truncate or punch *completes*; bytes
 * under an operation still in flight are ambiguous and not checked; private COW pages are
 * checked only on the bytes their own process wrote. The shadow keeps only the 64-byte lines
 * written (a line store), punches and truncates as one range each, so a large read-only
 * workload costs nothing and a sparse write workload costs the lines it wrote. Every observer call touches the footprint key `oracle`
 * (X1 sleep sets): the oracle is shared by every task, so one key covers all of it.
 */
import type { AddressSpace } from '../dax/address-space.js';
import { type Iomap, MAX_FILE_BYTES, SECTOR_SIZE } from '../fs/iomap.js';
import { LINE_BYTES } from '../lib/line-chunk.js';
import { type LineInit, LineStore } from '../lib/line-store.js';
import type { Process } from '../mm/process.js';
import { PAGE_SIZE } from '../mm/units.js';
import type { Via, WorkloadObserver } from '../workload/observer.js';
import type { World } from '../workload/world.js';
import type { Violation } from './violation.js';

interface Range {
  readonly token: number;
  readonly start: number;
  readonly end: number;
}

interface Sync {
  readonly start: number;
  readonly end: number;
  /** Changes with seq <= this had completed when the sync began. */
  readonly seq: number;
}

/** A completed change of a whole range (punch, truncate): its bytes read as zeros from then on. */
interface Zeroed {
  readonly start: number;
  readonly end: number;
  readonly seq: number;
}

class FileShadow {
  /** Bytes written since setup, by 64-byte line; an absent line reads as `initialByte`. */
  readonly data = new LineStore();
  /** seq of the last completed write to any byte of each page written (V6 visits these pages). */
  readonly seqs = new Map<number, number>();
  /** Punches and truncates, in order: one entry each, however large the range. */
  readonly zeroed: Zeroed[] = [];
  readonly inflight: Range[] = [];
  readonly syncs: Sync[] = [];
  readonly pendingSyncs = new Map<number, Sync>();

  constructor(
    /** The setup layout, with punched and truncated ranges turned into holes: what an unwritten byte reads as. */
    readonly initial: Iomap[],
    readonly fill: number,
  ) {}

  initialByte(offset: number): number {
    for (const e of this.initial) {
      if (offset >= e.offset && offset < e.offset + e.length) return e.type === 'mapped' ? this.fill : 0;
    }
    return 0;
  }

  /** A line a write covers in part starts as the setup bytes (zeros unless the file had a fill). */
  readonly initLine: LineInit = (addr, dst, off) => {
    if (this.fill === 0) return;
    for (let i = 0; i < LINE_BYTES; i++) dst[off + i] = this.initialByte(addr + i);
  };

  write(offset: number, data: Uint8Array, seq: number): void {
    this.data.write(offset, data, 0, data.length, this.initLine);
    const last = Math.floor((offset + data.length - 1) / PAGE_SIZE);
    for (let index = Math.floor(offset / PAGE_SIZE); index <= last; index++) this.seqs.set(index, seq);
  }

  /** [start, end) now reads as zeros: written lines are zeroed, setup bytes become a hole. */
  zero(start: number, end: number, seq: number): void {
    this.data.removeCovered(start, end - start);
    this.data.fillPresent(start, end - start, 0);
    this.initial.splice(0, this.initial.length, ...carve(this.initial, start, end));
    this.zeroed.push({ start, end, seq });
  }

  /** seq of the last completed change to any byte of page `index` (0: none since setup). */
  pageSeq(index: number): number {
    let seq = this.seqs.get(index) ?? 0;
    const base = index * PAGE_SIZE;
    for (const z of this.zeroed) if (z.seq > seq && z.start < base + PAGE_SIZE && z.end > base) seq = z.seq;
    return seq;
  }

  expectedByte(offset: number): number {
    return this.data.byteAt(offset) ?? this.initialByte(offset);
  }

  /** The bytes [offset, offset + len) should hold. */
  expectedBytes(offset: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    if (this.fill !== 0) for (let i = 0; i < len; i++) out[i] = this.initialByte(offset + i);
    this.data.readInto(offset, out, 0, len, 'keep');
    return out;
  }

  ambiguous(offset: number): boolean {
    for (const r of this.inflight) if (offset >= r.start && offset < r.end) return true;
    return false;
  }
}

/** `extents` with [start, end) cut out of every mapped or unwritten extent (what a punch leaves). */
function carve(extents: readonly Iomap[], start: number, end: number): Iomap[] {
  const out: Iomap[] = [];
  for (const e of extents) {
    const eEnd = e.offset + e.length;
    if (eEnd <= start || e.offset >= end) {
      out.push(e);
      continue;
    }
    if (e.offset < start) out.push({ ...e, length: start - e.offset });
    if (eEnd > end)
      out.push({ ...e, offset: end, length: eEnd - end, sector: e.sector + (end - e.offset) / SECTOR_SIZE });
  }
  return out;
}

/** The footprint key of every oracle call (a no-op outside footprinted steps). */
const FOOTPRINT_KEY = 'oracle';

function hexOf(bytes: number[]): string {
  return `0x${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The V5/V6 oracle; also the workload observer that feeds it. */
export class DataOracle implements WorkloadObserver {
  readonly violations: Violation[] = [];
  private readonly shadows = new Map<AddressSpace, FileShadow>();
  /** Private COW pages: bytes the owning process wrote, keyed `process:vpage`. */
  private readonly privateBytes = new Map<string, Map<number, number>>();
  /** The file page each private page copies (truncate drops copies past the new size, F3). */
  private readonly privateOwner = new Map<string, { file: AddressSpace; index: number }>();
  private seq = 0;
  private nextToken = 1;

  constructor(
    private readonly world: World,
    fills: ReadonlyMap<string, number>,
  ) {
    for (const [path, mapping] of world.files) {
      // The setup fill stops at the file size: the rest of the last block reads as zeros.
      const size = mapping.host.size;
      const initial = world.fs.extents(mapping.host).map((e) => clip(e, size));
      this.shadows.set(mapping, new FileShadow(initial, fills.get(path) ?? 0));
    }
  }

  private shadow(file: AddressSpace): FileShadow {
    const s = this.shadows.get(file);
    if (s === undefined) throw new Error(`oracle: unknown file ${file.name}`);
    return s;
  }

  writeBegin(file: AddressSpace, offset: number, length: number): number {
    this.world.rt.touch(FOOTPRINT_KEY);
    const token = this.nextToken++;
    this.shadow(file).inflight.push({ token, start: offset, end: offset + length });
    return token;
  }

  /** End an in-flight range without a change (a failed call). */
  rangeEnd(file: AddressSpace, token: number): void {
    this.world.rt.touch(FOOTPRINT_KEY);
    const s = this.shadow(file);
    const i = s.inflight.findIndex((r) => r.token === token);
    if (i >= 0) s.inflight.splice(i, 1);
  }

  writeDone(file: AddressSpace, offset: number, data: Uint8Array, via: Via): void {
    this.world.rt.touch(FOOTPRINT_KEY);
    if (via.kind === 'mapping' && !via.shared) {
      const key = `${via.proc.id}:${Math.floor(via.vaddr / PAGE_SIZE)}`;
      let own = this.privateBytes.get(key);
      for (let i = 0; i < data.length; i++) {
        const vpage = `${via.proc.id}:${Math.floor((via.vaddr + i) / PAGE_SIZE)}`;
        if (vpage !== key || own === undefined) {
          own = this.privateBytes.get(vpage) ?? new Map<number, number>();
          this.privateBytes.set(vpage, own);
          this.privateOwner.set(vpage, { file, index: Math.floor((offset + i) / PAGE_SIZE) });
        }
        own.set((via.vaddr + i) % PAGE_SIZE, data[i]!);
      }
      return;
    }
    if (data.length > 0) this.shadow(file).write(offset, data, ++this.seq);
  }

  readBegin(_file: AddressSpace): number {
    this.world.rt.touch(FOOTPRINT_KEY);
    return this.seq;
  }

  unmapped(proc: Process, start: number, end: number): void {
    this.world.rt.touch(FOOTPRINT_KEY);
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.ceil(end / PAGE_SIZE);
    for (let vpage = first; vpage < last; vpage++) {
      const key = `${proc.id}:${vpage}`;
      this.privateBytes.delete(key);
      this.privateOwner.delete(key);
    }
  }

  readDone(file: AddressSpace, offset: number, data: Uint8Array, via: Via, since: number): void {
    this.world.rt.touch(FOOTPRINT_KEY);
    const s = this.shadow(file);
    let bad: { at: number; expected: number[]; found: number[] } | null = null;
    let seqPage = -1;
    let changed = false;
    for (let i = 0; i < data.length; i++) {
      const at = offset + i;
      let expected: number | undefined;
      if (via.kind === 'mapping' && !via.shared) {
        const own = this.privateBytes.get(`${via.proc.id}:${Math.floor((via.vaddr + i) / PAGE_SIZE)}`);
        if (own !== undefined) expected = own.get((via.vaddr + i) % PAGE_SIZE);
        if (own !== undefined && expected === undefined) continue; // copied page: only own bytes known
      }
      if (expected === undefined) {
        // In flight, or changed by a write that completed while this read ran: either is right.
        const page = Math.floor(at / PAGE_SIZE);
        if (page !== seqPage) {
          seqPage = page;
          changed = s.pageSeq(page) > since;
        }
        if (changed || s.ambiguous(at)) continue;
        expected = s.expectedByte(at);
      }
      if (data[i] !== expected) {
        if (bad === null) bad = { at, expected: [], found: [] };
        if (bad.found.length < 16) {
          bad.expected.push(expected);
          bad.found.push(data[i]!);
        }
      }
    }
    if (bad !== null) {
      const how =
        via.kind === 'mapping' ? `load by ${via.proc.name} at 0x${via.vaddr.toString(16)}` : 'read(2)';
      this.violations.push({
        invariant: 'V5',
        message: `${file.name} offset 0x${bad.at.toString(16)}: ${how} found ${hexOf(bad.found)}, latest write has ${hexOf(bad.expected)}`,
      });
    }
  }

  resized(file: AddressSpace, size: number): void {
    this.world.rt.touch(FOOTPRINT_KEY);
    // truncate_pagecache zaps private copies of whole pages past the new size (even_cows).
    const firstGone = Math.ceil(size / PAGE_SIZE);
    for (const [vpage, owner] of this.privateOwner) {
      if (owner.file !== file || owner.index < firstGone) continue;
      this.privateOwner.delete(vpage);
      this.privateBytes.delete(vpage);
    }
    // Bytes beyond the new size read as zeros after a later grow, even where the setup filled.
    this.shadow(file).zero(size, MAX_FILE_BYTES, ++this.seq);
  }

  punched(file: AddressSpace, offset: number, length: number): void {
    this.world.rt.touch(FOOTPRINT_KEY);
    if (length > 0) this.shadow(file).zero(offset, offset + length, ++this.seq);
  }

  syncBegin(file: AddressSpace, start: number, end: number): number {
    this.world.rt.touch(FOOTPRINT_KEY);
    const token = this.nextToken++;
    this.shadow(file).pendingSyncs.set(token, { start, end, seq: this.seq });
    return token;
  }

  syncDone(file: AddressSpace, token: number): void {
    this.world.rt.touch(FOOTPRINT_KEY);
    const s = this.shadow(file);
    const sync = s.pendingSyncs.get(token);
    if (sync === undefined) return;
    s.pendingSyncs.delete(token);
    s.syncs.push(sync);
  }

  /** V6 after a crash: every page changed before some completed sync over it is on media. */
  checkDurability(): Violation[] {
    const out: Violation[] = [];
    for (const [file, s] of this.shadows) {
      if (s.syncs.length === 0) continue;
      const size = file.host.size;
      // Pages never written hold setup bytes or zeros of a punch or truncate: nothing a crash can lose.
      for (const index of s.seqs.keys()) {
        const base = index * PAGE_SIZE;
        if (base >= size) continue;
        const seq = s.pageSeq(index);
        const covered = s.syncs.some((y) => y.seq >= seq && y.start <= base + PAGE_SIZE - 1 && y.end >= base);
        if (!covered) continue;
        const len = Math.min(PAGE_SIZE, size - base);
        const media = this.mediaBytes(file, base, len);
        const want = s.expectedBytes(base, len);
        for (let i = 0; i < len; i++) {
          if (media[i] !== want[i]) {
            out.push({
              invariant: 'V6',
              message: `${file.name} offset 0x${(base + i).toString(16)}: fsync returned, then a crash left 0x${media[i]!.toString(16).padStart(2, '0')} on media where 0x${want[i]!.toString(16).padStart(2, '0')} was written before the fsync`,
            });
            break;
          }
        }
      }
    }
    return out;
  }

  /** The file bytes [offset, offset+len) as the media holds them (what survives a crash). */
  private mediaBytes(file: AddressSpace, offset: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (const e of this.world.fs.extents(file.host, offset, len)) {
      if (e.type !== 'mapped') continue;
      const from = Math.max(offset, e.offset);
      const to = Math.min(offset + len, e.offset + e.length);
      if (to <= from) continue;
      const devOffset = e.sector * SECTOR_SIZE + (from - e.offset);
      out.set(this.world.dev.readMedia(devOffset, to - from), from - offset);
    }
    return out;
  }
}

function clip(e: Iomap, size: number): Iomap {
  const end = Math.min(e.offset + e.length, size);
  return { ...e, length: end - e.offset };
}
