import type { FileReport, Format } from '../reporters/index.js';

interface Requests {
  now: number;
  after: number;
  /** Findings whose request count cannot be known statically. */
  unknown: number;
}

interface Row {
  code: string;
  rule: string;
  count: number;
  fixable: number;
  unsafe: number;
  requests: Requests;
}

const round = (n: number): string => String(Math.round(n * 100) / 100);

/** `--statistics`: findings counted per rule, most frequent first, and the requests they cost. */
export function statistics(files: FileReport[], format: Format): string {
  const counts = new Map<string, Row>();
  const total: Requests = { now: 0, after: 0, unknown: 0 };
  for (const f of files) {
    for (const d of f.diagnostics) {
      const c = counts.get(d.code) ?? { code: d.code, rule: d.rule, count: 0, fixable: 0, unsafe: 0, requests: { now: 0, after: 0, unknown: 0 } };
      c.count++;
      if (d.fix?.safety === 'safe') c.fixable++;
      else if (d.fix) c.unsafe++;
      for (const acc of [c.requests, total]) {
        const i = d.impact;
        if (!i) continue;
        if (i.requestsPerIteration === null || i.afterFix === null) acc.unknown++;
        else {
          acc.now += i.requestsPerIteration;
          acc.after += i.afterFix;
        }
      }
      counts.set(d.code, c);
    }
  }
  const rows = [...counts.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  if (format !== 'text' && format !== 'concise') return `${JSON.stringify({ rules: rows, requests: total }, null, 2)}\n`;
  if (!rows.length) return 'All checks passed!\n';
  const w = String(rows[0].count).length;
  const fixes = (r: Row): string => [r.fixable ? `[*] ${r.fixable} fixable` : '', r.unsafe ? `${r.unsafe} unsafe fix${r.unsafe === 1 ? '' : 'es'}` : '']
    .filter(Boolean).join(', ');
  const lines = rows.map((r) => [String(r.count).padStart(w), r.code, r.rule, fixes(r)].filter(Boolean).join('\t'));
  lines.push(`requests per iteration of the loops they run in: ${round(total.now)} → ${round(total.after)}${total.unknown ? ` (and ${total.unknown} more whose count depends on data: dict loops and calls without a fix)` : ''}`);
  return `${lines.join('\n')}\n`;
}
