// tree-sitter-typescript expressions → the model's Expr, with operators spelled as in the model
// (`===` is `==`, `&&` is `and`, `!x` is `not x`). Bounded in depth; names get the expression they
// were last bound to, when asked.
import type { SyntaxNode } from 'tree-sitter';
import type { Expr } from '../../model/expr.js';
import { lowerName } from '../bindings.js';
import type { Literal } from '../../model/types.js';
import { typeOf, walkTree } from '../cursor.js';

export type BindingLookup = (name: string, seen: Set<SyntaxNode>) => SyntaxNode | null;

const MAX_DEPTH = 12;
/** Bindings are followed for names near the top (`seq`, `Array.from(seq)`), where they decide. */
const FOLLOW_DEPTH = 3;
const OPS: Record<string, string> = { '===': '==', '!==': '!=', '&&': 'and', '||': 'or', '??': 'or' };
const TRANSPARENT = new Set([
  'parenthesized_expression',
  'await_expression',
  'non_null_expression',
  'as_expression',
  'satisfies_expression',
  'type_assertion',
]);

export function lowerTsExpr(
  node: SyntaxNode,
  lookup: BindingLookup | null = null,
  seen = new Set<SyntaxNode>(),
  depth = 0,
): Expr {
  const text = node.text;
  const sub = (n: SyntaxNode): Expr => lowerTsExpr(n, lookup, seen, depth + 1);
  const other = (): Expr => ({ kind: 'other', text, names: text.length < 2000 ? identifiersOf(node) : [] });
  if (depth > MAX_DEPTH) return other();
  if (TRANSPARENT.has(node.type)) {
    const inner = node.namedChildren.find((c) => c.type !== 'comment');
    return inner ? sub(inner) : other();
  }
  switch (node.type) {
    case 'identifier':
      return lowerName(text, depth <= FOLLOW_DEPTH ? lookup : null, seen, (bound) =>
        lowerTsExpr(bound, lookup, seen, depth + 1),
      );
    case 'this':
      return { kind: 'name', text, name: text };
    case 'member_expression': {
      const obj = node.childForFieldName('object');
      const prop = node.childForFieldName('property')?.text;
      return obj && prop ? { kind: 'attribute', text, object: sub(obj), attr: prop } : other();
    }
    case 'call_expression':
    case 'new_expression': {
      const fn = node.childForFieldName(node.type === 'call_expression' ? 'function' : 'constructor');
      if (!fn) return other();
      const args = (node.childForFieldName('arguments')?.namedChildren ?? [])
        .filter((a) => a.type !== 'comment' && a.type !== 'spread_element')
        .map(sub);
      return { kind: 'call', text, callee: sub(fn), args, keywords: {} };
    }
    case 'subscript_expression': {
      const obj = node.childForFieldName('object');
      const index = node.childForFieldName('index');
      return obj && index ? { kind: 'subscript', text, object: sub(obj), index: sub(index) } : other();
    }
    case 'object': {
      const entries: { key: Expr; value: Expr }[] = [];
      let spread = false;
      for (const c of node.namedChildren) {
        if (c.type === 'spread_element') spread = true;
        else if (c.type === 'shorthand_property_identifier') {
          entries.push({
            key: { kind: 'literal', text: c.text, literal: { kind: 'string', value: c.text } },
            value: { kind: 'name', text: c.text, name: c.text },
          });
        } else if (c.type === 'pair') {
          const key = c.childForFieldName('key');
          const value = c.childForFieldName('value');
          if (!key || !value) continue;
          // An unquoted key (`{ lr: 0.1 }`) is a string.
          const k: Expr =
            key.type === 'property_identifier'
              ? { kind: 'literal', text: key.text, literal: { kind: 'string', value: key.text } }
              : sub(key);
          entries.push({ key: k, value: sub(value) });
        }
      }
      return { kind: 'dict', text, entries, spread };
    }
    case 'array':
    case 'spread_element':
      // `[...xs]` holds the items of `xs`: a spread lowers to what it spreads.
      if (node.type === 'spread_element') return node.namedChildren[0] ? sub(node.namedChildren[0]) : other();
      return { kind: 'list', text, items: node.namedChildren.filter((c) => c.type !== 'comment').map(sub) };
    case 'binary_expression': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const op = node.childForFieldName('operator')?.text;
      return left && right && op
        ? { kind: 'binary', text, op: OPS[op] ?? op, left: sub(left), right: sub(right) }
        : other();
    }
    case 'unary_expression': {
      const arg = node.childForFieldName('argument');
      return arg && node.childForFieldName('operator')?.text === '!'
        ? { kind: 'not', text, operand: sub(arg) }
        : other();
    }
    case 'template_string': {
      const lit = tsLiteral(node);
      if (lit) return { kind: 'literal', text, literal: lit };
      const subs = node.namedChildren
        .filter((c) => c.type === 'template_substitution')
        .map((c) => c.namedChildren[0])
        .filter((c): c is SyntaxNode => !!c);
      return { kind: 'template', text, interpolations: subs.map(sub) };
    }
    default: {
      const lit = tsLiteral(node);
      return lit ? { kind: 'literal', text, literal: lit } : other();
    }
  }
}

/** Identifiers an expression reads (property names excluded). */
export function identifiersOf(node: SyntaxNode): string[] {
  if (
    node.type === 'identifier' ||
    node.type === 'shorthand_property_identifier' ||
    node.type === 'shorthand_property_identifier_pattern'
  )
    return [node.text];
  const out: string[] = [];
  walkTree(node, (c) => {
    const t = typeOf(c);
    if (t === 'identifier' || t === 'shorthand_property_identifier_pattern' || t === 'shorthand_property_identifier') {
      out.push(c.nodeText);
      return false;
    }
    return t !== 'type_annotation' && t !== 'property_identifier';
  });
  return out;
}

export function tsLiteral(node: SyntaxNode): Literal | undefined {
  switch (node.type) {
    case 'string':
      return { kind: 'string', value: node.text.slice(1, -1) };
    case 'template_string':
      return node.namedChildren.some((c) => c.type === 'template_substitution')
        ? undefined
        : { kind: 'string', value: node.text.slice(1, -1) };
    case 'number':
      return { kind: 'number', value: node.text };
    case 'true':
    case 'false':
      return { kind: 'bool', value: node.text };
    case 'null':
    case 'undefined':
      return { kind: 'none', value: node.text };
    default:
      return undefined;
  }
}
