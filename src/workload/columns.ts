/**
 * Text tables: rows of cells as lines, each column as wide as its widest cell (daxsim-only;
 * the report's per-mapping section and the CLI's side-by-side tables).
 *
 * Invariant: no line ends in blanks, so a table compares equal whatever its last column holds.
 */

/** How alignColumns lays a table out. */
export interface ColumnLayout {
  /** Columns aligned right (numbers); the rest are aligned left. */
  right?: ReadonlySet<number>;
  /** Put before every line. */
  indent?: string;
}

/** The lines of `rows`: cells padded to their column's width, two blanks between columns. */
export function alignColumns(rows: readonly (readonly string[])[], layout: ColumnLayout = {}): string[] {
  const widths: number[] = [];
  for (const r of rows) for (let c = 0; c < r.length; c++) widths[c] = Math.max(widths[c] ?? 0, r[c]!.length);
  const right = layout.right;
  const indent = layout.indent ?? '';
  return rows.map((r) =>
    `${indent}${r.map((v, c) => (right?.has(c) ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join('  ')}`.trimEnd(),
  );
}
