import type { FileReport } from './types.js';

/** The public JSON shape (documented in the README): one object per finding. */
export function toJsonObjects(files: FileReport[]): object[] {
  const out: object[] = [];
  for (const f of files) {
    for (const d of f.diagnostics) {
      out.push({
        path: f.path,
        line: d.range.start.line,
        column: d.range.start.column,
        endLine: d.range.end.line,
        endColumn: d.range.end.column,
        code: d.code,
        rule: d.rule,
        severity: d.severity,
        message: d.message,
        fix: d.fix,
      });
    }
  }
  return out;
}

export function json(files: FileReport[]): string {
  return `${JSON.stringify(toJsonObjects(files), null, 2)}\n`;
}
