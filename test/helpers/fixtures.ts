/**
 * World fixtures: the sizes, the file `data` and the process layouts over it that the model
 * tests build their Worlds from (as WorldOptions pieces; world.ts builds and drives the World).
 *
 * Invariants: plain data. The World's constructor only reads these specs, so tests may share
 * the constants; every process maps the one file `data`. scenario-yaml.ts has their YAML twins.
 */
import type { WorldOptions } from '../../src/workload/world.js';

/** Sizes, and the 2 MiB of a PMD. */
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const PMD = 2 * MiB;

/** One process of WorldOptions, and one mapping of it. */
export type ProcessSpec = NonNullable<WorldOptions['processes']>[number];
export type MappingSpec = NonNullable<ProcessSpec['mappings']>[number];

/** Process `name` with the single mapping `map` of `data` bytes [offset, offset + length), shared unless `extra` says. */
export function proc(
  name: string,
  map: string,
  offset: number,
  length: number,
  extra: Partial<MappingSpec> = {},
): ProcessSpec {
  return { name, mappings: [{ name: map, file: 'data', offset, length, ...extra }] };
}

/** The process layouts the model tests share: p maps all of `data` as m, 2 MiB aligned (2 MiB faults). */
export const P_WHOLE = proc('p', 'm', 0, 4 * MiB);
/** p maps all of `data` privately (M1: writes copy per 4 KiB). */
export const P_PRIVATE = proc('p', 'm', 0, 4 * MiB, { shared: false });
/**
 * q maps the first MiB of `data` as s: too small for a PMD, so 4 KiB faults only. Its address
 * is 2 MiB aligned, so the colours match and its 2 MiB faults fall back on vma-bounds (M2); a
 * small mapping placed anywhere else would fall back on colour (M3) first (4.13 on).
 */
export const Q_ADDRESS = 0x7f0000200000;
export const Q_LOW = proc('q', 's', 0, 1 * MiB, { address: Q_ADDRESS });
/** q maps the MiB at 2 MiB as s: 4 KiB faults inside the second PMD block (index 0x200 up). */
export const Q_HIGH = proc('q', 's', 2 * MiB, 1 * MiB, { address: Q_ADDRESS });

/** The file `data`: 4 MiB (sparse unless `extra` says), as WorldOptions.files. */
export function dataFile(extra: Partial<WorldOptions['files'][number]> = {}): WorldOptions['files'] {
  return [{ path: 'data', sizeBytes: 4 * MiB, ...extra }];
}
