import pc from 'picocolors';
import type { Diagnostic } from '../engine/run.js';
import { impactText } from '../engine/words.js';
import { shown, shownRange } from './location.js';
import type { FileReport, TextOptions } from './types.js';

type Style = 'bold' | 'red' | 'yellow' | 'blue' | 'cyan';

// Colour is decided by the caller (TTY, NO_COLOR), never guessed from the environment here.
function paint(on: boolean) {
  const colors = pc.createColors(on);
  return (style: Style, s: string): string => colors[style](s);
}

interface Mark {
  line: number;
  column: number;
  /** Where the marks end on the line (the line's end for a range that runs on). */
  endColumn: number;
  primary: boolean;
  label: string;
}

// Ruff's frame: the finding's lines under `^` and its code, each related place on its own line
// under `-` and what it is, `...` where lines are left out between them.
function frame(f: FileReport, d: Diagnostic, c: ReturnType<typeof paint>): string {
  const s = shown(f, d);
  // In a notebook the frame shows the cell, numbered as the cell's own lines.
  const lines = s.cell !== undefined && f.notebook ? f.notebook.cellLines(s.cell) : f.text.split(/\r?\n/);
  const lineEnd = (n: number): number => [...(lines[n - 1] ?? '')].length + 1;
  const marks: Mark[] = [
    {
      line: s.line,
      column: s.column,
      endColumn: s.endLine === s.line ? s.endColumn : lineEnd(s.line),
      primary: true,
      label: d.code,
    },
  ];
  for (const r of d.related) {
    const at = shownRange(f, r.range);
    if (at.cell !== s.cell || at.line === s.line) continue;
    marks.push({
      line: at.line,
      column: at.column,
      endColumn: at.endLine === at.line ? at.endColumn : lineEnd(at.line),
      primary: false,
      label: r.message,
    });
  }
  const shownLines = new Set<number>();
  for (let n = Math.max(1, s.line - 1); n <= Math.min(s.endLine, s.line + 2); n++) shownLines.add(n);
  for (const m of marks) shownLines.add(m.line);
  const order = [...shownLines].filter((n) => n <= lines.length).sort((a, b) => a - b);
  const width = String(order[order.length - 1] ?? s.line).length;
  const gutter = (n: string): string => c('blue', `${n.padStart(width)} |`);
  const out = [gutter('')];
  order.forEach((n, i) => {
    if (i > 0 && n > order[i - 1] + 1) out.push(c('blue', `${'.'.repeat(Math.max(3, width))}`));
    out.push(`${gutter(String(n))} ${lines[n - 1]}`);
    for (const m of marks.filter((x) => x.line === n)) {
      const under = (m.primary ? '^' : '-').repeat(Math.max(1, m.endColumn - m.column));
      out.push(`${gutter('')} ${' '.repeat(m.column - 1)}${c(m.primary ? 'red' : 'blue', `${under} ${m.label}`)}`);
    }
  });
  out.push(gutter(''));
  return out.join('\n');
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;

function summary(files: FileReport[], opts: Pick<TextOptions, 'unsafeFixes' | 'fixed' | 'failed'> = {}): string {
  const all = files.flatMap((f) => f.diagnostics);
  const fixed = opts.fixed ? `Fixed ${plural(opts.fixed, 'finding')}. ` : '';
  if (all.length === 0 && opts.failed)
    return `${fixed}No findings in the files checked; ${plural(opts.failed, 'file')} failed (see above).`;
  if (all.length === 0) return `${fixed}All checks passed!`;
  const by = (s: string): number => all.filter((d) => d.severity === s).length;
  const parts = [
    ['error', by('error')],
    ['warning', by('warning')],
    ['info', by('info')],
  ]
    .filter(([, n]) => n)
    .map(([s, n]) => plural(n as number, s as string));
  const lines = [`${fixed}Found ${plural(all.length, 'finding')} (${parts.join(', ')}).`];
  const safe = all.filter((d) => d.fix?.safety === 'safe').length;
  const unsafe = all.filter((d) => d.fix?.safety === 'unsafe').length;
  const available = safe + (opts.unsafeFixes ? unsafe : 0);
  if (available)
    lines.push(
      `[*] ${available} fixable with the \`--fix\` option${opts.unsafeFixes && unsafe ? ' (with `--unsafe-fixes`)' : ''}.`,
    );
  if (unsafe && !opts.unsafeFixes)
    lines.push(`${unsafe} more ${unsafe === 1 ? 'fix' : 'fixes'} available with \`--unsafe-fixes\`.`);
  return lines.join('\n');
}

export function text(files: FileReport[], opts: TextOptions): string {
  const c = paint(opts.color);
  const out: string[] = [];
  for (const f of files) {
    for (const d of f.diagnostics) {
      const s = shown(f, d);
      const cell = s.cell !== undefined ? `cell ${s.cell}${c('cyan', ':')}` : '';
      const loc = `${c('bold', f.path)}${c('cyan', ':')}${cell}${s.line}${c('cyan', ':')}${s.column}${c('cyan', ':')}`;
      const code = c(d.severity === 'error' ? 'red' : 'yellow', c('bold', d.code));
      const fixable = d.fix && (d.fix.safety === 'safe' || opts.unsafeFixes) ? ` ${c('cyan', '[*]')}` : '';
      out.push(`${loc} ${code}${fixable} ${d.message}${d.impact ? ` (${impactText(d.impact)})` : ''}`);
      if (opts.frames) out.push(frame(f, d, c));
      if (opts.help !== false && d.help) out.push(`  ${c('cyan', '=')} ${c('bold', 'help')}: ${d.help}`);
      if (opts.frames) out.push('');
    }
  }
  if (!opts.quiet) out.push(summary(files, opts));
  return out.length ? `${out.join('\n')}\n` : '';
}

export function concise(files: FileReport[], opts: TextOptions): string {
  return text(files, { ...opts, frames: false, help: false });
}
