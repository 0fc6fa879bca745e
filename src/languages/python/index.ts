import { createRequire } from 'node:module';
import type ParserType from 'tree-sitter';
import type { LanguageAdapter } from '../adapter.js';
import { renderPythonFix } from './fix.js';
import { makePositioner } from '../../model/position.js';
import { lowerPython } from './lower.js';
import { parsesCleanAfter } from './fix-check.js';
import { python2Statements, pythonSyntaxProblems } from './problems.js';
import { pythonTokenProblems, type TokenProblem } from './tokens.js';
import { unparsedModel } from '../builder.js';
import { parseText } from '../parse.js';
import { pythonCode } from './code-text.js';
import type { Position } from '../../model/types.js';

type SyntaxNode = ParserType.SyntaxNode;

const require = createRequire(import.meta.url);
let parser: ParserType | null = null;

// Loaded on first use so that commands that parse nothing (`mlflint rules`) start fast.
function getParser(): ParserType {
  if (!parser) {
    const Parser = require('tree-sitter') as typeof ParserType;
    const Python = require('tree-sitter-python');
    parser = new Parser();
    parser.setLanguage(Python);
  }
  return parser;
}

function parsePy(text: string): ParserType.Tree {
  return parseText(getParser(), text);
}

/** A comment line that tree-sitter read as a dedent, blanked out for a second parse. */
export interface Blanked {
  startIndex: number;
  endIndex: number;
  text: string;
}

/**
 * tree-sitter-python takes a comment line indented less than the code after it for a dedent (a
 * `# ...` at column 0 between a decorator and its `def` is an error to it, not to CPython).
 * When the file has errors and such lines, it is parsed again with them blanked (same length,
 * so every offset holds), and that tree is kept when it has fewer errors.
 */
function parseRecovering(text: string): { tree: ParserType.Tree; blanked: Blanked[] } {
  const tree = parsePy(text);
  if (!tree.rootNode.hasError) return { tree, blanked: [] };
  const blanked = dedentedComments(text, tree.rootNode);
  if (!blanked.length) return { tree, blanked: [] };
  let patched = '';
  let at = 0;
  for (const b of blanked) {
    patched += text.slice(at, b.startIndex) + ' '.repeat(b.endIndex - b.startIndex);
    at = b.endIndex;
  }
  const second = parsePy(patched + text.slice(at));
  return errorNodes(second) < errorNodes(tree) ? { tree: second, blanked } : { tree, blanked: [] };
}

function errorNodes(tree: ParserType.Tree): number {
  return tree.rootNode.hasError ? tree.rootNode.descendantsOfType('ERROR').length + 1 : 0;
}

/**
 * Comment lines indented less than the next line of code. The comments are the tree's: a line
 * that starts with `#` inside a string is no comment, and blanking it would move where strings end.
 */
function dedentedComments(text: string, root: SyntaxNode): Blanked[] {
  const out: Blanked[] = [];
  const pending: { start: number; end: number; indent: number }[] = [];
  const own = new Set<number>();
  for (const c of root.descendantsOfType('comment')) own.add(c.startIndex);
  const re = /^([ \t]*)(#[^\r\n]*|\S)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const indent = m[1].replace(/\t/g, '        ').length;
    if (m[2].startsWith('#')) {
      if (own.has(m.index + m[1].length))
        pending.push({ start: m.index + m[1].length, end: m.index + m[0].length, indent });
      continue;
    }
    for (const p of pending)
      if (p.indent < indent) out.push({ startIndex: p.start, endIndex: p.end, text: text.slice(p.start, p.end) });
    pending.length = 0;
  }
  return out;
}

export const python: LanguageAdapter = {
  id: 'python',
  extensions: ['.py', '.pyi'],
  parse(path, text, context) {
    const tokens = pythonTokenProblems(text);
    if (tokens[0]?.fatal) return unparsedModel('python', text, tokens[0]);
    const { tree, blanked } = parseRecovering(text);
    const model = lowerPython(path, text, tree, tokens, context, blanked);
    if (model.problemCount === 0)
      model.parsesCleanAfter = (fixed, edits) => parsesCleanAfter(text, tree, fixed, edits, parsePy);
    return model;
  },
  countSyntaxProblems(_path, text) {
    const tokens = pythonTokenProblems(text);
    if (tokens[0]?.fatal) return 1;
    return problemsIn(text, parseRecovering(text).tree.rootNode, tokens, makePositioner(text)).count;
  },
  codeOf: pythonCode,
  renderFix: renderPythonFix,
};

/** What CPython rejects in the parsed text, Python 2's `print "x"` included, as the lowering finds it. */
function problemsIn(text: string, root: SyntaxNode, tokens: TokenProblem[], pos: (offset: number) => Position) {
  const range = (n: { startIndex: number; endIndex: number }) => ({ start: pos(n.startIndex), end: pos(n.endIndex) });
  const extra = python2Statements(text, root).map((n) => ({
    message: `Missing parentheses in call to '${n.type.replace('_statement', '')}'`,
    range: range(n),
    region: { start: n.startIndex, end: n.endIndex },
  }));
  return pythonSyntaxProblems(text, root, extra, range, tokens);
}
