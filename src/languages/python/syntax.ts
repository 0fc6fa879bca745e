// Small reads of tree-sitter-python syntax shared by the lowering passes.
import type { SyntaxNode, TreeCursor } from 'tree-sitter';
import { fieldOf, typeOf, walkBelow } from '../cursor.js';
import type { Literal } from '../../model/types.js';

/** The type of an expression statement's only expression (`call`, `string`, `await`), or `other`. */
export function expressionShape(cursor: TreeCursor): string {
  let shape = 'other';
  let named = 0;
  if (cursor.gotoFirstChild()) {
    do {
      if (!cursor.nodeIsNamed || typeOf(cursor) === 'comment' || typeOf(cursor) === 'line_continuation') continue;
      named++;
      shape = typeOf(cursor);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return named === 1 ? shape : 'other';
}

/** Identifiers an expression reads, skipping attribute names and keyword names. */
export function identifiers(node: SyntaxNode): string[] {
  return node.type === 'identifier' ? [node.text] : identifiersAt(node.walk());
}

/** identifiers() of the node at the cursor, read through the cursor (which ends where it started). */
export function identifiersAt(cursor: TreeCursor): string[] {
  if (typeOf(cursor) === 'identifier') return [cursor.nodeText];
  const out: string[] = [];
  walkBelow(cursor, (c) => {
    if (typeOf(c) !== 'identifier') return true;
    const field = fieldOf(c);
    if (field !== 'attribute' && field !== 'name') out.push(c.nodeText);
    return false;
  });
  return out;
}

/** What an assignment's target is, read through the cursor on it. */
export interface Target {
  type: string;
  start: number;
  text: string;
  names: string[];
  /** `obj.attr = ...`: the object's text and the attribute. */
  object?: string;
  attribute?: string;
  /** `a, b = ...`: the first element's type and text. */
  first?: { type: string; text: string };
}

export function targetAt(cursor: TreeCursor): Target {
  const t: Target = {
    type: typeOf(cursor),
    start: cursor.startIndex,
    text: cursor.nodeText,
    names: identifiersAt(cursor),
  };
  if ((t.type === 'attribute' || t.type === 'pattern_list' || t.type === 'tuple_pattern') && cursor.gotoFirstChild()) {
    do {
      if (t.type === 'attribute') {
        const field = fieldOf(cursor);
        if (field === 'object') t.object = cursor.nodeText;
        else if (field === 'attribute') t.attribute = cursor.nodeText;
      } else if (cursor.nodeIsNamed && !t.first) t.first = { type: typeOf(cursor), text: cursor.nodeText };
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return t;
}

/** literal() of the node at the cursor, read through the cursor. */
export function literalAt(c: TreeCursor): Literal | undefined {
  const type = typeOf(c);
  switch (type) {
    case 'string': {
      let content = '';
      let interpolated = false;
      if (c.gotoFirstChild()) {
        do {
          const t = typeOf(c);
          if (t === 'interpolation') interpolated = true;
          else if (t === 'string_content') content += c.nodeText;
        } while (!interpolated && c.gotoNextSibling());
        c.gotoParent();
      }
      return interpolated ? undefined : { kind: 'string', value: content };
    }
    case 'integer':
    case 'float':
      return { kind: 'number', value: c.nodeText };
    case 'unary_operator': {
      const text = c.nodeText;
      return /^-\s*\d/.test(text) ? { kind: 'number', value: text.replace(/\s+/g, '') } : undefined;
    }
    case 'true':
      return { kind: 'bool', value: 'True' };
    case 'false':
      return { kind: 'bool', value: 'False' };
    case 'none':
      return { kind: 'none', value: 'None' };
    default:
      return undefined;
  }
}

export function literal(node: SyntaxNode): Literal | undefined {
  return literalAt(node.walk());
}

export function collectReturns(node: SyntaxNode | null, out: SyntaxNode[]): void {
  if (!node) return;
  for (const c of node.namedChildren) {
    if (c.type === 'function_definition' || c.type === 'class_definition') continue;
    if (c.type === 'return_statement') {
      if (c.namedChildren[0]) out.push(c.namedChildren[0]);
    } else collectReturns(c, out);
  }
}
