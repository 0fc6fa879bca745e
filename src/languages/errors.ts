// Where a file fails to parse, said as precisely as tree-sitter's recovery allows.
import type { SyntaxNode } from 'tree-sitter';
import type { Range, SyntaxProblem } from '../model/types.js';
import { typeOf, walkTree } from './cursor.js';

export function collectSyntaxErrors(
  root: SyntaxNode,
  range: (n: { startIndex: number; endIndex: number }) => Range,
): SyntaxProblem[] {
  const errors: SyntaxProblem[] = [];
  const seenLines = new Set<number>();
  const push = (message: string, node: { startIndex: number; endIndex: number }, region: SyntaxNode): void => {
    const r = range(node);
    if (seenLines.has(r.start.line) || errors.length >= 20) return;
    seenLines.add(r.start.line);
    errors.push({ message, range: r, region: { start: region.startIndex, end: region.endIndex } });
  };
  walkTree(root, (c) => {
    if (typeOf(c) === 'ERROR') {
      const n = c.currentNode;
      const open = unclosedBracket(n);
      if (open) push(`'${open.type}' was never closed`, open, n);
      else {
        const at = firstUnexpected(n);
        push(`invalid syntax near \`${firstLine(at.text)}\``, at, n);
      }
      return false;
    }
    if (c.nodeIsMissing) {
      const missing = c.currentNode;
      push(`expected \`${typeOf(c)}\``, missing, missing.parent ?? missing);
      return false;
    }
    return true;
  });
  return errors;
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The first bracket opened among an ERROR node's loose tokens (and nested ERRORs) and never closed. */
function unclosedBracket(error: SyntaxNode): SyntaxNode | null {
  const stack: SyntaxNode[] = [];
  const scan = (n: SyntaxNode): void => {
    for (const child of n.children) {
      if (child.type in CLOSER) stack.push(child);
      else if (stack.length && child.type === CLOSER[stack[stack.length - 1].type]) stack.pop();
      else if (child.type === 'ERROR') scan(child);
    }
  };
  scan(error);
  return stack[0] ?? null;
}

/** Skip the complete statements an ERROR node wraps; point at what could not be parsed. */
function firstUnexpected(error: SyntaxNode): SyntaxNode {
  for (const child of error.children) {
    if (/(_statement|_definition|^comment)$/.test(child.type)) continue;
    return child.type === 'ERROR' ? firstUnexpected(child) : child;
  }
  return error;
}

function firstLine(s: string): string {
  const l = s.split('\n')[0].trim();
  return l.length > 30 ? `${l.slice(0, 30)}…` : l;
}
