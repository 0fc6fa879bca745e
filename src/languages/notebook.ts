// A Jupyter notebook as one Python program: its code cells joined in order (an import in cell 1
// and a loop in cell 7 are one module, as when the notebook runs), with an index from each line
// of the joined text back to its cell, its line in the cell, and the line of the notebook's JSON
// file that holds it. IPython's magics and shell escapes (`%timeit`, `!pip install`, `x = !ls`,
// `obj?`) are masked with `...`, which parses as a statement and as a value, so they neither fail
// to parse nor move any line; cells in another language (`%%bash`, a VS Code `sql` cell) are blank.
// A line `_` (a statement that does nothing and is not a no-op to the rules) stands between two
// cells: calls in two cells run at different times, and are never one back-to-back group. A cell
// that ends inside brackets or a string (Jupyter runs it alone, and it fails alone) has them
// closed on that line, marked so that the tokenizer still reports them: the next cells parse.
import { diffArrays } from 'diff';
import { parseTree, type Node } from 'jsonc-parser';
import { countBelow, makePositioner } from '../model/position.js';
import { commonEnds } from './lines.js';
import { CELL_LEFT_OPEN, MASKED } from './python/notebook-marks.js';

export interface NotebookIndex {
  /** The cell (1-based, counting every cell as Jupyter shows them) and its line, of a line of the joined text. */
  locate(line: number): { cell: number; line: number };
  /** The line of the notebook's file that holds a line of the joined text (for annotations on the file). */
  fileLine(line: number): number;
  /** A cell's lines as written, for code frames. */
  cellLines(cell: number): string[];
  /** A message's `(line N)` and `on line N` (lines of the joined text) said as cell and line. */
  retell(message: string): string;
  /**
   * The notebook's file with the joined text's changes written into the cells they fall in: only
   * those cells' `source` is rewritten, in the file's own layout. Refused when a change crosses
   * two cells or touches a masked line (a magic would be lost).
   */
  writeBack(fixed: string): WriteBack;
}

type WriteBack =
  { ok: true; raw: string; cells: { cell: number; before: string; after: string }[] } | { ok: false; reason: string };

/** Findings of a notebook's joined cells, with their `(line N)` and `on line N` told as cell and line. */
export function retold<D extends { message: string; help: string | null }>(
  index: NotebookIndex,
  diagnostics: D[],
): D[] {
  return diagnostics.map((d) => ({ ...d, message: index.retell(d.message), help: d.help && index.retell(d.help) }));
}

export type NotebookRead = { ok: true; text: string; index: NotebookIndex } | { ok: false; reason: string };

interface Span {
  cell: number;
  /** 1-based line of the joined text where the cell starts. */
  first: number;
  lines: string[];
  /** The cell's lines as written (before masking). */
  original: string[];
  /** The line break after each of its lines as written ('' after a last line without one): kept when it is written back. */
  breaks: string[];
  /** The file line of each of the cell's lines. */
  fileLines: number[];
  /** Where its `source` value is in the file. */
  source: Node | undefined;
  /** What closes the brackets and string its last line leaves open ('' when it ends complete). */
  closers: string;
}

const CELL_BREAK = '_';

/** Cell magics whose body is still Python: only their first line is masked. */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'profile', 'memit']);
const ESCAPE = /^(\s*)(?:[!%]|\?\??\s*\w)/;
const ASSIGNED_ESCAPE = /^(\s*[\w.]+\s*=\s*)[!%]/;
const HELP = /^\s*[\w.]+\?\??\s*$/;
/**
 * IPython's default shell aliases and the magics people call without `%` (automagic): `ls -al`,
 * `cat Dockerfile`, `pip install mlflow`, `cd ..`. As IPython does, a line whose rest starts like
 * Python (`ls = 3`, `cat(x)`, `pip - 1`, `cd in dirs`) is Python.
 */
const AUTOMAGIC =
  /^\s*(?:ls|ll|lf|lk|lx|ldir|cat|cp|mv|rm|rmdir|mkdir|clear|less|more|man|cd|pwd|pip|conda|env|load_ext|matplotlib|run|who|whos|history|reset|autoreload)[ \t]+(?![,&^|*/+=<>%([:;!~@#]|-(?:[\s\d]|$)|\.(?![./])|(?:is|not|in|and|or|if|else|for|as)\b)\S/;

/** Read a notebook's JSON text: the joined Python source and its index, or why it cannot be read. */
export function readNotebook(raw: string): NotebookRead {
  let nb: { cells?: unknown; metadata?: { kernelspec?: { language?: unknown }; language_info?: { name?: unknown } } };
  if (!raw.trim()) return { ok: false, reason: 'not a notebook: the file is empty' };
  try {
    nb = JSON.parse(raw);
  } catch (e) {
    return {
      ok: false,
      reason: `not a notebook: invalid JSON (${(e as Error).message.replace(/\s+/g, ' ').slice(0, 120)})`,
    };
  }
  if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells))
    return { ok: false, reason: 'not a notebook: no `cells` list' };
  const language = nb.metadata?.language_info?.name ?? nb.metadata?.kernelspec?.language;
  const tree = parseTree(raw);
  const cellNodes = tree?.children?.find((p) => p.children?.[0]?.value === 'cells')?.children?.[1]?.children ?? [];
  const lineOf = lineIndex(raw);
  const spans: Span[] = [];
  let first = 1;
  for (let i = 0; i < nb.cells.length; i++) {
    const cell = nb.cells[i] as {
      cell_type?: unknown;
      source?: unknown;
      metadata?: { vscode?: { languageId?: unknown } };
    };
    if (!cell || typeof cell !== 'object')
      return { ok: false, reason: `not a notebook: cell ${i + 1} is not an object` };
    if (cell.cell_type !== 'code') continue;
    const source = cell.source;
    // nbformat's schema allows one string as well as a list of lines, and real notebooks have
    // both (MLflow's own docs notebooks among them): a string is read, not refused.
    if (typeof source !== 'string' && !(Array.isArray(source) && source.every((s) => typeof s === 'string'))) {
      return { ok: false, reason: `not a notebook: cell ${i + 1} has no source text (a string or a list of strings)` };
    }
    const text = typeof source === 'string' ? source : source.join('');
    if (!text) continue;
    const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
    const breaks = lineBreaks(text, lines.length);
    const fileLines = sourceLines(cellNodes[i], lines.length, lineOf);
    const other =
      (typeof language === 'string' && language.toLowerCase() !== 'python') ||
      (typeof cell.metadata?.vscode?.languageId === 'string' && cell.metadata.vscode.languageId !== 'python');
    if (spans.length) first++;
    const sourceNode = cellNodes[i]?.children?.find((p) => p.children?.[0]?.value === 'source')?.children?.[1];
    const linted = other ? lines.map(() => '') : mask(lines);
    spans.push({
      cell: i + 1,
      first,
      lines: linted,
      original: lines,
      breaks,
      fileLines,
      source: sourceNode,
      closers: scan(linted).closers,
    });
    first += lines.length;
  }
  const text = spans
    .map((s, k) => {
      const close =
        k < spans.length - 1 && s.closers
          ? `${s.closers};${CELL_BREAK}  ${CELL_LEFT_OPEN}\n`
          : k < spans.length - 1
            ? `${CELL_BREAK}\n`
            : '';
      return `${s.lines.join('\n')}\n${close}`;
    })
    .join('');
  return { ok: true, text, index: indexOf(spans, text, raw) };
}

function mask(lines: string[]): string[] {
  const magic = /^%%(\w+)/.exec(lines[0] ?? '');
  if (magic && !PYTHON_CELL_MAGICS.has(magic[1])) return lines.map(() => '');
  const out = [...lines];
  const { starts } = scan(lines);
  let continued = false;
  for (let i = 0; i < out.length; i++) {
    const line = out[i];
    // Only where a statement can start: `% x` on the line after `("a"` is Python's modulo.
    if (!continued && !starts[i]) continue;
    if (continued || (i === 0 && magic)) {
      out[i] = MASKED;
    } else if (ESCAPE.test(line) || HELP.test(line) || AUTOMAGIC.test(line)) {
      out[i] = `${/^\s*/.exec(line)?.[0] ?? ''}...  ${MASKED}`;
    } else {
      const assigned = ASSIGNED_ESCAPE.exec(line);
      if (!assigned) continue;
      out[i] = `${assigned[1]}...  ${MASKED}`;
    }
    // A magic continued with a backslash takes the next line with it.
    continued = /\\$/.test(line);
  }
  return out;
}

/**
 * Which lines begin a logical line (not inside brackets or a triple-quoted string, not after a
 * backslash), and what would close what the last line leaves open. A rough tokenizer (strings,
 * comments, brackets) is enough for that.
 */
function scan(lines: string[]): { starts: boolean[]; closers: string } {
  const starts: boolean[] = [];
  const open: string[] = [];
  let triple: string | null = null;
  let backslash = false;
  for (const line of lines) {
    starts.push(open.length === 0 && triple === null && !backslash);
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
      if ('([{'.includes(ch)) open.push(CLOSING[ch]);
      else if (')]}'.includes(ch)) open.pop();
      else if (ch === '\\' && i === line.length - 1) backslash = true;
    }
  }
  return { starts, closers: (triple ?? '') + open.reverse().join('') };
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The file line of each source line of a cell: one JSON string per line, or one string for all. */
function sourceLines(cell: Node | undefined, count: number, lineOf: (offset: number) => number): number[] {
  const source = cell?.children?.find((p) => p.children?.[0]?.value === 'source')?.children?.[1];
  if (!source) return Array(count).fill(1);
  if (source.type === 'string') return Array(count).fill(lineOf(source.offset));
  const strings = source.children ?? [];
  const out: number[] = [];
  // A list item may hold several lines (`"a\nb\n"`): each gets its item's line.
  for (const s of strings) {
    const n =
      String(s.value ?? '')
        .replace(/\r\n?/g, '\n')
        .split('\n').length - 1 || 1;
    for (let k = 0; k < n && out.length < count; k++) out.push(lineOf(s.offset));
  }
  while (out.length < count) out.push(out[out.length - 1] ?? lineOf(source.offset));
  return out;
}

/** The break after each of a cell's `count` lines, as written; '' after a last line that has none. */
function lineBreaks(text: string, count: number): string[] {
  const out = (text.match(/\r\n|\r|\n/g) ?? []).slice(0, count);
  while (out.length < count) out.push('');
  return out;
}

function lineIndex(text: string): (offset: number) => number {
  const pos = makePositioner(text);
  return (offset) => pos(offset).line;
}

function indexOf(spans: Span[], joined: string, raw: string): NotebookIndex {
  const firsts = spans.map((s) => s.first);
  // The last cell that starts at or before the line.
  const find = (line: number): Span | undefined => spans[Math.max(0, countBelow(firsts, line + 1) - 1)];
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
      return spans.find((s) => s.cell === cell)?.original ?? [];
    },
    retell(message) {
      const at = (n: string): string => {
        const { cell, line } = this.locate(Number(n));
        return `cell ${cell}, line ${line}`;
      };
      return message
        .replace(/\(line (\d+)\)/g, (_m, n: string) => `(${at(n)})`)
        .replace(/\bon line (\d+)\b/g, (_m, n: string) => `in ${at(n)}`);
    },
    writeBack(fixed) {
      return writeBack(spans, joined, fixed, raw);
    },
  };
}

/** Which span holds each line of the joined text (0-based), or -1 for the line between two cells. */
function owners(spans: Span[], count: number): number[] {
  const out: number[] = Array(count).fill(-1);
  spans.forEach((s, k) => {
    for (let i = 0; i < s.lines.length; i++) out[s.first - 1 + i] = k;
  });
  return out;
}

function writeBack(spans: Span[], joined: string, fixed: string, raw: string): WriteBack {
  const before = joined.split('\n');
  const after = fixed.split('\n');
  const owner = owners(spans, before.length);
  // Per span: its new lines, built from its original ones and the changes that fall in it.
  const edits = new Map<number, { at: number; remove: number; add: string[] }[]>();
  // Only the lines between the common head and tail are diffed: a fix in a long cell stays cheap.
  const { head, tail } = commonEnds(before, after);
  let line = head;
  const changes = diffArrays(before.slice(line, before.length - tail), after.slice(line, after.length - tail));
  for (let c = 0; c < changes.length; c++) {
    const ch = changes[c];
    if (!ch.added && !ch.removed) {
      line += ch.count ?? ch.value.length;
      continue;
    }
    const removed = ch.removed ? ch.value.length : 0;
    const next = ch.removed && changes[c + 1]?.added ? changes[++c] : ch.added ? ch : null;
    const added = next ? next.value : [];
    let k: number;
    if (removed) {
      k = owner[line];
      for (let i = line; i < line + removed; i++) {
        if (owner[i] !== k || k < 0) return { ok: false, reason: 'a fix spans two cells' };
        const s = spans[k];
        if (s.lines[i - (s.first - 1)] !== s.original[i - (s.first - 1)])
          return { ok: false, reason: 'a fix touches a magic or a cell in another language' };
      }
    } else {
      // An insertion between two cells ends the cell before it (an import after the imports).
      k = line > 0 && owner[line - 1] >= 0 ? owner[line - 1] : owner[line];
      if (k === undefined || k < 0) return { ok: false, reason: 'a fix falls between cells' };
    }
    const s = spans[k];
    const list = edits.get(k) ?? [];
    list.push({ at: Math.min(line - (s.first - 1), s.original.length), remove: removed, add: added });
    edits.set(k, list);
    line += removed;
  }
  const cells: { cell: number; before: string; after: string }[] = [];
  const splices: { start: number; end: number; text: string }[] = [];
  for (const [k, list] of edits) {
    const s = spans[k];
    // Each line keeps its own break (a CRLF cell stays CRLF); a new line takes the cell's first.
    const eol = s.breaks.find((b) => b) ?? '\n';
    const rows = s.original.map((text, i) => ({ text, end: s.breaks[i] }));
    for (const e of [...list].sort((a, b) => b.at - a.at)) {
      const gone = rows.slice(e.at, e.at + e.remove);
      rows.splice(e.at, e.remove, ...e.add.map((text, i) => ({ text, end: gone[i]?.end ?? eol })));
    }
    const last = s.breaks[s.breaks.length - 1];
    rows.forEach((r, i) => (r.end = i === rows.length - 1 ? last : r.end || eol));
    const beforeText = s.original.map((l, i) => l + s.breaks[i]).join('');
    const afterText = rows.map((r) => r.text + r.end).join('');
    if (afterText === beforeText) continue;
    if (!s.source) return { ok: false, reason: `cell ${s.cell} has no source to write` };
    cells.push({ cell: s.cell, before: beforeText, after: afterText });
    splices.push({
      start: s.source.offset,
      end: s.source.offset + s.source.length,
      text: renderSource(afterText, s.source, raw),
    });
  }
  let out = raw;
  for (const sp of splices.sort((a, b) => b.start - a.start))
    out = out.slice(0, sp.start) + sp.text + out.slice(sp.end);
  return { ok: true, raw: out, cells: cells.sort((a, b) => a.cell - b.cell) };
}

/** A cell's source as the file writes it: a list of lines, each but the last with its break, laid out as the list was. */
function renderSource(text: string, node: Node, raw: string): string {
  if (node.type === 'string') return JSON.stringify(text);
  const parts = text.split(/(?<=\n|\r(?!\n))/).filter((p) => p.length);
  const items = node.children ?? [];
  if (!items.length || !parts.length) return `[${parts.map((p) => JSON.stringify(p)).join(', ')}]`;
  // The whitespace before the first item, and before the closing bracket.
  const lead = raw.slice(node.offset + 1, items[0].offset);
  const last = items[items.length - 1];
  const close = raw.slice(last.offset + last.length, node.offset + node.length - 1);
  const sep = items.length > 1 ? raw.slice(items[0].offset + items[0].length, items[1].offset) : `,${lead}`;
  return `[${lead}${parts.map((p) => JSON.stringify(p)).join(sep)}${close}]`;
}
