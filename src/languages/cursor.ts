// Cursor walks shared by the language adapters: no recursion, so deeply nested code cannot
// overflow the stack, and nodes are materialised only where a caller asks for them.
import type { SyntaxNode, TreeCursor } from 'tree-sitter';

/**
 * Names by id, per language: the binding answers `nodeTypeId` and `currentFieldId` with a number,
 * where `nodeType` and `currentFieldName` build a string each time, and a walk asks on every node.
 */
interface Names {
  types: string[];
  fields: string[];
}
const byLanguage = new WeakMap<object, Names>();
const NO_LANGUAGE: Names = { types: [], fields: [] };

function namesOf(c: TreeCursor): Names {
  const held = c as TreeCursor & { names?: Names };
  if (held.names) return held.names;
  const language = (c as unknown as { tree?: { language?: object } }).tree?.language;
  let names = language ? byLanguage.get(language) : undefined;
  if (!names) {
    names = language ? { types: [], fields: [] } : NO_LANGUAGE;
    if (language) byLanguage.set(language, names);
  }
  held.names = names;
  return names;
}

/** The cursor's node type, as `cursor.nodeType` says it. */
export function typeOf(c: TreeCursor): string {
  const names = namesOf(c);
  if (names === NO_LANGUAGE) return c.nodeType;
  const id = c.nodeTypeId;
  return names.types[id] ?? (names.types[id] = c.nodeType);
}

/** The cursor's field name, as `cursor.currentFieldName` says it (undefined for none). */
export function fieldOf(c: TreeCursor): string | undefined {
  const names = namesOf(c);
  if (names === NO_LANGUAGE) return c.currentFieldName;
  const id = c.currentFieldId;
  if (!id) return undefined;
  return names.fields[id] ?? (names.fields[id] = c.currentFieldName);
}

/** Pre-order walk without recursion; `enter` returns whether to descend into the node. */
export function walkTree(node: SyntaxNode, enter: (c: TreeCursor) => boolean): void {
  const c = node.walk();
  let depth = 0;
  for (;;) {
    if (enter(c) && c.gotoFirstChild()) {
      depth++;
      continue;
    }
    if (depth === 0) return;
    while (!c.gotoNextSibling()) {
      c.gotoParent();
      if (--depth === 0) return;
    }
  }
}

/**
 * Pre-order walk of the subtree at the cursor (its node included), with the cursor itself: no
 * cursor or node is made. `enter` returns whether to descend; the cursor ends where it started.
 */
export function walkBelow(c: TreeCursor, enter: (c: TreeCursor) => boolean): void {
  if (!enter(c) || !c.gotoFirstChild()) return;
  let depth = 1;
  for (;;) {
    if (enter(c) && c.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (!c.gotoNextSibling()) {
      c.gotoParent();
      if (--depth === 0) return;
    }
  }
}

/** What a walk does with a node: hand it over, pass it by, or look inside. */
export const TAKE = 0;
export const SKIP = 1;
export const ENTER = 2;

/**
 * Walk the subtree below the cursor's node, handing each node that `classify` says to take to
 * `take` (which must leave the cursor where it found it) instead of descending into it.
 */
export function descendTo(cursor: TreeCursor, classify: (c: TreeCursor) => number, take: () => void): void {
  if (!cursor.gotoFirstChild()) return;
  let depth = 1;
  for (;;) {
    const what = classify(cursor);
    if (what === TAKE) take();
    else if (what === ENTER && cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      if (--depth === 0) return;
    }
  }
}
