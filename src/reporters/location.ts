// Where a finding is, as each report shows it. In a notebook the joined text's lines become a
// cell and a line in it (what a person reads), or the line of the notebook's JSON file that holds
// the code (what an annotation on the file needs).
import type { Diagnostic } from '../engine/run.js';
import type { Range } from '../model/types.js';
import type { FileReport } from './types.js';

export interface Shown {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The notebook cell (1-based), for a notebook. */
  cell?: number;
}

/** In the file as a person reads it: a notebook's lines are counted within their cell. */
export function shown(f: FileReport, d: Diagnostic): Shown {
  return shownRange(f, d.range);
}

export function shownRange(f: FileReport, range: Range): Shown {
  const { start, end } = range;
  if (!f.notebook) return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  const a = f.notebook.locate(start.line);
  const b = f.notebook.locate(end.line);
  // A range that runs into the next cell ends with its own cell.
  const endLine = b.cell === a.cell ? b.line : a.line;
  return {
    line: a.line,
    column: start.column,
    endLine,
    endColumn: b.cell === a.cell ? end.column : start.column,
    cell: a.cell,
  };
}

/** In the file on disk: a notebook's JSON lines, with no columns (the code sits inside JSON strings). */
export function onDisk(
  f: FileReport,
  d: Diagnostic,
): { line: number; endLine: number; column?: number; endColumn?: number } {
  return onDiskRange(f, d.range);
}

export function onDiskRange(
  f: FileReport,
  range: Range,
): { line: number; endLine: number; column?: number; endColumn?: number } {
  const { start, end } = range;
  if (!f.notebook) return { line: start.line, endLine: end.line, column: start.column, endColumn: end.column };
  return { line: f.notebook.fileLine(start.line), endLine: f.notebook.fileLine(end.line) };
}

/** `path:line:col` as the text formats print it; `path:cell 3:4:5` in a notebook, as Ruff does. */
export function locationText(f: FileReport, d: Diagnostic): string {
  const s = shown(f, d);
  return `${f.path}:${s.cell !== undefined ? `cell ${s.cell}:` : ''}${s.line}:${s.column}`;
}
