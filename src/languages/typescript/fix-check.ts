// The fix check asks whether a fixed text parses with no problem, as the file did. Most fixes
// change the inside of one function or class: such a declaration at the top of the file ends
// with its `}` whatever follows (no semicolon is ever inserted after it), and it starts with the
// file's own tokens, before the first edit. So each declaration a fix changes, parsed alone and
// clean, proves the whole text clean. Anything else (an import added, code outside a
// declaration, an arrow function held by a `const`, whose end depends on what follows) is left
// to a full parse.
import type { SyntaxNode, Tree } from 'tree-sitter';
import type { Edit } from '../../model/fixes.js';

/** Declarations that end with the `}` of their body, and the field that body is in. */
const BODY: Record<string, string> = {
  function_declaration: 'body',
  generator_function_declaration: 'body',
  class_declaration: 'body',
  abstract_class_declaration: 'body',
};

/** The top-level declaration whose body holds [start, end), or null. */
function declarationAround(tops: SyntaxNode[], start: number, end: number): SyntaxNode | null {
  for (const top of tops) {
    if (top.endIndex < start) continue;
    if (top.startIndex > start) return null;
    const decl = top.type === 'export_statement' ? top.childForFieldName('declaration') : top;
    const field = decl && BODY[decl.type];
    const body = field ? decl.childForFieldName(field) : null;
    // Strictly inside the braces: the `{` and the `}` are the file's own.
    if (!body || !(body.startIndex < start && end < body.endIndex)) return null;
    return top;
  }
  return null;
}

/**
 * Whether `fixed`, which is the text `tree` parsed with no syntax problem, with `edits` made (in
 * source order), has no syntax problem either: true proves it; false means only a full parse can tell.
 */
export function parsesCleanAfter(
  tree: Tree,
  fixed: string,
  edits: readonly Edit[],
  parse: (text: string) => Tree,
): boolean {
  if (!edits.length) return false;
  const tops = tree.rootNode.namedChildren;
  const parts: { node: SyntaxNode; from: number; to: number }[] = [];
  let shift = 0;
  for (const e of edits) {
    const node = declarationAround(tops, e.start, e.end);
    if (!node) return false;
    const last = parts[parts.length - 1];
    if (last?.node.startIndex === node.startIndex) last.to = node.endIndex + shift + e.text.length - (e.end - e.start);
    else
      parts.push({
        node,
        from: node.startIndex + shift,
        to: node.endIndex + shift + e.text.length - (e.end - e.start),
      });
    shift += e.text.length - (e.end - e.start);
  }
  return parts.every((p) => !parse(fixed.slice(p.from, p.to)).rootNode.hasError);
}
