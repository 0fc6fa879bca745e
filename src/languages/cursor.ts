// Cursor walks shared by the language adapters: no recursion, so deeply nested code cannot
// overflow the stack, and nodes are materialised only where a caller asks for them.
import type { SyntaxNode, TreeCursor } from 'tree-sitter';

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

/** Visit each child of the cursor's node; the cursor is back on the node afterwards. */
export function eachChild(cursor: TreeCursor, visit: (field: string | undefined, type: string) => void): void {
  if (!cursor.gotoFirstChild()) return;
  do visit(cursor.currentFieldName, cursor.nodeType);
  while (cursor.gotoNextSibling());
  cursor.gotoParent();
}

/**
 * Walk the subtree below the cursor's node, handing each node that `wanted` picks to `take`
 * (which must leave the cursor where it found it) instead of descending into it.
 */
export function descendTo(cursor: TreeCursor, wanted: (c: TreeCursor) => boolean, take: () => void, skip: (c: TreeCursor) => boolean = () => false): void {
  if (!cursor.gotoFirstChild()) return;
  let depth = 1;
  for (;;) {
    if (wanted(cursor)) take();
    else if (!skip(cursor) && cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      if (--depth === 0) return;
    }
  }
}
