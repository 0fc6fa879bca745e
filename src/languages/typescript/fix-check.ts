// The fix check asks whether a fixed text parses with no problem, as the file did. Most fixes
// change the inside of one function or class: such a declaration at the top of the file ends
// with its `}` whatever follows (no semicolon is ever inserted after it), and it starts with the
// file's own tokens, before the first edit. So each declaration a fix changes, parsed alone,
// clean, and still one declaration of its kind that ends with its body's `}`, proves the whole
// text clean. (Clean alone is not enough: `} x = {` put in a body ends it early, and the last
// `}` then closes an object literal, which the next statement on the line cannot follow.)
// Anything else (an import added, code outside a declaration, an arrow function held by a
// `const`, whose end depends on what follows) is left to a full parse.
import type { SyntaxNode, Tree } from 'tree-sitter';
import type { Edit } from '../../model/fixes.js';

/** Declarations that end with the `}` of their body. */
const DECLARATIONS = new Set([
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
  'abstract_class_declaration',
]);

/** A top-level statement's declaration (under `export` or not), and its body, when it is one of DECLARATIONS. */
function declarationOf(top: SyntaxNode): { decl: SyntaxNode; body: SyntaxNode } | null {
  const decl = top.type === 'export_statement' ? top.childForFieldName('declaration') : top;
  const body = decl && DECLARATIONS.has(decl.type) ? decl.childForFieldName('body') : null;
  return decl && body ? { decl, body } : null;
}

/** The top-level declaration whose body holds [start, end), or null. */
function declarationAround(tops: SyntaxNode[], start: number, end: number): SyntaxNode | null {
  for (const top of tops) {
    if (top.endIndex < start) continue;
    if (top.startIndex > start) return null;
    const body = declarationOf(top)?.body;
    // Strictly inside the braces: the `{` and the `}` are the file's own.
    if (!body || !(body.startIndex < start && end < body.endIndex)) return null;
    return top;
  }
  return null;
}

/** `piece`, parsed alone, is clean and one declaration of `top`'s kind, ending with its body's `}`. */
function sameDeclaration(piece: string, top: SyntaxNode, parse: (text: string) => Tree): boolean {
  const root = parse(piece).rootNode;
  if (root.hasError || root.namedChildCount !== 1) return false;
  const only = root.namedChildren[0];
  if (only.type !== top.type || only.startIndex !== 0 || only.endIndex !== piece.length) return false;
  const now = declarationOf(only);
  return !!now && now.decl.type === declarationOf(top)?.decl.type && now.body.endIndex === piece.length;
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
    const delta = e.text.length - (e.end - e.start);
    const to = node.endIndex + shift + delta;
    const last = parts[parts.length - 1];
    if (last?.node.startIndex === node.startIndex) last.to = to;
    else parts.push({ node, from: node.startIndex + shift, to });
    shift += delta;
  }
  return parts.every((p) => sameDeclaration(fixed.slice(p.from, p.to), p.node, parse));
}
