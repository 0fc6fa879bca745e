import type { Fix } from '../model/fixes.js';
import { shown, shownRange } from './location.js';
import type { FileReport } from './types.js';

function fixJson(fix: Fix | null): object | null {
  if (!fix) return null;
  const at = (p: { line: number; column: number }) => ({ line: p.line, column: p.column });
  return {
    safety: fix.safety,
    message: fix.message,
    edits: fix.edits.map((e) => ({ start: at(e.from), end: at(e.to), content: e.text })),
  };
}

/** The public JSON shape (documented in the README): one object per finding. */
export function toJsonObjects(files: FileReport[], url?: (code: string) => string | undefined): object[] {
  const out: object[] = [];
  for (const f of files) {
    for (const d of f.diagnostics) {
      const s = shown(f, d);
      out.push({
        path: f.path,
        ...(s.cell !== undefined ? { cell: s.cell } : {}),
        line: s.line,
        column: s.column,
        endLine: s.endLine,
        endColumn: s.endColumn,
        code: d.code,
        rule: d.rule,
        severity: d.severity,
        message: d.message,
        help: d.help,
        ...(url ? { url: url(d.code) } : {}),
        // A notebook's fix is an edit of its joined cells, which no consumer of the file could apply.
        fix: f.notebook ? null : fixJson(d.fix),
        impact: d.impact,
        related: d.related.map((r) => {
          const at = shownRange(f, r.range);
          return {
            ...(at.cell !== undefined ? { cell: at.cell } : {}),
            line: at.line,
            column: at.column,
            endLine: at.endLine,
            endColumn: at.endColumn,
            message: r.message,
          };
        }),
      });
    }
  }
  return out;
}

export function json(files: FileReport[], url?: (code: string) => string | undefined): string {
  return `${JSON.stringify(toJsonObjects(files, url), null, 2)}\n`;
}
