/**
 * The text of the report's per-mapping section, and the small formatters the report's text
 * shares: a byte count in binary units, a fallback reason with its rule id.
 *
 * Invariant: pure functions of their arguments; one row per mapping, in the report's order,
 * each followed by its fallback reasons when it has any; rows stay under 100 columns for
 * names of ordinary length.
 */
import { FALLBACK_RULE, type FallbackReason } from '../dax/fallback.js';
import { alignColumns } from './columns.js';
import type { MappingReport } from './report-mappings.js';

/** `n` bytes in the largest binary unit, e.g. `4.0 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** A fallback reason as the report prints it: `colour (M3)`. */
export function reasonLabel(reason: string): string {
  return `${reason} (${FALLBACK_RULE[reason as FallbackReason] ?? '?'})`;
}

/** "Did it get huge pages?" for one mapping at the end of the run. */
function verdict(m: MappingReport): string {
  if (m.unmapped) return 'unmapped';
  const { huge, ptes } = m.blocks;
  if (huge === 0 && ptes === 0) return '-';
  if (ptes === 0) return 'yes';
  return huge === 0 ? 'no' : 'partly';
}

const HEAD = [
  'mapping',
  'file',
  'offset',
  'size',
  'huge',
  'PTEs',
  'none',
  'huge?',
  'pmd',
  'pte',
  'fallback',
  'SIGBUS',
];
/** Columns aligned right: the numbers (mapping, file and huge? are text). */
const RIGHT = new Set([2, 3, 4, 5, 6, 8, 9, 10, 11]);

/** The per-mapping section, or nothing when no mapping was ever made. */
export function formatMappings(mappings: readonly MappingReport[]): string[] {
  if (mappings.length === 0) return [];
  const rows = mappings.map((m) => [
    `${m.process}/${m.name}`,
    m.file,
    formatBytes(m.fileOffset),
    formatBytes(m.length),
    String(m.blocks.huge),
    String(m.blocks.ptes),
    String(m.blocks.none),
    verdict(m),
    String(m.faults.pmd),
    String(m.faults.pte),
    String(m.faults.fallback),
    String(m.faults.sigbus),
  ]);
  const lines = alignColumns([HEAD, ...rows], { right: RIGHT, indent: '  ' });
  const out = [
    'mappings (2 MiB blocks at the end: one huge PMD, by 4 KiB PTEs, or none; faults during the run)',
    lines[0]!,
  ];
  for (const [i, m] of mappings.entries()) {
    out.push(lines[i + 1]!);
    const reasons = Object.entries(m.faults.fallbackReasons);
    if (reasons.length > 0) {
      out.push(`      fallbacks: ${reasons.map(([k, v]) => `${reasonLabel(k)} ${v}`).join(', ')}`);
    }
  }
  return out;
}
