import { createRequire } from 'node:module';
import type ParserType from 'tree-sitter';
import type { LanguageAdapter } from '../adapter.js';
import { renderPythonFix } from './fix.js';
import { makePositioner } from '../../model/position.js';
import { lowerPython } from './lower.js';
import { pythonSyntaxProblems } from './problems.js';
import { pythonTokenProblems } from './tokens.js';
import { unparsedModel } from '../builder.js';

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

// Large files need an explicit buffer size in node-tree-sitter; parse from a callback-free string.
function parsePy(text: string): ParserType.Tree {
  return getParser().parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) });
}

export const python: LanguageAdapter = {
  id: 'python',
  extensions: ['.py', '.pyi'],
  parse(path, text, project) {
    const tokens = pythonTokenProblems(text);
    if (tokens[0]?.fatal) return unparsedModel(path, 'python', text, tokens[0]);
    return lowerPython(path, text, parsePy(text), tokens, project);
  },
  countSyntaxProblems(_path, text) {
    const tokens = pythonTokenProblems(text);
    if (tokens[0]?.fatal) return 1;
    const root = parsePy(text).rootNode;
    const python2 = text.includes('print') || text.includes('exec') ? root.descendantsOfType(['print_statement', 'exec_statement']) : [];
    const pos = makePositioner(text);
    const range = (n: { startIndex: number; endIndex: number }) => ({ start: pos(n.startIndex), end: pos(n.endIndex) });
    return pythonSyntaxProblems(text, root, python2.map((n) => ({ message: '', range: range(n) })), range, tokens).count;
  },
  renderFix: renderPythonFix,
};
