// What a fix that adds an import must know, read from the syntax tree: where the line goes
// (after the module docstring, `__future__` imports and the leading imports), the names the
// module already imports (aliases included), and which names the code uses anywhere.
import type { SyntaxNode } from 'tree-sitter';
import type { ImportFacts, ImportLine, ModuleImport } from '../../model/types.js';
import { fieldOf, typeOf, walkTree } from '../cursor.js';
import { lineStart as lineStartOf, nextLineStart } from '../lines.js';

const IMPORTS = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

export function importFacts(root: SyntaxNode, text: string): ImportFacts {
  const imports: ModuleImport[] = [];
  const lines: ImportLine[] = [];
  let leadingEnd = -1;
  let leading = true;
  let first = true;
  let previousEnd = -1;
  for (const st of root.namedChildren) {
    if (st.type === 'comment') continue;
    const docstring =
      first && st.type === 'expression_statement' && st.namedChildCount === 1 && st.namedChildren[0].type === 'string';
    first = false;
    if (IMPORTS.has(st.type)) imports.push(...bound(st));
    if (leading && (docstring || IMPORTS.has(st.type))) {
      leadingEnd = st.endIndex;
      if (st.type === 'import_statement' || st.type === 'import_from_statement') {
        const line = importLine(st, text);
        line.afterBlank =
          previousEnd >= 0 && /\n[ \t]*\r?\n/.test(text.slice(previousEnd, lineStartOf(text, st.startIndex)));
        lines.push(line);
      }
      previousEnd = st.endIndex;
    } else leading = false;
  }
  let mentioned: Set<string> | null = null;
  return {
    insertAt: leadingEnd < 0 ? afterLeadingComments(root, text) : nextLineStart(text, leadingEnd),
    imports,
    leading: lines,
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
      if (n.type === 'aliased_import')
        out.push({ module: n.childForFieldName('name')?.text ?? '', local: n.childForFieldName('alias')?.text ?? '' });
      else if (n.type === 'dotted_name') out.push({ module: n.text.split('.')[0], local: n.text.split('.')[0] });
    }
    return out;
  }
  const moduleNode = st.childForFieldName('module_name');
  const module = moduleNode?.text.replace(/\s+/g, '') ?? '__future__';
  for (const n of st.namedChildren) {
    if (moduleNode && n.startIndex === moduleNode.startIndex && n.type === moduleNode.type) continue;
    if (n.type === 'aliased_import')
      out.push({
        module,
        name: n.childForFieldName('name')?.text ?? '',
        local: n.childForFieldName('alias')?.text ?? '',
      });
    else if (n.type === 'dotted_name') out.push({ module, name: n.text, local: n.text });
  }
  return out;
}

/** An import statement as a sorter sees it (see ImportLine). */
function importLine(st: SyntaxNode, text: string): ImportLine {
  const own = text.slice(st.startIndex, st.endIndex);
  const after = text
    .slice(st.endIndex, text.indexOf('\n', st.endIndex) < 0 ? text.length : text.indexOf('\n', st.endIndex))
    .trim();
  if (st.type === 'import_statement') {
    const modules = st.namedChildren.map((n) =>
      n.type === 'aliased_import' ? (n.childForFieldName('name')?.text ?? '') : n.text,
    );
    return {
      start: st.startIndex,
      end: st.endIndex,
      kind: 'import',
      module: modules[0] ?? '',
      names: [],
      plain: modules.length === 1 && !/[\\\n(#]/.test(own) && !after,
      afterBlank: false,
    };
  }
  const moduleNode = st.childForFieldName('module_name');
  const names = st.namedChildren
    .filter((n) => !(moduleNode && n.startIndex === moduleNode.startIndex))
    .map((n) => n.text);
  const star = /import\s+\*/.test(own);
  return {
    start: st.startIndex,
    end: st.endIndex,
    kind: 'from',
    module: moduleNode?.text.replace(/\s+/g, '') ?? '',
    names,
    plain: !star && !/[\\\n(#]/.test(own) && !after,
    afterBlank: false,
  };
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
