// Python's syntax errors as CPython would report them: tree-sitter's, and the ones its
// recovery hides (indentation, tabs, continuations, strings, brackets, Python 2 statements).
import type { SyntaxNode } from 'tree-sitter';
import type { Range, SyntaxProblem } from '../../model/types.js';
import { collectSyntaxErrors } from '../errors.js';
import { lineEnd, lineStart } from '../lines.js';
import type { TokenProblem } from './tokens.js';

type RangeOf = (n: { startIndex: number; endIndex: number }) => Range;

/**
 * The file's syntax problems in source order, one per line: `reported` for MLF000, `count` for
 * the fix check. Where the tokenizer pinpoints what a tree-sitter ERROR only surrounds (an
 * unclosed `(` inside a region reported at 1:1), the tokenizer's message and place win and keep
 * the region. Like CPython, only the tokenizer's first problem is reported (the next ones are
 * mostly its echoes), but the fix check counts them all. A notebook cell left open is its own
 * program's error, and is reported too.
 */
export function pythonSyntaxProblems(
  text: string,
  root: SyntaxNode,
  extra: SyntaxProblem[],
  range: RangeOf,
  tokens: TokenProblem[],
): { reported: SyntaxProblem[]; count: number } {
  const fromTree = root.hasError ? collectSyntaxErrors(root, range) : [];
  const fromTokens = tokens.map((p): SyntaxProblem => ({
    message: p.message,
    range: range({ startIndex: p.start, endIndex: p.end }),
    region: { start: lineStart(text, p.start), end: lineEnd(text, p.end) },
  }));
  const kept = fromTree.filter((t) => {
    const region = t.region ?? { start: t.range.start.offset, end: t.range.end.offset };
    const inside = fromTokens.find((p) => p.range.start.offset >= region.start && p.range.start.offset <= region.end);
    if (!inside) return true;
    inside.region = {
      start: Math.min(region.start, inside.region!.start),
      end: Math.max(region.end, inside.region!.end),
    };
    return false;
  });
  const onePerLine = (ps: SyntaxProblem[]): SyntaxProblem[] => {
    const lines = new Set<number>();
    return ps
      .sort((a, b) => a.range.start.offset - b.range.start.offset)
      .filter((p) => !lines.has(p.range.start.line) && !!lines.add(p.range.start.line));
  };
  const rest = [...kept, ...lateFuture(root, text, range), ...extra];
  return {
    reported: onePerLine([...rest, ...fromTokens.filter((_p, k) => k === 0 || tokens[k].cell)]).slice(0, 20),
    count: onePerLine([...rest, ...fromTokens]).length,
  };
}

/** Python 2's `print "x"` and `exec "x"`: tree-sitter parses them, CPython does not. */
export function python2Statements(text: string, root: SyntaxNode): SyntaxNode[] {
  return text.includes('print') || text.includes('exec')
    ? root.descendantsOfType(['print_statement', 'exec_statement'])
    : [];
}

/** `from __future__ import ...` after anything but the docstring, comments and other such imports. */
function lateFuture(root: SyntaxNode, text: string, range: RangeOf): SyntaxProblem[] {
  if (!text.includes('__future__')) return [];
  let opening = true;
  let first = true;
  const out: SyntaxProblem[] = [];
  for (const st of root.namedChildren) {
    if (st.type === 'comment') continue;
    const docstring =
      first && st.type === 'expression_statement' && st.namedChildCount === 1 && st.namedChildren[0].type === 'string';
    first = false;
    if (st.type === 'future_import_statement') {
      if (!opening)
        out.push({
          message: 'from __future__ imports must occur at the beginning of the file',
          range: range(st),
          region: { start: st.startIndex, end: st.endIndex },
        });
    } else if (!docstring) opening = false;
  }
  return out;
}
