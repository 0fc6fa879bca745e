// The fix check asks whether a fixed text parses with no problem, as the file did. A fix changes
// a few statements and leaves the rest as it was: the statements it touches are parsed, each run
// of them alone, in whole lines (inside `def _():` when they are indented), and the tokenizer
// (indentation, strings, brackets) reads the whole text. Between two complete statements of one
// block the parser carries nothing over, so each part parsing clean, starting and staying where
// its block's statements do, proves the whole does. Anything else (a part that does not parse,
// `__future__`, whose place is checked over the whole module) is left to a full parse.
import type { SyntaxNode, Tree } from 'tree-sitter';
import type { Edit } from '../../model/fixes.js';
import { lineEnd, lineStart } from '../lines.js';
import { python2Statements } from './problems.js';
import { pythonTokenProblems } from './tokens.js';

/** Whole lines of the parsed text; `indented` when they are a block's, not the module's, whose statements start at `indent`. */
interface Part {
  start: number;
  end: number;
  indented: boolean;
  indent: string;
}

const blank = (s: string): boolean => /^[ \t]*$/.test(s);
/** After a statement on its last line: nothing, or a comment. */
const tail = (s: string): boolean => /^[ \t]*(?:#.*)?$/.test(s);

/** The statements of the innermost block around the edit that it touches, as whole lines. */
function partOf(text: string, root: SyntaxNode, e: Edit): Part | null {
  let node: SyntaxNode | null = root.descendantForIndex(e.start, Math.max(e.start, e.end - 1));
  for (; node; node = node.parent) {
    if (node.type !== 'block' && node.type !== 'module') continue;
    if (node.startIndex > e.start || node.endIndex < e.end) continue;
    // A `match` body holds `case` clauses, which no wrapper here would hold alone: had whole.
    if (node.parent?.type === 'match_statement') continue;
    const kids = node.namedChildren;
    let first = -1;
    let last = -1;
    kids.forEach((k, i) => {
      if (k.startIndex <= e.end && e.start <= k.endIndex) {
        if (first < 0) first = i;
        last = i;
      }
    });
    // Between statements (an import added after the docstring): both neighbours.
    if (first < 0) {
      const after = kids.findIndex((k) => k.startIndex > e.end);
      first = after < 0 ? kids.length - 1 : Math.max(0, after - 1);
      last = after < 0 ? kids.length - 1 : after;
    }
    if (first < 0) return null;
    const start = Math.min(lineStart(text, kids[first].startIndex), lineStart(text, e.start));
    const end = Math.max(lineEnd(text, kids[last].endIndex), lineEnd(text, e.end));
    // A statement that shares a line with its block's header, or with another statement, is
    // had with the block around it.
    if (!blank(text.slice(start, kids[first].startIndex)) || !tail(text.slice(kids[last].endIndex, end))) continue;
    // A comment may sit left of its block: the block's indentation is its first statement's.
    const code = kids.find((k) => k.type !== 'comment');
    if (!code) continue;
    const indent = node.type === 'block' ? text.slice(lineStart(text, code.startIndex), code.startIndex) : '';
    if (!blank(indent)) continue;
    return { start, end, indented: node.type === 'block', indent };
  }
  return null;
}

/** Parts in order, one holding another merged into it; null when two cross (left to a full parse). */
function partsOf(text: string, root: SyntaxNode, edits: readonly Edit[]): Part[] | null {
  const parts: Part[] = [];
  for (const e of edits) {
    const p = partOf(text, root, e);
    if (!p) return null;
    parts.push(p);
  }
  parts.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (!last || p.start > last.end) out.push(p);
    else if (p.end > last.end) return null;
  }
  return out;
}

/**
 * A block's lines, fixed, must stay in their block: a line indented less would close it in the
 * file (and belong to what is around it there), but the wrapper's function here. And the first
 * statement must start where the block's do: indented more, it would be read as part of the
 * statement before the part in the file (a module's part too), but not alone.
 */
function staysIn(piece: string, indent: string): boolean {
  let first = true;
  for (const line of piece.split(/\r\n|\r|\n/)) {
    if (blank(line)) continue;
    if (!line.startsWith(indent)) return false;
    if (first && !/^\s*#/.test(line)) {
      if (/^[ \t]/.test(line.slice(indent.length))) return false;
      first = false;
    }
  }
  return true;
}

/**
 * Whether `fixed`, which is the text `tree` parsed with no syntax problem, with `edits` made (in
 * source order), has no syntax problem either: true proves it; false means only a full parse can tell.
 */
export function parsesCleanAfter(
  text: string,
  tree: Tree,
  fixed: string,
  edits: readonly Edit[],
  parse: (text: string) => Tree,
): boolean {
  if (!edits.length || fixed.includes('__future__')) return false;
  if (pythonTokenProblems(fixed).length) return false;
  const parts = partsOf(text, tree.rootNode, edits);
  if (!parts) return false;
  let k = 0;
  let shift = 0;
  for (const p of parts) {
    // Every edit lies inside one part: the parts before shift where this one starts in the fixed text.
    const from = p.start + shift;
    while (k < edits.length && edits[k].start <= p.end) {
      shift += edits[k].text.length - (edits[k].end - edits[k].start);
      k++;
    }
    const piece = fixed.slice(from, p.end + shift);
    if (!staysIn(piece, p.indent)) return false;
    // Each part alone: joined, one part's open end (a bracket, a decorator, an `if` before an
    // `else`) could be closed by the next one, where in the file other lines come between.
    const root = parse(p.indented ? `def _():\n${piece}` : piece).rootNode;
    if (root.hasError || python2Statements(piece, root).length) return false;
  }
  return true;
}
