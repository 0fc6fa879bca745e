import type { ImpactUnit } from '../model/fixes.js';
import type { FileReport } from './types.js';

/** The requests of one unit's findings, now and once every fix on offer is applied. */
interface Requests {
  findings: number;
  now: number;
  after: number;
  /** Requests made once, out of the loops, in place of repeated ones. */
  once: number;
  /** Findings whose figure after the fix depends on a name (`log_every`): left out of `now` and `after`. */
  named: number;
}

interface Row {
  code: string;
  rule: string;
  count: number;
  fixable: number;
  unsafe: number;
}

const UNITS: [ImpactUnit, string][] = [
  ['step', 'per training step'],
  ['iteration', 'per iteration of the loops they run in'],
  ['item', 'per item of the dicts they loop over'],
  ['call', 'per call of the functions they run in'],
  ['run', 'in code that runs once'],
];

const round = (n: number): string => String(Math.round(n * 100) / 100);

/** `--statistics`: findings counted per rule, most frequent first, and the requests they cost, added up per unit only. */
export function statistics(files: FileReport[], format: string): string {
  const counts = new Map<string, Row>();
  const requests = new Map<ImpactUnit, Requests>();
  for (const f of files) {
    for (const d of f.diagnostics) {
      const c = counts.get(d.code) ?? { code: d.code, rule: d.rule, count: 0, fixable: 0, unsafe: 0 };
      c.count++;
      if (d.fix?.safety === 'safe') c.fixable++;
      else if (d.fix) c.unsafe++;
      counts.set(d.code, c);
      const i = d.impact;
      if (!i) continue;
      const r = requests.get(i.unit) ?? { findings: 0, now: 0, after: 0, once: 0, named: 0 };
      r.findings++;
      if (i.after && i.after.perUnit === null) r.named++;
      else {
        r.now += i.now;
        // Without a fix the requests stay as they are.
        r.after += i.after ? (i.after.perUnit as number) : i.now;
        r.once += i.after?.once ?? 0;
      }
      requests.set(i.unit, r);
    }
  }
  const rows = [...counts.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  if (format !== 'text' && format !== 'concise')
    return `${JSON.stringify({ rules: rows, requests: Object.fromEntries(requests) }, null, 2)}\n`;
  if (!rows.length) return 'All checks passed!\n';
  const w = String(rows[0].count).length;
  const fixes = (r: Row): string =>
    [r.fixable ? `[*] ${r.fixable} fixable` : '', r.unsafe ? `${r.unsafe} unsafe fix${r.unsafe === 1 ? '' : 'es'}` : '']
      .filter(Boolean)
      .join(', ');
  const lines = rows.map((r) => [String(r.count).padStart(w), r.code, r.rule, fixes(r)].filter(Boolean).join('\t'));
  if (requests.size)
    lines.push('', 'Tracking requests, now → after every fix on offer (with --unsafe-fixes), added up per unit:');
  for (const [unit, words] of UNITS) {
    const r = requests.get(unit);
    if (!r) continue;
    const figures = r.now || !r.named ? `${round(r.now)} → ${round(r.after)}` : '';
    const extra = [
      r.once ? `and ${r.once} once, out of the loops` : '',
      r.named ? `${r.named} more under an interval the code names` : '',
    ]
      .filter(Boolean)
      .join('; ');
    lines.push(`  ${words}: ${[figures, extra].filter(Boolean).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
