// GitHub Actions workflow commands, one per finding. Escaping follows the runner's rules
// (actions/toolkit `command.ts`): data escapes `%`, `\r`, `\n`; properties also `:` and `,`.
import type { Severity } from '../engine/define-rule.js';
import { oneLine } from '../engine/words.js';
import { onDisk } from './location.js';
import type { FileReport } from './types.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function github(files: FileReport[]): string {
  const out: string[] = [];
  for (const f of files) {
    for (const d of f.diagnostics) {
      const at = onDisk(f, d);
      const props: [string, string | number][] = [
        ['file', f.repoPath ?? f.path],
        ['line', at.line],
        ['endLine', at.endLine],
      ];
      // GitHub rejects column ranges that span lines.
      if (at.line === at.endLine && at.column !== undefined && at.endColumn !== undefined)
        props.push(['col', at.column], ['endColumn', at.endColumn]);
      props.push(['title', `mlflint (${d.code})`]);
      const p = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
      out.push(`::${COMMAND[d.severity]} ${p}::${escapeData(`${d.code} ${oneLine(d)}`)}`);
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
