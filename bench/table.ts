/**
 * Renders benchmark results as a fixed-width text table for stderr.
 *
 * Invariant: pure formatting; every result becomes exactly one row, in input order.
 */
import type { BenchResult } from './harness.js';

/** Three significant digits, with thousands grouping for large values. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  if (abs === 0) return '0';
  return v.toPrecision(3);
}

/** One row per result: suite, name, value unit, baseline, ratio, target, met, spread, samples. */
export function formatTable(results: readonly BenchResult[]): string {
  const header = ['suite', 'name', 'value', 'unit', 'baseline', 'ratio', 'target', 'met', 'spread', 'n'];
  const rows = results.map((r) => [
    r.suite,
    r.name,
    formatNumber(r.value),
    r.unit,
    r.baseline === undefined ? '' : `${r.baseline.name} ${formatNumber(r.baseline.value)}`,
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    `${(r.spread * 100).toFixed(1)}%`,
    String(r.samples),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const numeric = new Set([2, 5, 8, 9]);
  const line = (row: string[]): string =>
    row
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
