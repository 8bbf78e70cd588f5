/**
 * The data oracle: a shadow of what every file should contain, for V5 (reads see the latest
 * completed write, or zeros / the setup fill if none) and V6 (after fsync returns, a crash
 * loses nothing written before the fsync began, unless overwritten, truncated or punched
 * since).
 *
 * Invariants: the shadow changes only when a write, truncate or punch *completes*; bytes
 * under an operation still in flight are ambiguous and not checked; private COW pages are
 * checked only on the bytes their own process wrote. Pages are shadowed lazily, so a large
 * read-only workload costs nothing. Every observer call touches the footprint key `oracle`
 * (X1 sleep sets): the oracle is shared by every task, so one key covers all of it.
 */
import type { AddressSpace } from '../dax/address-space.js';
import { type Iomap, SECTOR_SIZE } from '../fs/iomap.js';
import type { Process } from '../mm/process.js';
import { PAGE_SIZE } from '../mm/units.js';
import type { Via, WorkloadObserver } from '../workload/observer.js';
import type { World } from '../workload/world.js';
import type { Violation } from './violation.js';

interface ShadowPage {
  readonly data: Uint8Array;
  /** seq of the last completed change to any byte of the page. */
  seq: number;
}

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

class FileShadow {
  readonly pages = new Map<number, ShadowPage>();
  readonly inflight: Range[] = [];
  readonly syncs: Sync[] = [];
  readonly pendingSyncs = new Map<number, Sync>();

  constructor(
    /** The setup layout: what a never-written byte reads as. */
    readonly initial: Iomap[],
    readonly fill: number,
  ) {}

  initialByte(offset: number): number {
    for (const e of this.initial) {
      if (offset >= e.offset && offset < e.offset + e.length) return e.type === 'mapped' ? this.fill : 0;
    }
    return 0;
  }

  page(index: number): ShadowPage {
    let p = this.pages.get(index);
    if (p === undefined) {
      const data = new Uint8Array(PAGE_SIZE);
      const base = index * PAGE_SIZE;
      if (this.fill !== 0) for (let i = 0; i < PAGE_SIZE; i++) data[i] = this.initialByte(base + i);
      p = { data, seq: 0 };
      this.pages.set(index, p);
    }
    return p;
  }

  expectedByte(offset: number): number {
    const p = this.pages.get(Math.floor(offset / PAGE_SIZE));
    return p === undefined ? this.initialByte(offset) : p.data[offset % PAGE_SIZE]!;
  }

  ambiguous(offset: number): boolean {
    for (const r of this.inflight) if (offset >= r.start && offset < r.end) return true;
    return false;
  }
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
    const s = this.shadow(file);
    const seq = ++this.seq;
    for (let i = 0; i < data.length; ) {
      const at = offset + i;
      const p = s.page(Math.floor(at / PAGE_SIZE));
      const n = Math.min(data.length - i, PAGE_SIZE - (at % PAGE_SIZE));
      p.data.set(data.subarray(i, i + n), at % PAGE_SIZE);
      p.seq = seq;
      i += n;
    }
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
        if (s.ambiguous(at) || (s.pages.get(Math.floor(at / PAGE_SIZE))?.seq ?? 0) > since) continue;
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
    const s = this.shadow(file);
    const seq = ++this.seq;
    for (const [index, p] of s.pages) {
      const base = index * PAGE_SIZE;
      if (base + PAGE_SIZE <= size) continue;
      p.data.fill(0, Math.max(0, size - base));
      p.seq = seq;
    }
    // Bytes beyond the new size read as zeros after a later grow, even where the setup filled.
    s.initial.splice(
      0,
      s.initial.length,
      ...s.initial.filter((e) => e.offset < size).map((e) => clip(e, size)),
    );
  }

  punched(file: AddressSpace, offset: number, length: number): void {
    this.world.rt.touch(FOOTPRINT_KEY);
    const s = this.shadow(file);
    const zeros = new Uint8Array(length);
    const seq = ++this.seq;
    for (let i = 0; i < length; ) {
      const at = offset + i;
      const p = s.page(Math.floor(at / PAGE_SIZE));
      const n = Math.min(length - i, PAGE_SIZE - (at % PAGE_SIZE));
      p.data.set(zeros.subarray(0, n), at % PAGE_SIZE);
      p.seq = seq;
      i += n;
    }
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
      for (const [index, p] of s.pages) {
        const base = index * PAGE_SIZE;
        if (base >= size) continue;
        const covered = s.syncs.some(
          (y) => y.seq >= p.seq && y.start <= base + PAGE_SIZE - 1 && y.end >= base,
        );
        if (!covered) continue;
        const len = Math.min(PAGE_SIZE, size - base);
        const media = this.mediaBytes(file, base, len);
        for (let i = 0; i < len; i++) {
          if (media[i] !== p.data[i]) {
            out.push({
              invariant: 'V6',
              message: `${file.name} offset 0x${(base + i).toString(16)}: fsync returned, then a crash left 0x${media[i]!.toString(16).padStart(2, '0')} on media where 0x${p.data[i]!.toString(16).padStart(2, '0')} was written before the fsync`,
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
