// What a fix that adds an import must know, read from the syntax tree: where the line goes
// (after the module docstring, `__future__` imports and the leading imports), the names the
// module already imports (aliases included), and which names the code uses anywhere.
import type { SyntaxNode } from 'tree-sitter';
import type { ImportFacts, ModuleImport } from '../../model/types.js';
import { fieldOf, typeOf, walkTree } from '../cursor.js';
import { nextLineStart } from '../lines.js';

const IMPORTS = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

export function importFacts(root: SyntaxNode, text: string): ImportFacts {
  const imports: ModuleImport[] = [];
  let leadingEnd = -1;
  let leading = true;
  let first = true;
  for (const st of root.namedChildren) {
    if (st.type === 'comment') continue;
    const docstring = first && st.type === 'expression_statement' && st.namedChildCount === 1 && st.namedChildren[0].type === 'string';
    first = false;
    if (IMPORTS.has(st.type)) imports.push(...bound(st));
    if (leading && (docstring || IMPORTS.has(st.type))) leadingEnd = st.endIndex;
    else leading = false;
  }
  let mentioned: Set<string> | null = null;
  return {
    insertAt: leadingEnd < 0 ? afterLeadingComments(root, text) : nextLineStart(text, leadingEnd),
    imports,
    mentions(name) {
      if (!mentioned) mentioned = identifiersOf(root);
      return mentioned.has(name);
    },
  };
}

/** `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`; `from m import x as y` binds `y`. */
function bound(st: SyntaxNode): ModuleImport[] {
  const out: ModuleImport[] = [];
  if (st.type === 'import_statement') {
    for (const n of st.namedChildren) {
      if (n.type === 'aliased_import') out.push({ module: n.childForFieldName('name')?.text ?? '', local: n.childForFieldName('alias')?.text ?? '' });
      else if (n.type === 'dotted_name') out.push({ module: n.text.split('.')[0], local: n.text.split('.')[0] });
    }
    return out;
  }
  const moduleNode = st.childForFieldName('module_name');
  const module = moduleNode?.text.replace(/\s+/g, '') ?? '__future__';
  for (const n of st.namedChildren) {
    if (moduleNode && n.startIndex === moduleNode.startIndex && n.type === moduleNode.type) continue;
    if (n.type === 'aliased_import') out.push({ module, name: n.childForFieldName('name')?.text ?? '', local: n.childForFieldName('alias')?.text ?? '' });
    else if (n.type === 'dotted_name') out.push({ module, name: n.text, local: n.text });
  }
  return out;
}

/** A file that starts with comments (a shebang, an encoding line, a licence) keeps them first. */
function afterLeadingComments(root: SyntaxNode, text: string): number {
  let end = 0;
  for (const st of root.children) {
    if (st.type !== 'comment') break;
    end = st.endIndex;
  }
  return end ? nextLineStart(text, end) : 0;
}

/** Every identifier the code uses, except attribute names (`x.time`) and keyword names (`f(time=1)`). */
function identifiersOf(root: SyntaxNode): Set<string> {
  const out = new Set<string>();
  walkTree(root, (c) => {
    if (typeOf(c) !== 'identifier') return true;
    const field = fieldOf(c);
    if (field === 'attribute' || (field === 'name' && c.currentNode.parent?.type === 'keyword_argument')) return false;
    out.add(c.nodeText);
    return false;
  });
  return out;
}
