import pc from 'picocolors';
import type { Diagnostic } from '../engine/run.js';
import { shown } from './location.js';
import type { FileReport, ReportOptions } from './types.js';

type Style = 'bold' | 'red' | 'yellow' | 'blue' | 'cyan';

// Colour is decided by the caller (TTY, NO_COLOR), never guessed from the environment here.
function paint(on: boolean) {
  const colors = pc.createColors(on);
  return (style: Style, s: string): string => colors[style](s);
}

function frame(f: FileReport, d: Diagnostic, c: ReturnType<typeof paint>): string {
  const s = shown(f, d);
  // In a notebook the frame shows the cell, numbered as the cell's own lines.
  const lines = s.cell !== undefined && f.notebook ? f.notebook.cellLines(s.cell) : f.text.split(/\r?\n/);
  const range = { start: { line: s.line, column: s.column }, end: { line: s.endLine, column: s.endColumn } };
  const first = range.start.line;
  const last = Math.min(range.end.line, first + 2);
  const from = Math.max(1, first - 1);
  const width = String(last).length;
  const gutter = (n: string): string => c('blue', `${n.padStart(width)} |`);
  const out = [gutter('')];
  for (let n = from; n <= last && n <= lines.length; n++) {
    out.push(`${gutter(String(n))} ${lines[n - 1]}`);
    if (n === first) {
      const end = range.end.line === first ? range.end.column : [...(lines[n - 1] ?? '')].length + 1;
      const marks = '^'.repeat(Math.max(1, end - range.start.column));
      out.push(`${gutter('')} ${' '.repeat(range.start.column - 1)}${c('red', `${marks} ${d.code}`)}`);
    }
  }
  out.push(gutter(''));
  return out.join('\n');
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;

export function summary(files: FileReport[], opts: Pick<ReportOptions, 'unsafeFixes' | 'fixed' | 'failed'> = {}): string {
  const all = files.flatMap((f) => f.diagnostics);
  const fixed = opts.fixed ? `Fixed ${plural(opts.fixed, 'finding')}. ` : '';
  if (all.length === 0 && opts.failed) return `${fixed}No findings in the files checked; ${plural(opts.failed, 'file')} failed (see above).`;
  if (all.length === 0) return `${fixed}All checks passed!`;
  const by = (s: string): number => all.filter((d) => d.severity === s).length;
  const parts = [['error', by('error')], ['warning', by('warning')], ['info', by('info')]]
    .filter(([, n]) => n)
    .map(([s, n]) => plural(n as number, s as string));
  const lines = [`${fixed}Found ${plural(all.length, 'finding')} (${parts.join(', ')}).`];
  const safe = all.filter((d) => d.fix?.safety === 'safe').length;
  const unsafe = all.filter((d) => d.fix?.safety === 'unsafe').length;
  const available = safe + (opts.unsafeFixes ? unsafe : 0);
  if (available) lines.push(`[*] ${available} fixable with the \`--fix\` option${opts.unsafeFixes && unsafe ? ' (with `--unsafe-fixes`)' : ''}.`);
  if (unsafe && !opts.unsafeFixes) lines.push(`${unsafe} more ${unsafe === 1 ? 'fix' : 'fixes'} available with \`--unsafe-fixes\`.`);
  return lines.join('\n');
}

function impactText(d: Diagnostic): string {
  const i = d.impact;
  if (!i) return '';
  const f = (n: number | null): string => (n === null ? '?' : String(Math.round(n * 100) / 100));
  if (i.requestsPerIteration === null) return i.note ? ` (${i.note})` : '';
  if (i.afterFix === null) return ` (requests per iteration: ${f(i.requestsPerIteration)})`;
  return ` (requests per iteration: ${f(i.requestsPerIteration)} → ${f(i.afterFix)})`;
}

export function text(files: FileReport[], opts: ReportOptions): string {
  const c = paint(opts.color);
  const out: string[] = [];
  for (const f of files) {
    for (const d of f.diagnostics) {
      const s = shown(f, d);
      const cell = s.cell !== undefined ? `cell ${s.cell}${c('cyan', ':')}` : '';
      const loc = `${c('bold', f.path)}${c('cyan', ':')}${cell}${s.line}${c('cyan', ':')}${s.column}${c('cyan', ':')}`;
      const code = c(d.severity === 'error' ? 'red' : 'yellow', c('bold', d.code));
      const fixable = d.fix && (d.fix.safety === 'safe' || opts.unsafeFixes) ? ` ${c('cyan', '[*]')}` : '';
      out.push(`${loc} ${code}${fixable} ${d.message}${impactText(d)}`);
      if (opts.frames) out.push(frame(f, d, c), '');
    }
  }
  if (!opts.quiet) out.push(summary(files, opts));
  return out.length ? `${out.join('\n')}\n` : '';
}

export function concise(files: FileReport[], opts: ReportOptions): string {
  return text(files, { ...opts, frames: false });
}
