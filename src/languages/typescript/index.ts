import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type ParserType from 'tree-sitter';
import type { LanguageAdapter } from '../adapter.js';
import { collectSyntaxErrors } from '../errors.js';
import { renderTypescriptFix } from './fix.js';
import { lowerTypescript } from './lower.js';
import { parsesCleanAfter } from './fix-check.js';
import { parseText } from '../parse.js';

const require = createRequire(import.meta.url);
const parsers = new Map<string, ParserType>();

// TypeScript files use the `typescript` grammar; JavaScript and TSX the `tsx` one, which reads JSX.
function parserFor(path: string): ParserType {
  const grammar = /^\.(ts|mts|cts)$/.test(extname(path).toLowerCase()) ? 'typescript' : 'tsx';
  let p = parsers.get(grammar);
  if (!p) {
    const Parser = require('tree-sitter') as typeof ParserType;
    p = new Parser();
    p.setLanguage(require('tree-sitter-typescript')[grammar]);
    parsers.set(grammar, p);
  }
  return p;
}

const NO_RANGE = { start: { line: 0, column: 0, offset: 0 }, end: { line: 0, column: 0, offset: 0 } };

function parseTs(path: string, text: string): ParserType.Tree {
  return parseText(parserFor(path), text);
}

export const typescript: LanguageAdapter = {
  id: 'typescript',
  extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
  parse(path, text, context) {
    const tree = parseTs(path, text);
    const model = lowerTypescript(path, text, tree, context?.extraReceivers);
    if (!model.syntaxErrors.length)
      model.parsesCleanAfter = (fixed, edits) => parsesCleanAfter(tree, fixed, edits, (t) => parseTs(path, t));
    return model;
  },
  countSyntaxProblems(path, text) {
    const root = parseTs(path, text).rootNode;
    return root.hasError ? collectSyntaxErrors(root, () => NO_RANGE).length : 0;
  },
  renderFix: renderTypescriptFix,
};
