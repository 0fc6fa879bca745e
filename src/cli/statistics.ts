import type { FileReport, Format } from '../reporters/index.js';

/** `--statistics`: findings counted per rule, most frequent first. */
export function statistics(files: FileReport[], format: Format): string {
  const counts = new Map<string, { code: string; rule: string; count: number }>();
  for (const f of files) {
    for (const d of f.diagnostics) {
      const c = counts.get(d.code) ?? { code: d.code, rule: d.rule, count: 0 };
      c.count++;
      counts.set(d.code, c);
    }
  }
  const rows = [...counts.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (!rows.length) return 'All checks passed!\n';
  const w = String(rows[0].count).length;
  return `${rows.map((r) => `${String(r.count).padStart(w)}\t${r.code}\t${r.rule}`).join('\n')}\n`;
}
