/**
 * Value checks on a parsed scenario that the schema cannot make alone: alignment, ranges that depend on
 * other keys (device size, file size), extent coverage, and the limits that keep a run bounded.
 *
 * Invariants:
 * - pure: reads the raw scenario, returns `PathIssue`s (never throws on bad input);
 * - alignment is to the 4 KiB page / block (F1): mapping offsets (the kernel's pgoff), explicit
 *   addresses, extent bounds and sectors, msync starts (msync(2) fails with EINVAL otherwise);
 * - extents are checked per file in order and stop at the first break, so one slip gives one message;
 * - limits: data an op carries and bytes it reads are at most `MAX_IO_BYTES` (the runner holds them in
 *   memory), a non-zero `fill` is for files with at most `MAX_FILL_BYTES` mapped (setup writes each byte).
 */

import { MAX_BASE_ALIGN, MAX_DEVICE_BYTES } from '../../block/pmem.js';
import { MAX_FILE_BYTES, SECTOR_SIZE } from '../../fs/iomap.js';
import { PAGE_SIZE, PMD_SIZE, TASK_SIZE } from '../../mm/units.js';
import type { DocPath, PathIssue } from './error.js';
import { formatDocPath } from './error.js';
import { type RawMapping, type RawOp, rawOpEntry } from './op-schema.js';
import type { RawFile, RawScenario } from './schema.js';
import { alignUp, formatSize, isPowerOfTwo } from './sizes.js';

/** The most bytes one op may carry or read. */
export const MAX_IO_BYTES = 64 * 2 ** 20;
/** The most mapped bytes a file with a non-zero `fill` may have. */
export const MAX_FILL_BYTES = 64 * 2 ** 20;
/**
 * The most accesses one `touch` may make, and all of a scenario's touches together: one access
 * takes about a microsecond, so this bounds a run to well under a minute of accesses.
 */
export const MAX_TOUCH_ACCESSES = 2 ** 24;

/** The accesses a touch makes: one every `stride` bytes of [offset, offset + length). */
export function touchAccesses(op: { length: number; stride: number }): number {
  return op.stride < 1 ? 0 : Math.ceil(op.length / op.stride);
}

/** 512-byte sectors per page. */
const SECTORS_PER_PAGE = PAGE_SIZE / SECTOR_SIZE;
/** The allocator keeps the device's first page for its superblock (the fs model does the same). */
const FIRST_FREE_SECTOR = SECTORS_PER_PAGE;

const PAGE_ALIGNED = 'a multiple of 4KiB (page aligned)';

type Push = (path: DocPath, expected: string, got?: string) => void;

function checkDevice(raw: RawScenario, push: Push): void {
  const { device, fs } = raw;
  if (device.size < PAGE_SIZE || device.size % PAGE_SIZE !== 0) {
    push(['device', 'size'], 'a non-zero multiple of 4KiB');
  } else if (device.size > MAX_DEVICE_BYTES) {
    push(['device', 'size'], `at most ${formatSize(MAX_DEVICE_BYTES)} (the model's device limit)`);
  }
  if (!isPowerOfTwo(device.baseAlign) || device.baseAlign < PAGE_SIZE || device.baseAlign > MAX_BASE_ALIGN) {
    push(['device', 'baseAlign'], `a power of two from 4KiB to ${formatSize(MAX_BASE_ALIGN)} (B1)`);
  }
  if (fs.allocAlign !== PAGE_SIZE && fs.allocAlign !== PMD_SIZE)
    push(['fs', 'allocAlign'], '4KiB or 2MiB (F2)');
  if (fs.extentHint % PAGE_SIZE !== 0 || fs.extentHint < fs.allocAlign) {
    push(['fs', 'extentHint'], `a multiple of 4KiB of at least fs.allocAlign (${formatSize(fs.allocAlign)})`);
  }
  if (fs.freeSpace !== undefined && fs.freeSpace > device.size) {
    push(['fs', 'freeSpace'], `at most device.size (${formatSize(device.size)})`);
  }
}

function checkExtentSector(
  e: NonNullable<RawFile['extents']>[number],
  path: DocPath,
  deviceSize: number,
  push: Push,
) {
  if (e.sector === undefined) return;
  const at = [...path, 'sector'];
  if (e.type === 'hole') push(at, 'no sector on a hole extent');
  else if (e.sector % SECTORS_PER_PAGE !== 0) push(at, 'a multiple of 8 (a 4KiB-aligned sector)');
  else if (e.sector < FIRST_FREE_SECTOR)
    push(at, 'a sector of at least 8 (the first 4KiB holds the superblock)');
  else if (e.sector * SECTOR_SIZE + e.length > deviceSize) {
    push(at, `a sector whose extent ends inside the device (${formatSize(deviceSize)})`);
  }
}

/** The first break in an extent list, as an issue; extents in order, page aligned, covering [0, size). */
function extentProblem(file: RawFile, base: DocPath, deviceSize: number, push: Push): PathIssue | undefined {
  const extents = file.extents ?? [];
  const end = alignUp(file.size, PAGE_SIZE);
  let next = 0;
  for (const [j, e] of extents.entries()) {
    const path = [...base, j];
    if (e.offset !== next) {
      const why = j === 0 ? 'the first extent starts at 0' : 'each extent starts where the previous one ends';
      return { path: [...path, 'offset'], expected: `${formatSize(next)} (${why})` };
    }
    if (e.length < PAGE_SIZE || e.length % PAGE_SIZE !== 0) {
      return { path: [...path, 'length'], expected: 'a non-zero multiple of 4KiB (whole blocks, F1)' };
    }
    if (e.offset + e.length > end) {
      const expected = `an extent ending at or before ${formatSize(end)} (the file size, page rounded)`;
      return { path: [...path, 'length'], expected };
    }
    checkExtentSector(e, path, deviceSize, push);
    next = e.offset + e.length;
  }
  if (next === end) return undefined;
  const last = extents.length - 1;
  return {
    path: last < 0 ? base : [...base, last, 'length'],
    expected: `extents covering [0, size) up to ${formatSize(end)}`,
    got: `extents ending at ${formatSize(next)}`,
  };
}

function mappedBytes(file: RawFile): number {
  if (file.extents !== undefined) {
    return file.extents.reduce((sum, e) => sum + (e.type === 'mapped' ? e.length : 0), 0);
  }
  return file.layout === 'allocated' ? alignUp(file.size, PAGE_SIZE) : 0;
}

function checkFiles(raw: RawScenario, push: Push): void {
  for (const [i, file] of raw.files.entries()) {
    if (file.size > MAX_FILE_BYTES) {
      push(['files', i, 'size'], `at most ${formatSize(MAX_FILE_BYTES)} (the filesystem's largest file)`);
      continue;
    }
    const problem = file.extents && extentProblem(file, ['files', i, 'extents'], raw.device.size, push);
    if (problem) push(problem.path, problem.expected, problem.got);
    if (file.fill !== 0 && mappedBytes(file) > MAX_FILL_BYTES) {
      push(['files', i, 'fill'], `fill 0 for a file with over ${formatSize(MAX_FILL_BYTES)} mapped`);
    }
  }
}

/** Explicit sectors (any file) must not share a block: two files never own the same device page. */
function checkSectorOverlaps(raw: RawScenario, push: Push): void {
  const ranges: { start: number; end: number; path: DocPath }[] = [];
  for (const [i, file] of raw.files.entries()) {
    for (const [j, e] of (file.extents ?? []).entries()) {
      if (e.sector === undefined || e.type === 'hole') continue;
      ranges.push({
        start: e.sector * SECTOR_SIZE,
        end: e.sector * SECTOR_SIZE + e.length,
        path: ['files', i, 'extents', j],
      });
    }
  }
  ranges.sort((a, b) => a.start - b.start);
  for (let k = 1; k < ranges.length; k++) {
    const prev = ranges[k - 1];
    const cur = ranges[k];
    if (prev !== undefined && cur !== undefined && cur.start < prev.end) {
      push([...cur.path, 'sector'], `a sector range not overlapping ${formatDocPath(prev.path)}`);
    }
  }
}

/** Initial mappings with explicit addresses must not overlap within their process (mmap: EINVAL). */
function checkMappingOverlaps(raw: RawScenario, push: Push): void {
  for (const [i, p] of (raw.processes ?? []).entries()) {
    const placed: { start: number; end: number; j: number }[] = [];
    for (const [j, m] of p.mappings.entries()) {
      if (m.address === 'auto' || m.address % PAGE_SIZE !== 0) continue;
      const start = m.address;
      const end = start + alignUp(m.length, PAGE_SIZE);
      const hit = placed.find((r) => start < r.end && r.start < end);
      if (hit !== undefined) {
        const other = formatDocPath(['processes', i, 'mappings', hit.j]);
        push(['processes', i, 'mappings', j, 'address'], `an address range not overlapping ${other}`);
      } else placed.push({ start, end, j });
    }
  }
}

function checkMapping(m: RawMapping, path: DocPath, push: Push): void {
  if (m.offset % PAGE_SIZE !== 0) push([...path, 'offset'], `a file offset that is ${PAGE_ALIGNED}`);
  if (m.length < 1) push([...path, 'length'], 'a length of at least 1 byte');
  if (m.address === 'auto') return;
  if (m.address % PAGE_SIZE !== 0) push([...path, 'address'], `"auto" or an address that is ${PAGE_ALIGNED}`);
  else if (m.address < PAGE_SIZE || m.address + alignUp(m.length, PAGE_SIZE) > TASK_SIZE) {
    push([...path, 'address'], 'an address range inside user space [0x1000, 0x7ffffffff000)');
  }
}

function checkLength(n: number, path: DocPath, min: number, push: Push): void {
  if (n < min) push(path, `at least ${min} byte${min === 1 ? '' : 's'}`);
  else if (n > MAX_IO_BYTES) push(path, `at most ${formatSize(MAX_IO_BYTES)} (use touch for large ranges)`);
}

function checkEquals(
  equals: Uint8Array | undefined,
  length: number,
  exact: boolean,
  path: DocPath,
  push: Push,
) {
  if (equals === undefined) return;
  if (exact ? equals.length !== length : equals.length > length) {
    const want = exact ? `exactly ${length}` : `at most ${length}`;
    push(path, `${want} bytes (the op's length)`, `${equals.length} bytes`);
  }
}

function checkData(body: { data?: Uint8Array; length?: number }, path: DocPath, min: number, push: Push) {
  if (body.data !== undefined) checkLength(body.data.length, [...path, 'data'], min, push);
  else if (body.length !== undefined) checkLength(body.length, [...path, 'length'], min, push);
}

function checkOp(op: RawOp, opPath: DocPath, push: Push): void {
  const entry = rawOpEntry(op);
  const path = [...opPath, entry.kind];
  switch (entry.kind) {
    case 'read':
    case 'pread': {
      const exact = entry.kind === 'read';
      checkLength(entry.body.length, [...path, 'length'], exact ? 1 : 0, push);
      checkEquals(entry.body.equals, entry.body.length, exact, [...path, 'equals'], push);
      break;
    }
    case 'write':
    case 'pwrite':
      checkData(entry.body, path, entry.kind === 'write' ? 1 : 0, push);
      break;
    case 'touch': {
      const { length, stride } = entry.body;
      if (length < 1) push([...path, 'length'], 'at least 1 byte');
      if (stride < 1) push([...path, 'stride'], 'at least 1 byte');
      else if (touchAccesses(entry.body) > MAX_TOUCH_ACCESSES) {
        const leastBytes = Math.ceil(length / MAX_TOUCH_ACCESSES);
        const least = leastBytes < 1024 ? `${leastBytes} bytes` : formatSize(leastBytes);
        push(
          [...path, 'stride'],
          `a stride of at least ${least} (at most ${MAX_TOUCH_ACCESSES} accesses per touch, the model's limit)`,
          `${formatSize(stride)}: ${touchAccesses(entry.body)} accesses`,
        );
      }
      break;
    }
    case 'msync':
      if (entry.body.offset !== undefined && entry.body.offset % PAGE_SIZE !== 0) {
        push([...path, 'offset'], `an offset that is ${PAGE_ALIGNED} (msync(2) start)`);
      }
      break;
    case 'mmap':
      checkMapping(entry.body, path, push);
      break;
    default:
      break;
  }
}

/** All touches together stay under the limit too; reported at the touch that passes it. */
function checkTotalAccesses(raw: RawScenario, push: Push): void {
  let total = 0;
  for (const [i, t] of raw.tasks.entries()) {
    for (const [j, op] of t.ops.entries()) {
      const entry = rawOpEntry(op);
      if (entry.kind !== 'touch') continue;
      const n = touchAccesses(entry.body);
      if (n > MAX_TOUCH_ACCESSES) return; // already reported at its stride
      total += n;
      if (total > MAX_TOUCH_ACCESSES) {
        const expected = `touches making at most ${MAX_TOUCH_ACCESSES} accesses in all (the model's limit)`;
        push(['tasks', i, 'ops', j, 'touch'], expected, `${total} accesses by this touch`);
        return;
      }
    }
  }
}

/** Value checks needing more than one key or the page size; issues in document order of discovery. */
export function checkValues(raw: RawScenario): PathIssue[] {
  const issues: PathIssue[] = [];
  const push: Push = (path, expected, got) => {
    issues.push(got === undefined ? { path, expected } : { path, expected, got });
  };
  checkDevice(raw, push);
  checkFiles(raw, push);
  checkSectorOverlaps(raw, push);
  checkMappingOverlaps(raw, push);
  for (const [i, p] of (raw.processes ?? []).entries()) {
    for (const [j, m] of p.mappings.entries()) checkMapping(m, ['processes', i, 'mappings', j], push);
  }
  for (const [i, t] of raw.tasks.entries()) {
    for (const [j, op] of t.ops.entries()) checkOp(op, ['tasks', i, 'ops', j], push);
  }
  checkTotalAccesses(raw, push);
  for (const [i, inj] of raw.inject.entries()) {
    if (inj.nth !== undefined && inj.nth < 1) push(['inject', i, 'nth'], 'at least 1 (the first call is 1)');
  }
  return issues;
}
