import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type ParserType from 'tree-sitter';
import type { LanguageAdapter } from '../adapter.js';
import { renderTypescriptFix } from './fix.js';
import { lowerTypescript } from './lower.js';

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

export const typescript: LanguageAdapter = {
  id: 'typescript',
  extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
  parse(path, text) {
    const tree = parserFor(path).parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) });
    return lowerTypescript(path, text, tree);
  },
  renderFix: renderTypescriptFix,
};
