import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type ParserType from 'tree-sitter';
import { parseText } from '../src/languages/parse.js';

const require = createRequire(import.meta.url);
const Parser = require('tree-sitter') as typeof ParserType;

test('parseText: the tree keeps no node, so a node read twice is two objects of one place', () => {
  const parser = new Parser();
  parser.setLanguage(require('tree-sitter-python'));
  const text = 'from a.b import c\n'.repeat(40_000);
  const tree = parseText(parser, text);
  const first = tree.rootNode.child(0);
  const again = tree.rootNode.child(0);
  assert.ok(first && again);
  // If a binding upgrade caches nodes again, this fails: the saving is gone, and identity is back.
  assert.notEqual(first, again);
  assert.equal(first.startIndex, again.startIndex);
  assert.equal(first.childForFieldName('module_name')?.text, 'a.b');
  // A text longer than the binding's default buffer is parsed whole.
  assert.equal(tree.rootNode.namedChildCount, 40_000);
  assert.equal(tree.rootNode.hasError, false);
});
