// tree-sitter-python expressions → the model's Expr. Bounded in depth, so a huge expression costs
// no more than its first levels; names get the expression they were last bound to, when asked.
import type { SyntaxNode } from 'tree-sitter';
import type { Expr } from '../../model/expr.js';
import { lowerName } from '../bindings.js';
import { identifiers, literal } from './syntax.js';

/** The expression a name was last bound to before this point, or null. */
export type BindingLookup = (name: string, seen: Set<SyntaxNode>) => SyntaxNode | null;

const MAX_DEPTH = 12;
/** Bindings are followed for names near the top (`seq`, `enumerate(seq)`, `tqdm(enumerate(seq))`), where they decide. */
const FOLLOW_DEPTH = 3;
const OPS: Record<string, string> = { is: '==', 'is not': '!=', '<>': '!=' };

export function lowerPythonExpr(
  node: SyntaxNode,
  lookup: BindingLookup | null = null,
  seen = new Set<SyntaxNode>(),
  depth = 0,
): Expr {
  const text = node.text;
  const sub = (n: SyntaxNode): Expr => lowerPythonExpr(n, lookup, seen, depth + 1);
  const other = (): Expr => ({ kind: 'other', text, names: text.length < 2000 ? identifiers(node) : [] });
  if (depth > MAX_DEPTH) return other();
  switch (node.type) {
    case 'identifier':
      return lowerName(text, depth <= FOLLOW_DEPTH ? lookup : null, seen, (bound) =>
        lowerPythonExpr(bound, lookup, seen, depth + 1),
      );
    case 'attribute': {
      const obj = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute')?.text;
      return obj && attr ? { kind: 'attribute', text, object: sub(obj), attr } : other();
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const argsNode = node.childForFieldName('arguments');
      if (!fn) return other();
      const args: Expr[] = [];
      const keywords: Record<string, Expr> = {};
      if (argsNode?.type === 'argument_list') {
        for (const a of argsNode.namedChildren) {
          if (
            a.type === 'comment' ||
            a.type === 'line_continuation' ||
            a.type === 'list_splat' ||
            a.type === 'dictionary_splat'
          )
            continue;
          if (a.type === 'keyword_argument') {
            const name = a.childForFieldName('name')?.text;
            const value = a.childForFieldName('value');
            if (name && value) keywords[name] = sub(value);
          } else args.push(sub(a));
        }
      } else if (argsNode) args.push(sub(argsNode));
      return { kind: 'call', text, callee: sub(fn), args, keywords };
    }
    case 'subscript': {
      const value = node.childForFieldName('value');
      const index = node.childForFieldName('subscript');
      return value && index ? { kind: 'subscript', text, object: sub(value), index: sub(index) } : other();
    }
    case 'list_splat':
      return node.namedChildren[0] ? sub(node.namedChildren[0]) : other();
    case 'list':
    case 'tuple':
    case 'set':
      return {
        kind: 'list',
        text,
        items: node.namedChildren.filter((c) => c.type !== 'comment' && c.type !== 'line_continuation').map(sub),
      };
    case 'dictionary': {
      const entries: { key: Expr; value: Expr }[] = [];
      let spread = false;
      for (const c of node.namedChildren) {
        if (c.type === 'dictionary_splat') spread = true;
        const key = c.type === 'pair' ? c.childForFieldName('key') : null;
        const value = c.type === 'pair' ? c.childForFieldName('value') : null;
        if (key && value) entries.push({ key: sub(key), value: sub(value) });
      }
      return { kind: 'dict', text, entries, spread };
    }
    case 'list_comprehension':
    case 'set_comprehension':
    case 'dictionary_comprehension':
    case 'generator_expression': {
      const iterable = node.namedChildren.find((c) => c.type === 'for_in_clause')?.childForFieldName('right');
      return iterable
        ? { kind: 'comprehension', text, iterable: sub(iterable), names: text.length < 2000 ? identifiers(node) : [] }
        : other();
    }
    case 'parenthesized_expression':
    case 'await': {
      const inner = node.namedChildren.find((c) => c.type !== 'comment');
      return inner ? sub(inner) : other();
    }
    case 'binary_operator':
    case 'boolean_operator': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const op = node.childForFieldName('operator')?.text;
      return left && right && op ? { kind: 'binary', text, op, left: sub(left), right: sub(right) } : other();
    }
    case 'comparison_operator': {
      const operands = node.namedChildren.filter((c) => c.type !== 'comment');
      if (operands.length !== 2) return other();
      const op = node.children
        .filter((c) => !c.isNamed)
        .map((c) => c.text)
        .join(' ');
      return { kind: 'binary', text, op: OPS[op] ?? op, left: sub(operands[0]), right: sub(operands[1]) };
    }
    case 'not_operator': {
      const arg = node.childForFieldName('argument');
      return arg ? { kind: 'not', text, operand: sub(arg) } : other();
    }
    case 'string': {
      const lit = literal(node);
      if (lit) return { kind: 'literal', text, literal: lit };
      // A conversion or format spec (`{k!r}`, `{k:.3}`) makes the text more than the value: keep only its names.
      const interpolations = node.namedChildren
        .filter((c) => c.type === 'interpolation')
        .map((c): Expr => {
          const e = c.childForFieldName('expression');
          const plain = e && !c.childForFieldName('type_conversion') && !c.childForFieldName('format_specifier');
          return plain ? sub(e) : { kind: 'other', text: c.text, names: identifiers(c) };
        });
      return { kind: 'template', text, interpolations };
    }
    default: {
      const lit = literal(node);
      return lit ? { kind: 'literal', text, literal: lit } : other();
    }
  }
}
