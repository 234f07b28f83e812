// Plain-text tables (demo's comparison, the benchmark's sections): the first column left-aligned, the
// rest right-aligned, a dashed rule under the head.

/** A text table: `head` and `rows` of cells, columns as wide as their widest cell, two spaces apart. */
export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
