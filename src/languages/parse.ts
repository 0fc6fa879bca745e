// One way to parse a text, for every adapter.
import type ParserType from 'tree-sitter';

/** Does nothing: see `parseText`. */
function keepNoNode(): void {}

/**
 * Parse a whole string. node-tree-sitter needs an explicit buffer size for large texts.
 *
 * The binding keeps a weak reference and a finalizer for every node it hands to JavaScript, so
 * that `Tree.edit` can move them and a node read twice is the same object. mlflint never edits a
 * tree, and compares nodes by position, not identity: the tree keeps none, which spares the
 * garbage collector a finalizer per node (about a tenth of a run where every file uses MLflow).
 */
export function parseText(parser: ParserType, text: string): ParserType.Tree {
  const tree = parser.parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) });
  const held = tree as ParserType.Tree & { _cacheNode: () => void; _cacheNodes: () => void };
  held._cacheNode = keepNoNode;
  held._cacheNodes = keepNoNode;
  return tree;
}
