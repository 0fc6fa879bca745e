import { createRequire } from 'node:module';
import type ParserType from 'tree-sitter';
import type { LanguageAdapter } from '../adapter.js';
import { renderPythonFix } from './fix.js';
import { lowerPython } from './lower.js';

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

export const python: LanguageAdapter = {
  id: 'python',
  extensions: ['.py', '.pyi'],
  parse(path, text, project) {
    // Large files need an explicit buffer size in node-tree-sitter; parse from a callback-free string.
    const tree = getParser().parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) });
    return lowerPython(path, text, tree, project);
  },
  renderFix: renderPythonFix,
};
