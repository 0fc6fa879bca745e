// A Jupyter notebook as one Python program: its code cells joined in order (an import in cell 1
// and a loop in cell 7 are one module, as when the notebook runs), with an index from each line
// of the joined text back to its cell, its line in the cell, and the line of the notebook's JSON
// file that holds it. IPython's magics and shell escapes (`%timeit`, `!pip install`, `x = !ls`,
// `obj?`) are masked with `...`, which parses as a statement and as a value, so they neither fail
// to parse nor move any line; cells in another language (`%%bash`, a VS Code `sql` cell) are blank.
// A line `_` (a statement that does nothing and is not a no-op to the rules) stands between two
// cells: calls in two cells run at different times, and are never one back-to-back group.
import { parseTree, type Node } from 'jsonc-parser';

export interface NotebookIndex {
  /** The cell (1-based, counting every cell as Jupyter shows them) and its line, of a line of the joined text. */
  locate(line: number): { cell: number; line: number };
  /** The line of the notebook's file that holds a line of the joined text (for annotations on the file). */
  fileLine(line: number): number;
  /** A cell's lines as they were linted (masked), for code frames. */
  cellLines(cell: number): string[];
  /** A message's `(line N)` and `on line N` (lines of the joined text) said as cell and line. */
  retell(message: string): string;
}

export type NotebookRead = { ok: true; text: string; index: NotebookIndex } | { ok: false; reason: string };

interface Span {
  cell: number;
  /** 1-based line of the joined text where the cell starts. */
  first: number;
  lines: string[];
  /** The file line of each of the cell's lines. */
  fileLines: number[];
}

const CELL_BREAK = '_';

/** Cell magics whose body is still Python: only their first line is masked. */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'profile', 'memit']);
const ESCAPE = /^(\s*)(?:[!%]|\?\??\s*\w)/;
const ASSIGNED_ESCAPE = /^(\s*[\w.]+\s*=\s*)[!%]/;
const HELP = /^\s*[\w.]+\?\??\s*$/;

/** Read a notebook's JSON text: the joined Python source and its index, or why it cannot be read. */
export function readNotebook(raw: string): NotebookRead {
  let nb: { cells?: unknown; metadata?: { kernelspec?: { language?: unknown }; language_info?: { name?: unknown } } };
  try {
    nb = JSON.parse(raw);
  } catch (e) {
    return { ok: false, reason: `not a notebook: invalid JSON (${(e as Error).message.replace(/\s+/g, ' ').slice(0, 120)})` };
  }
  if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells)) return { ok: false, reason: 'not a notebook: no `cells` list' };
  const language = nb.metadata?.language_info?.name ?? nb.metadata?.kernelspec?.language;
  const tree = parseTree(raw);
  const cellNodes = tree?.children?.find((p) => p.children?.[0]?.value === 'cells')?.children?.[1]?.children ?? [];
  const lineOf = lineIndex(raw);
  const spans: Span[] = [];
  let first = 1;
  for (let i = 0; i < nb.cells.length; i++) {
    const cell = nb.cells[i] as { cell_type?: unknown; source?: unknown; metadata?: { vscode?: { languageId?: unknown } } };
    if (!cell || typeof cell !== 'object') return { ok: false, reason: `not a notebook: cell ${i + 1} is not an object` };
    if (cell.cell_type !== 'code') continue;
    const source = cell.source;
    if (typeof source !== 'string' && !(Array.isArray(source) && source.every((s) => typeof s === 'string'))) {
      return { ok: false, reason: `not a notebook: cell ${i + 1} has no source text` };
    }
    const text = typeof source === 'string' ? source : source.join('');
    if (!text) continue;
    const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
    const fileLines = sourceLines(cellNodes[i], lines.length, lineOf);
    const other = (typeof language === 'string' && language.toLowerCase() !== 'python')
      || (typeof cell.metadata?.vscode?.languageId === 'string' && cell.metadata.vscode.languageId !== 'python');
    if (spans.length) first++;
    spans.push({ cell: i + 1, first, lines: other ? lines.map(() => '') : mask(lines), fileLines });
    first += lines.length;
  }
  const text = spans.map((s) => `${s.lines.join('\n')}\n`).join(`${CELL_BREAK}\n`);
  return { ok: true, text, index: indexOf(spans) };
}

function mask(lines: string[]): string[] {
  const magic = /^%%(\w+)/.exec(lines[0] ?? '');
  if (magic && !PYTHON_CELL_MAGICS.has(magic[1])) return lines.map(() => '');
  const out = [...lines];
  const starts = logicalStarts(lines);
  let continued = false;
  for (let i = 0; i < out.length; i++) {
    const line = out[i];
    // Only where a statement can start: `% x` on the line after `("a"` is Python's modulo.
    if (!continued && !starts[i]) continue;
    if (continued || (i === 0 && magic)) {
      out[i] = '';
    } else if (ESCAPE.test(line) || HELP.test(line)) {
      out[i] = `${/^\s*/.exec(line)?.[0] ?? ''}...`;
    } else {
      const assigned = ASSIGNED_ESCAPE.exec(line);
      if (!assigned) continue;
      out[i] = `${assigned[1]}...`;
    }
    // A magic continued with a backslash takes the next line with it.
    continued = /\\$/.test(line);
  }
  return out;
}

/**
 * Which lines begin a logical line: not inside brackets or a triple-quoted string, not after a
 * backslash. A rough tokenizer (strings, comments, brackets) is enough for that.
 */
function logicalStarts(lines: string[]): boolean[] {
  const out: boolean[] = [];
  let depth = 0;
  let triple: string | null = null;
  let backslash = false;
  for (const line of lines) {
    out.push(depth === 0 && triple === null && !backslash);
    backslash = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (triple) {
        if (line.startsWith(triple, i)) {
          i += 2;
          triple = null;
        } else if (ch === '\\') i++;
        continue;
      }
      if (ch === '#') break;
      if (ch === '"' || ch === "'") {
        if (line.startsWith(ch.repeat(3), i)) {
          triple = ch.repeat(3);
          i += 2;
          continue;
        }
        for (i++; i < line.length && line[i] !== ch; i++) if (line[i] === '\\') i++;
        continue;
      }
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
      else if (ch === '\\' && i === line.length - 1) backslash = true;
    }
  }
  return out;
}

/** The file line of each source line of a cell: one JSON string per line, or one string for all. */
function sourceLines(cell: Node | undefined, count: number, lineOf: (offset: number) => number): number[] {
  const source = cell?.children?.find((p) => p.children?.[0]?.value === 'source')?.children?.[1];
  if (!source) return Array(count).fill(1);
  if (source.type === 'string') return Array(count).fill(lineOf(source.offset));
  const strings = source.children ?? [];
  const out: number[] = [];
  // A list item may hold several lines (`"a\nb\n"`): each gets its item's line.
  for (const s of strings) {
    const n = String(s.value ?? '').replace(/\r\n?/g, '\n').split('\n').length - 1 || 1;
    for (let k = 0; k < n && out.length < count; k++) out.push(lineOf(s.offset));
  }
  while (out.length < count) out.push(out[out.length - 1] ?? lineOf(source.offset));
  return out;
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function indexOf(spans: Span[]): NotebookIndex {
  const find = (line: number): Span | undefined => {
    let lo = 0;
    let hi = spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (spans[mid].first <= line) lo = mid;
      else hi = mid - 1;
    }
    return spans[lo];
  };
  return {
    locate(line) {
      const s = find(line);
      return s ? { cell: s.cell, line: Math.min(line - s.first + 1, s.lines.length + 1) } : { cell: 1, line };
    },
    fileLine(line) {
      const s = find(line);
      return s ? (s.fileLines[Math.min(line - s.first, s.fileLines.length - 1)] ?? 1) : 1;
    },
    cellLines(cell) {
      return spans.find((s) => s.cell === cell)?.lines ?? [];
    },
    retell(message) {
      const at = (n: string): string => {
        const { cell, line } = this.locate(Number(n));
        return `cell ${cell}, line ${line}`;
      };
      return message.replace(/\(line (\d+)\)/g, (_m, n: string) => `(${at(n)})`).replace(/\bon line (\d+)\b/g, (_m, n: string) => `in ${at(n)}`);
    },
  };
}
