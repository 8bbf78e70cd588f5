/**
 * Validation and normalisation of a file's initial layout (scenario `files[]`): a `layout` name
 * or explicit `extents` become one list of block-aligned allocated extents to create.
 *
 * Invariants of a plan:
 * - Extents are in file order, block aligned, disjoint, inside [0, size rounded up to 4 KiB).
 * - Holes are left out (they are the gaps); a `phys` is present only where the spec gave a sector,
 *   and such explicit device ranges do not overlap each other.
 * Broken input throws a RangeError naming the file and the extent, since a scenario that reaches
 * here has passed schema validation and a bad layout is a caller bug.
 */
import type { AllocatedType } from './extent-map.js';
import { BLOCK_SIZE, type CreateFileOptions, type ExtentSpec, MAX_FILE_BYTES, SECTOR_SIZE } from './iomap.js';

/** One allocated extent to create: at `phys` when the spec fixed its sector, else where the allocator picks. */
export interface PlannedExtent {
  offset: number;
  length: number;
  type: AllocatedType;
  phys?: number;
}

const SECTORS_PER_BLOCK = BLOCK_SIZE / SECTOR_SIZE;

/** Turns createFile options into the allocated extents to create (holes omitted). */
export function planLayout(path: string, opts: CreateFileOptions): PlannedExtent[] {
  const { size } = opts;
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_FILE_BYTES) {
    throw new RangeError(`createFile ${path}: size ${size} must be an integer in [0, 2^52]`);
  }
  const blockEnd = Math.ceil(size / BLOCK_SIZE) * BLOCK_SIZE;
  if (opts.extents !== undefined) {
    if (opts.layout !== undefined) {
      throw new RangeError(`createFile ${path}: give either layout or extents, not both`);
    }
    return planExplicit(path, size, blockEnd, opts.extents);
  }
  const layout = opts.layout ?? 'sparse';
  if (layout === 'sparse' || blockEnd === 0) return [];
  if (layout !== 'allocated' && layout !== 'unwritten') {
    throw new RangeError(`createFile ${path}: unknown layout ${String(layout)}`);
  }
  return [{ offset: 0, length: blockEnd, type: layout === 'allocated' ? 'mapped' : 'unwritten' }];
}

function planExplicit(path: string, size: number, blockEnd: number, specs: ExtentSpec[]): PlannedExtent[] {
  const plan: PlannedExtent[] = [];
  let cursor = 0;
  specs.forEach((spec, i) => {
    const where = `createFile ${path}: extents[${i}]`;
    const { offset, length, type } = spec;
    if (offset !== cursor) {
      throw new RangeError(
        `${where}: offset ${offset} must be ${cursor} (extents in order, covering [0, size))`,
      );
    }
    if (!Number.isSafeInteger(length) || length <= 0) {
      throw new RangeError(`${where}: length ${length} must be a positive integer`);
    }
    const end = offset + length;
    const last = i === specs.length - 1;
    // Only the last extent may end inside a block, and then exactly at the file size.
    const aligned = end % BLOCK_SIZE === 0 ? end : last && end === size ? blockEnd : -1;
    if (aligned < 0) throw new RangeError(`${where}: end ${end} is not a multiple of 4096`);
    if (type !== 'mapped' && type !== 'unwritten' && type !== 'hole') {
      throw new RangeError(`${where}: unknown type ${String(type)}`);
    }
    const planned: PlannedExtent = {
      offset,
      length: aligned - offset,
      type: type === 'hole' ? 'mapped' : type,
    };
    if (spec.sector !== undefined) {
      const s = spec.sector;
      if (type === 'hole') throw new RangeError(`${where}: a hole has no sector`);
      if (!Number.isSafeInteger(s) || s < 0 || s % SECTORS_PER_BLOCK !== 0) {
        throw new RangeError(`${where}: sector ${s} must be a non-negative multiple of 8 (a 4 KiB block)`);
      }
      planned.phys = s * SECTOR_SIZE;
    }
    if (type !== 'hole') plan.push(planned);
    cursor = aligned;
  });
  if (cursor !== blockEnd) {
    throw new RangeError(`createFile ${path}: extents cover [0, ${cursor}) but the file size is ${size}`);
  }
  assertDisjointPhys(path, plan);
  return plan;
}

function assertDisjointPhys(path: string, plan: PlannedExtent[]): void {
  const fixed = plan.filter((p) => p.phys !== undefined).sort((a, b) => a.phys! - b.phys!);
  for (let i = 1; i < fixed.length; i++) {
    const a = fixed[i - 1]!;
    const b = fixed[i]!;
    if (a.phys! + a.length > b.phys!) {
      throw new RangeError(
        `createFile ${path}: extents at file offsets ${a.offset} and ${b.offset} overlap on the device`,
      );
    }
  }
}
