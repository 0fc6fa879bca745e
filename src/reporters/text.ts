import pc from 'picocolors';
import type { Diagnostic } from '../engine/run.js';
import type { FileReport, ReportOptions } from './types.js';

type Style = 'bold' | 'red' | 'yellow' | 'blue' | 'cyan';

// Colour is decided by the caller (TTY, NO_COLOR), never guessed from the environment here.
function paint(on: boolean) {
  const colors = pc.createColors(on);
  return (style: Style, s: string): string => colors[style](s);
}

function frame(text: string, d: Diagnostic, c: ReturnType<typeof paint>): string {
  const lines = text.split(/\r?\n/);
  const first = d.range.start.line;
  const last = Math.min(d.range.end.line, first + 2);
  const from = Math.max(1, first - 1);
  const width = String(last).length;
  const gutter = (n: string): string => c('blue', `${n.padStart(width)} |`);
  const out = [gutter('')];
  for (let n = from; n <= last && n <= lines.length; n++) {
    out.push(`${gutter(String(n))} ${lines[n - 1]}`);
    if (n === first) {
      const end = d.range.end.line === first ? d.range.end.column : [...(lines[n - 1] ?? '')].length + 1;
      const marks = '^'.repeat(Math.max(1, end - d.range.start.column));
      out.push(`${gutter('')} ${' '.repeat(d.range.start.column - 1)}${c('red', `${marks} ${d.code}`)}`);
    }
  }
  out.push(gutter(''));
  return out.join('\n');
}

export function summary(files: FileReport[]): string {
  const all = files.flatMap((f) => f.diagnostics);
  if (all.length === 0) return 'All checks passed!';
  const by = (s: string): number => all.filter((d) => d.severity === s).length;
  const parts = [['error', by('error')], ['warning', by('warning')], ['info', by('info')]]
    .filter(([, n]) => n)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`);
  return `Found ${all.length} finding${all.length === 1 ? '' : 's'} (${parts.join(', ')}).`;
}

export function text(files: FileReport[], opts: ReportOptions): string {
  const c = paint(opts.color);
  const out: string[] = [];
  for (const f of files) {
    for (const d of f.diagnostics) {
      const loc = `${c('bold', f.path)}${c('cyan', ':')}${d.range.start.line}${c('cyan', ':')}${d.range.start.column}${c('cyan', ':')}`;
      const code = c(d.severity === 'error' ? 'red' : 'yellow', c('bold', d.code));
      out.push(`${loc} ${code} ${d.message}`);
      if (opts.frames) out.push(frame(f.text, d, c), '');
    }
  }
  out.push(summary(files));
  return `${out.join('\n')}\n`;
}

export function concise(files: FileReport[], opts: ReportOptions): string {
  return text(files, { ...opts, frames: false });
}
