// Meaning-preserving rewrites of Python programs, driven by tree-sitter-python. Each
// transformation returns one variant per site where it applies (and, for renaming, also one
// variant with every site at once). None of them changes how often anything reaches the tracking
// server; see the comment on each for what it keeps fixed.
import {
  ancestors,
  applyEdits,
  descendants,
  freshName,
  indentAt,
  isInside,
  LOGGING_APIS,
  lineEndOf,
  lineStartOf,
  ofType,
  protectedName,
  reindent,
  same,
  startsLine,
  wordsOf,
  type Edit,
  type Source,
  type SyntaxNode,
  type Transformation,
  type Variant,
  LOOP_RULES,
  neighbours,
} from './common.js';

const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
const COMPREHENSIONS = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);
const PATTERNS = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'parenthesized_expression',
  'list_splat_pattern',
  'as_pattern_target',
]);

const isField = (n: SyntaxNode, field: string): boolean => !!n.parent && same(n.parent.childForFieldName(field), n);

/** Identifiers bound by a target expression (`x`, `(a, b)`, `[*rest]`), not attributes or subscripts. */
function boundIdentifiers(target: SyntaxNode): SyntaxNode[] {
  if (target.type === 'identifier') return [target];
  if (!PATTERNS.has(target.type)) return [];
  return target.namedChildren.flatMap(boundIdentifiers);
}

/** An identifier that reads or binds a variable (not an attribute name, keyword name or import path). */
function isVariable(id: SyntaxNode): boolean {
  if (id.type !== 'identifier') return false;
  const p = id.parent;
  if (!p) return true;
  if (p.type === 'attribute' && isField(id, 'attribute')) return false;
  if (p.type === 'keyword_argument' && isField(id, 'name')) return false;
  if ((p.type === 'function_definition' || p.type === 'class_definition') && isField(id, 'name')) return false;
  return !ancestors(id).some(
    (a) => a.type === 'import_statement' || a.type === 'import_from_statement' || a.type === 'dotted_name',
  );
}

// ---- scopes ----------------------------------------------------------------------------------

interface PyScope {
  node: SyntaxNode;
  kind: 'function' | 'module';
  /** Names bound in the scope (parameters, assignments, loop and `with` targets, imports). */
  bound: Set<string>;
  params: Set<string>;
  /** Names never to rename here: imports, globals, defaults, names used by nested scopes, comprehension targets. */
  blocked: Set<string>;
  loopTargets: Set<string>;
  /** Every variable occurrence of a name in the scope (outside nested scopes). */
  occurrences: Map<string, SyntaxNode[]>;
  /** Right-hand sides assigned to a name. */
  rhs: Map<string, string[]>;
}

function scopeOf(node: SyntaxNode, kind: 'function' | 'module'): PyScope {
  const s: PyScope = {
    node,
    kind,
    bound: new Set(),
    params: new Set(),
    blocked: new Set(),
    loopTargets: new Set(),
    occurrences: new Map(),
    rhs: new Map(),
  };
  const occur = (id: SyntaxNode): void => {
    const list = s.occurrences.get(id.text) ?? [];
    list.push(id);
    s.occurrences.set(id.text, list);
  };
  const bind = (id: SyntaxNode, rhs?: string): void => {
    s.bound.add(id.text);
    if (rhs !== undefined) s.rhs.set(id.text, [...(s.rhs.get(id.text) ?? []), rhs]);
  };
  const blockAll = (n: SyntaxNode): void => {
    for (const d of descendants(n)) if (d.type === 'identifier') s.blocked.add(d.text);
  };
  if (kind === 'function') {
    for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
      if (p.type === 'identifier' || p.type === 'typed_parameter') {
        const id = p.type === 'identifier' ? p : p.namedChildren.find((c) => c.type === 'identifier');
        if (!id) continue;
        s.params.add(id.text);
        bind(id);
        occur(id);
        const type = p.childForFieldName('type');
        if (type) blockAll(type);
      } else {
        // Defaults, *args, **kwargs: bound here, but kept as they are.
        const id = p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'identifier');
        if (id?.type === 'identifier') s.bound.add(id.text);
        blockAll(p);
      }
    }
    const ret = node.childForFieldName('return_type');
    if (ret) blockAll(ret);
  }
  const body = kind === 'function' ? node.childForFieldName('body') : node;
  const stack: SyntaxNode[] = body ? [body] : [];
  while (stack.length) {
    const n = stack.pop() as SyntaxNode;
    if (NESTED_SCOPES.has(n.type)) {
      // A nested def/class binds its name here; whatever it mentions is off limits.
      const name = n.childForFieldName('name');
      if (name) {
        s.bound.add(name.text);
        s.blocked.add(name.text);
      }
      blockAll(n);
      continue;
    }
    switch (n.type) {
      case 'import_statement':
      case 'import_from_statement':
      case 'global_statement':
      case 'nonlocal_statement':
        blockAll(n);
        for (const d of descendants(n)) if (d.type === 'identifier') s.bound.add(d.text);
        continue;
      case 'type':
        blockAll(n);
        continue;
      case 'assignment': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        for (const id of left ? boundIdentifiers(left) : []) bind(id, right?.text ?? '');
        break;
      }
      case 'augmented_assignment': {
        const left = n.childForFieldName('left');
        if (left?.type === 'identifier') bind(left);
        break;
      }
      case 'for_statement': {
        const left = n.childForFieldName('left');
        for (const id of left ? boundIdentifiers(left) : []) {
          bind(id);
          s.loopTargets.add(id.text);
        }
        break;
      }
      case 'as_pattern_target':
        for (const id of boundIdentifiers(n)) bind(id);
        break;
      case 'named_expression': {
        const name = n.childForFieldName('name');
        if (name) bind(name);
        break;
      }
      case 'for_in_clause': {
        const left = n.childForFieldName('left');
        for (const id of left ? boundIdentifiers(left) : []) {
          s.blocked.add(id.text);
          s.loopTargets.add(id.text);
        }
        break;
      }
      case 'identifier':
        if (isVariable(n)) occur(n);
        continue;
      default:
        break;
    }
    for (let i = n.childCount - 1; i >= 0; i--) stack.push(n.child(i) as SyntaxNode);
  }
  return s;
}

function functionScopes(root: SyntaxNode): PyScope[] {
  return [scopeOf(root, 'module'), ...ofType(root, 'function_definition').map((f) => scopeOf(f, 'function'))];
}

const MLFLOW_VALUE = /ml_?flow|client|\bmlf\b|\bmf\b|import_module|__import__|LazyLoader/i;

/** Calls of the function named `name` pass `param` by keyword somewhere in the file. */
function passedByKeyword(root: SyntaxNode, name: string, param: string): boolean {
  return ofType(root, 'call').some((c) => {
    const fn = c.childForFieldName('function');
    const last = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
    if (last !== name) return false;
    return (c.childForFieldName('arguments')?.namedChildren ?? []).some(
      (a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === param,
    );
  });
}

function renameable(s: PyScope, root: SyntaxNode): string[] {
  const fname = s.kind === 'function' ? (s.node.childForFieldName('name')?.text ?? '') : '';
  return [...s.bound]
    .filter((n) => !s.blocked.has(n) && s.occurrences.has(n))
    .filter((n) => !protectedName(n, s.loopTargets.has(n)))
    .filter((n) => !(s.rhs.get(n) ?? []).some((r) => MLFLOW_VALUE.test(r)))
    .filter((n) => !(s.params.has(n) && passedByKeyword(root, fname, n)))
    .sort();
}

/** Fresh neutral names v1, v2, ... that occur nowhere in the file. */
function neutralNames(text: string): () => string {
  let i = 0;
  return () => {
    for (;;) {
      const name = `v${++i}`;
      if (!new RegExp(`\\b${name}\\b`).test(text)) return name;
    }
  };
}

// ---- 1. renaming -----------------------------------------------------------------------------

/** Rename plain locals and parameters (never loop evidence, trackers, attributes or functions) to v1, v2, ... */
export const pyRename: Transformation = {
  id: 'rename-locals',
  language: 'python',
  apply(src) {
    const out: Variant[] = [];
    const next = neutralNames(src.text);
    const all: Edit[] = [];
    for (const s of functionScopes(src.root)) {
      const names = renameable(s, src.root);
      const scopeEdits: Edit[] = [];
      const label = s.kind === 'module' ? 'module' : `def ${s.node.childForFieldName('name')?.text}`;
      for (const name of names) {
        const fresh = next();
        const edits = (s.occurrences.get(name) ?? []).map((id) => ({
          start: id.startIndex,
          end: id.endIndex,
          text: fresh,
        }));
        out.push({ site: `${label}: ${name} → ${fresh}`, text: applyEdits(src.text, edits) });
        scopeEdits.push(...edits);
      }
      if (names.length > 1)
        out.push({ site: `${label}: all ${names.length} locals`, text: applyEdits(src.text, scopeEdits) });
      all.push(...scopeEdits);
    }
    // Comprehension targets: local to the comprehension (its first iterable is read outside).
    for (const c of descendants(src.root).filter((n) => COMPREHENSIONS.has(n.type))) {
      const clauses = c.namedChildren.filter((n) => n.type === 'for_in_clause');
      const firstRight = clauses[0]?.childForFieldName('right');
      const targets = clauses.flatMap((cl) => {
        const left = cl.childForFieldName('left');
        return left ? boundIdentifiers(left).map((i) => i.text) : [];
      });
      const inner = descendants(c).filter(
        (n) => !same(n, c) && (COMPREHENSIONS.has(n.type) || NESTED_SCOPES.has(n.type)),
      );
      for (const t of new Set(targets)) {
        if (protectedName(t, true) || targets.filter((x) => x === t).length > 1) continue;
        if (inner.some((n) => descendants(n).some((d) => d.type === 'identifier' && d.text === t))) continue;
        const ids = descendants(c).filter(
          (d) => d.type === 'identifier' && d.text === t && isVariable(d) && !(firstRight && isInside(d, firstRight)),
        );
        const fresh = next();
        out.push({
          site: `comprehension at line ${c.startPosition.row + 1}: ${t} → ${fresh}`,
          text: applyEdits(
            src.text,
            ids.map((id) => ({ start: id.startIndex, end: id.endIndex, text: fresh })),
          ),
        });
      }
    }
    if (all.length) out.push({ site: 'every renameable local at once', text: applyEdits(src.text, all) });
    return out;
  },
};

// ---- loops -----------------------------------------------------------------------------------

interface LoopSite {
  /** The `for` statement, or the comprehension. */
  node: SyntaxNode;
  left: SyntaxNode;
  right: SyntaxNode;
  comprehension: boolean;
  /** The first `for` clause of its comprehension (whose iterable is evaluated outside it). */
  firstClause: boolean;
  /** `line N`, how gap entries name the site. */
  at: string;
  /** The loop header, for people. */
  detail: string;
}

function loopSites(src: Source): LoopSite[] {
  const out: LoopSite[] = [];
  for (const n of ofType(src.root, 'for_statement', 'for_in_clause')) {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (!left || !right) continue;
    const comprehension = n.type === 'for_in_clause';
    const owner = comprehension ? (n.parent as SyntaxNode) : n;
    const firstClause =
      !comprehension ||
      same(
        owner.namedChildren.find((c) => c.type === 'for_in_clause'),
        n,
      );
    out.push({
      node: owner,
      left,
      right,
      comprehension,
      firstClause,
      at: `line ${n.startPosition.row + 1}`,
      detail: `for ${left.text} in ${right.text.replace(/\s+/g, ' ').slice(0, 40)}`,
    });
  }
  return out;
}

/** Is `name` imported at module level from a module (`from tqdm import tqdm`, `from tqdm.auto import tqdm`)? */
function importsAtTop(root: SyntaxNode, name: string): boolean {
  return root.namedChildren.some(
    (s) =>
      s.type === 'import_from_statement' &&
      s.namedChildren.some((c) => {
        if (same(s.childForFieldName('module_name'), c)) return false;
        const local = c.type === 'aliased_import' ? c.childForFieldName('alias')?.text : c.text;
        return local === name;
      }),
  );
}

/** An edit that adds `line` as a top-level import, after the first top-level import (or at the top). */
function addImport(src: Source, line: string): Edit {
  const first = src.root.namedChildren.find((s) => s.type === 'import_statement' || s.type === 'import_from_statement');
  if (!first) return { start: 0, end: 0, text: `${line}\n` };
  const end = lineEndOf(src.text, first.endIndex);
  return { start: end, end, text: `\n${line}` };
}

function withTqdm(src: Source, edits: Edit[]): Edit[] {
  return importsAtTop(src.root, 'tqdm') ? edits : [...edits, addImport(src, 'from tqdm import tqdm')];
}

/** Is `epoch` a name the loop's iterable can read (a parameter of its function, or the target of an enclosing loop)? */
function epochVisible(site: LoopSite): boolean {
  const f = ancestors(site.node).find((a) => a.type === 'function_definition');
  if (f && scopeOf(f, 'function').params.has('epoch')) return true;
  return ancestors(site.node).some((a) => {
    if (a.type !== 'for_statement' || (f && !isInside(a, f))) return false;
    const body = a.childForFieldName('body');
    const left = a.childForFieldName('left');
    return !!body && !!left && isInside(site.node, body) && boundIdentifiers(left).some((i) => i.text === 'epoch');
  });
}

const WRAPPERS = /^(tqdm|trange|tqdm\.tqdm|tqdm\.auto\.tqdm)$/;

/** 2. Keyword arguments and strings about epochs, trials, seeds and folds on a progress-bar wrapper around the iterable. */
export const pyWrapperStrings: Transformation = {
  id: 'wrapper-kwargs-strings',
  language: 'python',
  apply(src) {
    const out: Variant[] = [];
    for (const site of loopSites(src)) {
      const r = site.right;
      const desc = epochVisible(site) ? 'f"Epoch {epoch}"' : '"Epoch 1/10"';
      out.push({
        site: `${site.at} tqdm-keywords — ${site.detail}`,
        text: applyEdits(
          src.text,
          withTqdm(src, [
            {
              start: r.startIndex,
              end: r.endIndex,
              text: `tqdm(${r.text}, desc=${desc}, postfix="seed fold trial", unit="epoch")`,
            },
          ]),
        ),
      });
      out.push({
        site: `${site.at} tqdm-string — ${site.detail}`,
        text: applyEdits(
          src.text,
          withTqdm(src, [{ start: r.startIndex, end: r.endIndex, text: `tqdm(${r.text}, "trial fold seed epoch")` }]),
        ),
      });
      // An existing wrapper (possibly under enumerate) gets the keywords itself.
      let w: SyntaxNode | null = r;
      for (let i = 0; w && i < 3 && w.type === 'call'; i++) {
        const fn = w.childForFieldName('function')?.text ?? '';
        const args = w.childForFieldName('arguments');
        if (WRAPPERS.test(fn) && args?.type === 'argument_list') {
          const present = new Set(
            args.namedChildren
              .filter((c) => c.type === 'keyword_argument')
              .map((c) => c.childForFieldName('name')?.text),
          );
          const extra = [
            ['desc', '"epoch {epoch} of trial {trial}"'],
            ['postfix', '{"fold": 0, "seed": 1}'],
            ['unit', '"epoch"'],
          ]
            .filter(([k]) => !present.has(k))
            .map(([k, v]) => `${k}=${v}`)
            .join(', ');
          const last = args.namedChildren.filter((c) => c.type !== 'comment').at(-1);
          if (last && extra) {
            out.push({
              site: `${site.at} existing-wrapper-keywords — ${fn}(...) of ${site.detail}`,
              text: applyEdits(src.text, [{ start: last.endIndex, end: last.endIndex, text: `, ${extra}` }]),
            });
          }
          break;
        }
        if (fn !== 'enumerate') break;
        w = args?.namedChildren[0] ?? null;
      }
    }
    return out;
  },
};

/** 3. Wrap the iterable in enumerate(...) (with an index target in front), iter(...) or tqdm(...). */
export const pyWrapIterable: Transformation = {
  id: 'wrap-iterable',
  language: 'python',
  apply(src) {
    const out: Variant[] = [];
    const idx = freshName(src.text, '_i');
    for (const site of loopSites(src)) {
      const { left, right: r } = site;
      const target = left.type === 'pattern_list' ? `(${left.text})` : left.text;
      out.push({
        site: `${site.at} enumerate — ${site.detail}`,
        text: applyEdits(src.text, [
          { start: left.startIndex, end: left.endIndex, text: `${idx}, ${target}` },
          { start: r.startIndex, end: r.endIndex, text: `enumerate(${r.text})` },
        ]),
      });
      out.push({
        site: `${site.at} iter — ${site.detail}`,
        text: applyEdits(src.text, [{ start: r.startIndex, end: r.endIndex, text: `iter(${r.text})` }]),
      });
      out.push({
        site: `${site.at} tqdm — ${site.detail}`,
        text: applyEdits(src.text, withTqdm(src, [{ start: r.startIndex, end: r.endIndex, text: `tqdm(${r.text})` }])),
      });
    }
    return out;
  },
};

const DATA_WORDS = new Set([
  'loader',
  'loaders',
  'dataloader',
  'dataloaders',
  'dl',
  'batches',
  'minibatches',
  'iterator',
  'iter',
  'ds',
  'dataset',
  'generator',
  'feeder',
]);

/** The statement (a child of a block or the module) that holds `node`. */
function statementOf(node: SyntaxNode): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.parent && (n.parent.type === 'block' || n.parent.type === 'module')) return n;
  }
  return null;
}

/** 4. Bind the iterable to a local on the line before the loop. */
export const pyBindIterable: Transformation = {
  id: 'bind-iterable',
  language: 'python',
  apply(src) {
    const out: Variant[] = [];
    for (const site of loopSites(src)) {
      if (!site.firstClause) continue;
      const stmt = statementOf(site.node);
      if (!stmt || !startsLine(src.text, stmt.startIndex)) continue;
      // A comprehension inside a lambda or a nested def reads names the statement does not have.
      if (
        site.comprehension &&
        ancestors(site.node).some((a) => isInside(a, stmt) && !same(a, stmt) && NESTED_SCOPES.has(a.type))
      )
        continue;
      const r = site.right;
      const names = ['seq'];
      const dataish = descendants(r).some(
        (d) => d.type === 'identifier' && wordsOf(d.text).some((w) => DATA_WORDS.has(w)),
      );
      if (dataish && !/\bdata_iter\b/.test(src.text)) names.push('data_iter');
      for (const base of names) {
        const name = freshName(src.text, base);
        const indent = indentAt(src.text, stmt.startIndex);
        const at = lineStartOf(src.text, stmt.startIndex);
        const value = r.text.includes('\n') ? `(${r.text})` : r.text;
        out.push({
          site: `${site.at} ${base} — ${name} = <iterable> of ${site.detail}`,
          text: applyEdits(src.text, [
            { start: at, end: at, text: `${indent}${name} = ${value}\n` },
            { start: r.startIndex, end: r.endIndex, text: name },
          ]),
        });
      }
    }
    return out;
  },
};

// ---- 5. helper extraction --------------------------------------------------------------------

function calleeName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  if (!fn) return '';
  return fn.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? '') : fn.text;
}

/** The call an expression statement consists of (through `await`), or null. */
function statementCall(stmt: SyntaxNode): { call: SyntaxNode; awaited: boolean } | null {
  if (stmt.type !== 'expression_statement') return null;
  const named = stmt.namedChildren.filter((c) => c.type !== 'comment');
  if (named.length !== 1) return null;
  let e = named[0];
  let awaited = false;
  if (e.type === 'await') {
    awaited = true;
    e = e.namedChildren[0];
  }
  return e?.type === 'call' ? { call: e, awaited } : null;
}

/**
 * 5. Move a logging statement of a per-step loop into a helper defined in the same file, called
 * from the loop; the names it reads from its function are passed as arguments (a method's
 * statement that reads `self` becomes a method). Guards stay around the call in the loop.
 */
export const pyExtractHelper: Transformation = {
  id: 'extract-helper',
  language: 'python',
  apply(src) {
    const out: Variant[] = [];
    const helper = freshName(src.text, '_emit', new Set(), true);
    for (const stmt of ofType(src.root, 'expression_statement')) {
      const sc = statementCall(stmt);
      if (!sc || !LOGGING_APIS.has(calleeName(sc.call))) continue;
      if (!src.perStepCallStarts.has(sc.call.startIndex)) continue;
      if (!startsLine(src.text, stmt.startIndex)) continue;
      const lastLineEnd = lineEndOf(src.text, stmt.endIndex);
      const tail = src.text.slice(stmt.endIndex, lastLineEnd);
      if (!/^\s*(#.*)?$/.test(tail)) continue;
      // Only calls reported (if at all) for the loop they run in, and not part of a back-to-back run.
      const line = stmt.startPosition.row + 1;
      const rules = [...src.findings].filter((f) => f.startsWith(`${line}:`)).map((f) => f.split(':')[1]);
      if (rules.some((r) => !LOOP_RULES.has(r))) continue;
      if (neighbours(stmt).some((s) => s && statementCall(s) && LOGGING_APIS.has(calleeName(statementCall(s)!.call))))
        continue;
      const funcs = ancestors(stmt).filter((a) => a.type === 'function_definition');
      if (ancestors(stmt).some((a) => a.type === 'lambda' || (a.type === 'class_definition' && funcs.length === 0)))
        continue;
      // Names the statement reads that its functions bind: the helper's parameters.
      const ids = descendants(stmt).filter((d) => d.type === 'identifier' && isVariable(d));
      const local = new Set<string>();
      for (const f of funcs) {
        const s = scopeOf(f, 'function');
        for (const id of ids) if (s.bound.has(id.text)) local.add(id.text);
      }
      const owner = funcs[0]?.parent?.type === 'decorated_definition' ? funcs[0].parent : funcs[0]?.parent;
      const method = local.has('self') && owner?.type === 'block' && owner.parent?.type === 'class_definition';
      // `self` of an enclosing method read from a nested function: no class to put the helper in.
      if (local.has('self') && !method) continue;
      const params = [...local].filter((n) => n !== 'self').sort();
      // Where the helper goes: before the method (in its class) or before the top-level statement.
      const anchorFn = method ? funcs[0] : null;
      const anchor = anchorFn
        ? anchorFn.parent?.type === 'decorated_definition'
          ? anchorFn.parent
          : anchorFn
        : statementOf(funcs.at(-1) ?? stmt);
      if (!anchor) continue;
      const top = method
        ? anchor
        : (() => {
            let a: SyntaxNode = anchor;
            while (a.parent && a.parent.type !== 'module') a = a.parent;
            return a;
          })();
      const defIndent = indentAt(src.text, top.startIndex);
      const stmtIndent = indentAt(src.text, stmt.startIndex);
      const bodyIndent = `${defIndent}    `;
      const body = reindent(
        src.text.slice(lineStartOf(src.text, stmt.startIndex), lastLineEnd),
        stmtIndent,
        bodyIndent,
      );
      const sig = [...(method ? ['self'] : []), ...params].join(', ');
      const def = `${defIndent}${sc.awaited ? 'async ' : ''}def ${helper}(${sig}):\n${body}\n\n${method ? '' : '\n'}`;
      const call = `${sc.awaited ? 'await ' : ''}${method ? 'self.' : ''}${helper}(${params.join(', ')})`;
      const at = lineStartOf(src.text, top.startIndex);
      out.push({
        site: `line ${line} ${method ? 'method' : 'function'} — ${sc.call.text.replace(/\s+/g, ' ').slice(0, 50)}`,
        text: applyEdits(src.text, [
          { start: at, end: at, text: def },
          { start: stmt.startIndex, end: lastLineEnd, text: call },
        ]),
      });
    }
    return out;
  },
};

// ---- 6. for-range → while --------------------------------------------------------------------

function bodyHasContinue(body: SyntaxNode): boolean {
  const stack: SyntaxNode[] = [body];
  while (stack.length) {
    const n = stack.pop() as SyntaxNode;
    if (n.type === 'continue_statement') return true;
    if (!same(n, body) && (n.type === 'for_statement' || n.type === 'while_statement' || NESTED_SCOPES.has(n.type)))
      continue;
    stack.push(...n.namedChildren);
  }
  return false;
}

/** 6. `for t in range(a, b[, k]):` → `t = a` / `while t < b:` / ... / `t += k` (the counter advanced at the end of the body). */
export const pyRangeToWhile: Transformation = {
  id: 'range-to-while',
  language: 'python',
  apply(src) {
    const out: Variant[] = [];
    for (const loop of ofType(src.root, 'for_statement')) {
      const left = loop.childForFieldName('left');
      const right = loop.childForFieldName('right');
      const body = loop.childForFieldName('body');
      if (
        !left ||
        left.type !== 'identifier' ||
        right?.type !== 'call' ||
        !body ||
        loop.childForFieldName('alternative')
      )
        continue;
      if (right.childForFieldName('function')?.text !== 'range') continue;
      const args = (right.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
      if (!args.length || args.length > 3 || args.some((a) => a.type === 'keyword_argument' || a.type === 'list_splat'))
        continue;
      if (args.length === 3 && !/^[1-9]\d*$/.test(args[2].text)) continue;
      const [start, stop, stride] =
        args.length === 1 ? ['0', args[0], '1'] : [args[0].text, args[1], args[2]?.text ?? '1'];
      // The bound must stay put while the loop runs: a name or attribute the body never assigns, a number, len(name).
      if (!/^([A-Za-z_][\w.]*|\d+|len\([A-Za-z_][\w.]*\))$/.test(stop.text)) continue;
      const t = left.text;
      const stopNames = descendants(stop)
        .filter((d) => d.type === 'identifier')
        .map((d) => d.text);
      if (body.startPosition.row === loop.startPosition.row || bodyHasContinue(body)) continue;
      const assigned = descendants(body).some((d) => {
        if (d.type === 'assignment' || d.type === 'augmented_assignment' || d.type === 'for_statement') {
          const l = d.childForFieldName('left');
          return !!l && boundIdentifiers(l).some((i) => i.text === t || stopNames.includes(i.text));
        }
        return false;
      });
      if (assigned) continue;
      // The target must not be read after the loop (it would end one higher).
      const fn = ancestors(loop).find((a) => a.type === 'function_definition') ?? src.root;
      if (
        descendants(fn).some(
          (d) => d.type === 'identifier' && d.text === t && d.startIndex >= loop.endIndex && isVariable(d),
        )
      )
        continue;
      const indent = indentAt(src.text, loop.startIndex);
      const bodyIndent = indentAt(src.text, body.startIndex);
      const colon = loop.children.find((c) => c.type === ':');
      if (!colon) continue;
      const end = lineEndOf(src.text, body.endIndex);
      out.push({
        site: `line ${loop.startPosition.row + 1} while — for ${t} in ${right.text}`,
        text: applyEdits(src.text, [
          {
            start: loop.startIndex,
            end: colon.startIndex,
            text: `${t} = ${start}\n${indent}while ${t} < ${stop.text}`,
          },
          { start: end, end, text: `\n${bodyIndent}${t} += ${stride}` },
        ]),
      });
    }
    return out;
  },
};

// ---- 7. module aliases -----------------------------------------------------------------------

/** Scopes (function nodes) below `scope` that bind `name` themselves (parameter, assignment, import, loop target). */
function shadowingFunctions(scope: SyntaxNode, name: string): SyntaxNode[] {
  return ofType(scope, 'function_definition', 'lambda').filter((f) => {
    if (same(f, scope)) return false;
    if (f.type === 'lambda')
      return descendants(f.childForFieldName('parameters') ?? f).some(
        (d) => d.type === 'identifier' && d.text === name,
      );
    const s = scopeOf(f, 'function');
    return s.bound.has(name);
  });
}

/** Variable occurrences of `name` in `scope` that see the binding of `scope` (not a nested rebinding). */
function occurrencesSeeing(scope: SyntaxNode, name: string): SyntaxNode[] {
  const shadows = shadowingFunctions(scope, name);
  return descendants(scope).filter(
    (d) => d.type === 'identifier' && d.text === name && isVariable(d) && !shadows.some((f) => isInside(d, f)),
  );
}

/** 7. `import mlflow` → `import mlflow as <alias>`, or a lazy `importlib.import_module("mlflow")`, with the uses renamed. */
export const pyAliasModule: Transformation = {
  id: 'alias-module',
  language: 'python',
  apply(src) {
    const out: Variant[] = [];
    const alias = freshName(src.text, 'mlf');
    const lazyAlias = freshName(src.text, 'tracking_mod');
    for (const imp of ofType(src.root, 'import_statement')) {
      if (imp.text.trim() !== 'import mlflow' || !startsLine(src.text, imp.startIndex)) continue;
      const scope = ancestors(imp).find((a) => a.type === 'function_definition') ?? src.root;
      // A scope that binds `mlflow` a second time is left alone.
      if (scope.type === 'function_definition' && scopeOf(scope, 'function').params.has('mlflow')) continue;
      const uses = occurrencesSeeing(scope, 'mlflow').filter((d) => !isInside(d, imp));
      const rename = (to: string): Edit[] => uses.map((u) => ({ start: u.startIndex, end: u.endIndex, text: to }));
      const indent = indentAt(src.text, imp.startIndex);
      const line = imp.startPosition.row + 1;
      out.push({
        site: `line ${line} as — import mlflow as ${alias}`,
        text: applyEdits(src.text, [
          { start: imp.startIndex, end: imp.endIndex, text: `import mlflow as ${alias}` },
          ...rename(alias),
        ]),
      });
      out.push({
        site: `line ${line} lazy — mlflow = importlib.import_module("mlflow")`,
        text: applyEdits(src.text, [
          {
            start: imp.startIndex,
            end: imp.endIndex,
            text: `import importlib\n${indent}mlflow = importlib.import_module("mlflow")`,
          },
        ]),
      });
      out.push({
        site: `line ${line} lazy-alias — ${lazyAlias} = importlib.import_module("mlflow")`,
        text: applyEdits(src.text, [
          {
            start: imp.startIndex,
            end: imp.endIndex,
            text: `import importlib\n${indent}${lazyAlias} = importlib.import_module("mlflow")`,
          },
          ...rename(lazyAlias),
        ]),
      });
    }
    return out;
  },
};

// ---- 8. clients on self ----------------------------------------------------------------------

const CLIENT_CTOR =
  /^(MlflowClient|mlflow\.MlflowClient|mlflow\.tracking\.MlflowClient|tracking\.MlflowClient)\(.*\)$/s;

/** Module-level functions not referred to anywhere else in the file (so they can become methods). */
function unreferenced(root: SyntaxNode, f: SyntaxNode): boolean {
  const name = f.childForFieldName('name')?.text;
  return (
    !!name &&
    !descendants(root).some((d) => d.type === 'identifier' && d.text === name && !isField(d, 'name') && !isInside(d, f))
  );
}

function asMethod(src: Source, f: SyntaxNode, cls: string, init: string | null, edits: Edit[]): string {
  // Edits inside the function first, then the function is indented into a new class.
  const fnText = applyEdits(
    src.text.slice(f.startIndex, f.endIndex),
    edits.map((e) => ({ ...e, start: e.start - f.startIndex, end: e.end - f.startIndex })),
  );
  const params = f.childForFieldName('parameters');
  if (!params) return src.text;
  const openAt = fnText.indexOf('(', (f.childForFieldName('name')?.endIndex ?? f.startIndex) - f.startIndex);
  const hasParams = params.namedChildren.length > 0;
  const withSelf = `${fnText.slice(0, openAt + 1)}self${hasParams ? ', ' : ''}${fnText.slice(openAt + 1)}`;
  const indented = withSelf
    .split('\n')
    .map((l) => (l.trim() ? `    ${l}` : l))
    .join('\n');
  const head = init ? `class ${cls}:\n    def __init__(self):\n        self.client = ${init}\n\n` : `class ${cls}:\n`;
  return src.text.slice(0, f.startIndex) + head + indented + src.text.slice(f.endIndex);
}

/** 8. A function that logs through an `MlflowClient` (module-level or local) becomes a method that keeps it on `self`. */
export const pyClientOnSelf: Transformation = {
  id: 'client-on-self',
  language: 'python',
  apply(src) {
    const out: Variant[] = [];
    const cls = freshName(src.text, 'Job', new Set(), true);
    const moduleClients = new Map<string, string>();
    for (const st of src.root.namedChildren) {
      const a = st.type === 'expression_statement' ? st.namedChildren[0] : null;
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : null;
      const right = a?.childForFieldName('right');
      if (left?.type === 'identifier' && right && CLIENT_CTOR.test(right.text))
        moduleClients.set(left.text, right.text);
    }
    for (const f of src.root.namedChildren.filter((n) => n.type === 'function_definition')) {
      if (!unreferenced(src.root, f)) continue;
      const s = scopeOf(f, 'function');
      const fname = f.childForFieldName('name')?.text;
      // (a) a module-level client the function reads.
      for (const [name, ctor] of moduleClients) {
        if (s.bound.has(name) || !s.occurrences.has(name) || shadowingFunctions(f, name).length) continue;
        const edits = (s.occurrences.get(name) ?? []).map((id) => ({
          start: id.startIndex,
          end: id.endIndex,
          text: 'self.client',
        }));
        out.push({
          site: `def ${fname} module-client — \`${name}\` → self.client`,
          text: asMethod(src, f, cls, ctor, edits),
        });
      }
      // (b) a client the function creates in a local.
      for (const a of ofType(f, 'assignment')) {
        const left = a.childForFieldName('left');
        const right = a.childForFieldName('right');
        if (left?.type !== 'identifier' || !right || !CLIENT_CTOR.test(right.text)) continue;
        if (
          (s.rhs.get(left.text) ?? []).length !== 1 ||
          s.params.has(left.text) ||
          shadowingFunctions(f, left.text).length
        )
          continue;
        const edits = (s.occurrences.get(left.text) ?? []).map((id) => ({
          start: id.startIndex,
          end: id.endIndex,
          text: 'self.client',
        }));
        out.push({
          site: `def ${fname} local-client — \`${left.text}\` → self.client`,
          text: asMethod(src, f, cls, null, edits),
        });
      }
    }
    // (c) a method that creates a client in a local keeps it on self instead.
    for (const c of ofType(src.root, 'class_definition')) {
      for (const m of (c.childForFieldName('body')?.namedChildren ?? []).filter(
        (n) => n.type === 'function_definition',
      )) {
        const s = scopeOf(m, 'function');
        for (const a of ofType(m, 'assignment')) {
          const left = a.childForFieldName('left');
          const right = a.childForFieldName('right');
          if (
            left?.type !== 'identifier' ||
            !right ||
            !CLIENT_CTOR.test(right.text) ||
            (s.rhs.get(left.text) ?? []).length !== 1
          )
            continue;
          const attr = freshName(src.text, '_tracking_client');
          const edits = (s.occurrences.get(left.text) ?? []).map((id) => ({
            start: id.startIndex,
            end: id.endIndex,
            text: `self.${attr}`,
          }));
          out.push({
            site: `${c.childForFieldName('name')?.text}.${m.childForFieldName('name')?.text} method-client — local client → self.${attr}`,
            text: applyEdits(src.text, edits),
          });
        }
      }
    }
    return out;
  },
};

export const PYTHON_TRANSFORMATIONS: Transformation[] = [
  pyRename,
  pyWrapperStrings,
  pyWrapIterable,
  pyBindIterable,
  pyExtractHelper,
  pyRangeToWhile,
  pyAliasModule,
  pyClientOnSelf,
];
