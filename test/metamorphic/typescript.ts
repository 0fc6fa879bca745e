// Meaning-preserving rewrites of TypeScript and JavaScript programs (tree-sitter-typescript),
// the counterparts of the Python ones where the language has them.
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
  type Edit,
  type Source,
  type SyntaxNode,
  type Transformation,
  type Variant,
  LOOP_RULES,
  neighbours,
} from './common.js';

const FUNCS = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'function',
  'generator_function',
]);
const LOOPS = new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']);
const CLIENT_VALUE = /ml_?flow|client|require\s*\(|Mlflow|MLflow/i;

/** Identifiers a binding pattern declares (`x`, `[i, batch]`, `[k, [v, s]]`); null for object patterns (shorthand keys). */
function patternNames(p: SyntaxNode): SyntaxNode[] | null {
  if (p.type === 'identifier') return [p];
  if (p.type === 'array_pattern') {
    const out: SyntaxNode[] = [];
    for (const c of p.namedChildren) {
      const inner = patternNames(c);
      if (!inner) return null;
      out.push(...inner);
    }
    return out;
  }
  return null;
}

interface TypeScriptScope {
  node: SyntaxNode;
  /** How often each name is declared directly in the function (parameters, const/let/var, loop heads, catch). */
  declared: Map<string, number>;
  /** Names not to rename: defaults, object patterns, imports. */
  blocked: Set<string>;
  loopTargets: Set<string>;
  /** Names declared again by a nested function. */
  nestedDeclared: Set<string>;
  rhs: Map<string, string[]>;
  /** Variable occurrences in the function, nested functions included; shorthand `{ key }` marked. */
  occurrences: Map<string, { node: SyntaxNode; shorthand: boolean }[]>;
}

function paramsOf(f: SyntaxNode): SyntaxNode[] {
  const single = f.childForFieldName('parameter');
  if (single) return [single];
  return f.childForFieldName('parameters')?.namedChildren ?? [];
}

/** Declarations made directly by `f` (not by functions nested in it). */
function declarationsOf(f: SyntaxNode): {
  declared: Map<string, number>;
  blocked: Set<string>;
  loopTargets: Set<string>;
  rhs: Map<string, string[]>;
} {
  const declared = new Map<string, number>();
  const blocked = new Set<string>();
  const loopTargets = new Set<string>();
  const rhs = new Map<string, string[]>();
  const declare = (id: SyntaxNode, value?: string): void => {
    declared.set(id.text, (declared.get(id.text) ?? 0) + 1);
    if (value !== undefined) rhs.set(id.text, [...(rhs.get(id.text) ?? []), value]);
  };
  const blockAll = (n: SyntaxNode): void => {
    for (const d of descendants(n))
      if (d.type === 'identifier' || d.type === 'shorthand_property_identifier_pattern') blocked.add(d.text);
  };
  for (const p of paramsOf(f)) {
    if (p.type === 'identifier') declare(p);
    else if ((p.type === 'required_parameter' || p.type === 'optional_parameter') && !p.childForFieldName('value')) {
      const names = patternNames(p.childForFieldName('pattern') ?? p);
      if (names) names.forEach((n) => declare(n));
      else blockAll(p);
    } else blockAll(p);
  }
  const body = f.childForFieldName('body');
  const stack: SyntaxNode[] = body ? [body] : [];
  while (stack.length) {
    const n = stack.pop() as SyntaxNode;
    if (FUNCS.has(n.type) || n.type === 'class_declaration' || n.type === 'class') continue;
    if (n.type === 'variable_declarator') {
      const name = n.childForFieldName('name');
      const names = name ? patternNames(name) : null;
      const loopHead = n.parent?.parent?.type === 'for_statement';
      if (names)
        names.forEach((i) => {
          declare(i, n.childForFieldName('value')?.text ?? '');
          if (loopHead) loopTargets.add(i.text);
        });
      else if (name) blockAll(name);
    } else if (n.type === 'for_in_statement') {
      const left = n.childForFieldName('left');
      const names = left ? patternNames(left) : null;
      if (names && /^\s*(const|let|var)\b/.test(n.text.slice('for'.length).replace(/^\s*\(/, '')))
        names.forEach((i) => {
          declare(i);
          loopTargets.add(i.text);
        });
      else if (left) blockAll(left);
    } else if (n.type === 'catch_clause') {
      const p = n.childForFieldName('parameter');
      if (p) blockAll(p);
    } else if (n.type === 'import_statement') blockAll(n);
    stack.push(...n.namedChildren);
  }
  return { declared, blocked, loopTargets, rhs };
}

function tsScope(f: SyntaxNode): TypeScriptScope {
  const d = declarationsOf(f);
  const nestedDeclared = new Set<string>();
  for (const inner of descendants(f).filter((n) => FUNCS.has(n.type) && !same(n, f))) {
    for (const name of declarationsOf(inner).declared.keys()) nestedDeclared.add(name);
  }
  const occurrences = new Map<string, { node: SyntaxNode; shorthand: boolean }[]>();
  const nameNode = f.childForFieldName('name');
  for (const n of descendants(f)) {
    if (n.type !== 'identifier' && n.type !== 'shorthand_property_identifier') continue;
    if (nameNode && same(n, nameNode)) continue;
    const list = occurrences.get(n.text) ?? [];
    list.push({ node: n, shorthand: n.type === 'shorthand_property_identifier' });
    occurrences.set(n.text, list);
  }
  return { node: f, ...d, nestedDeclared, occurrences };
}

function renameEdits(s: TypeScriptScope, name: string, to: string): Edit[] {
  return (s.occurrences.get(name) ?? []).map(({ node, shorthand }) => ({
    start: node.startIndex,
    end: node.endIndex,
    text: shorthand ? `${name}: ${to}` : to,
  }));
}

function label(f: SyntaxNode): string {
  const name = f.childForFieldName('name')?.text;
  return `${f.type === 'arrow_function' ? 'arrow' : 'function'} ${name ?? `at line ${f.startPosition.row + 1}`}`;
}

/** 1. Rename plain locals and parameters to v1, v2, ... (never loop evidence, clients, properties or functions). */
export const tsRename: Transformation = {
  id: 'rename-locals',
  language: 'typescript',
  apply(src) {
    const out: Variant[] = [];
    let i = 0;
    const next = (): string => {
      for (;;) {
        const name = `v${++i}`;
        if (!new RegExp(`\\b${name}\\b`).test(src.text)) return name;
      }
    };
    const all: Edit[] = [];
    for (const f of descendants(src.root).filter((n) => FUNCS.has(n.type))) {
      const s = tsScope(f);
      const names = [...s.declared]
        .filter(([n, count]) => count === 1 && !s.blocked.has(n) && !s.nestedDeclared.has(n))
        .map(([n]) => n)
        .filter((n) => !protectedName(n, s.loopTargets.has(n) || isCallbackParam(f, n)))
        .filter((n) => !(s.rhs.get(n) ?? []).some((r) => CLIENT_VALUE.test(r)))
        .sort();
      const scopeEdits: Edit[] = [];
      for (const name of names) {
        const fresh = next();
        const edits = renameEdits(s, name, fresh);
        out.push({ site: `${label(f)}: ${name} → ${fresh}`, text: applyEdits(src.text, edits) });
        scopeEdits.push(...edits);
      }
      if (names.length > 1)
        out.push({ site: `${label(f)}: all ${names.length} locals`, text: applyEdits(src.text, scopeEdits) });
      // Nested functions rename their own names; all of them at once only when they do not overlap.
      if (!all.some((e) => scopeEdits.some((x) => x.start < e.end && e.start < x.end))) all.push(...scopeEdits);
    }
    if (all.length) out.push({ site: 'every renameable local at once', text: applyEdits(src.text, all) });
    return out;
  },
};

/** A parameter of a `forEach`/`map` callback: the analysis reads it like a loop target. */
function isCallbackParam(f: SyntaxNode, name: string): boolean {
  return f.type === 'arrow_function' || f.type === 'function_expression'
    ? f.parent?.type === 'arguments' && paramsOf(f).some((p) => p.text.split(':')[0].trim() === name)
    : false;
}

// ---- loops -----------------------------------------------------------------------------------

interface OfLoop {
  node: SyntaxNode;
  left: SyntaxNode;
  right: SyntaxNode;
  of: boolean;
  at: string;
  detail: string;
}

function forInLoops(src: Source): OfLoop[] {
  return ofType(src.root, 'for_in_statement').flatMap((n) => {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (!left || !right) return [];
    const between = src.text.slice(left.endIndex, right.startIndex);
    return [
      {
        node: n,
        left,
        right,
        of: /\bof\b/.test(between),
        at: `line ${n.startPosition.row + 1}`,
        detail: `for (... ${/\bof\b/.test(between) ? 'of' : 'in'} ${right.text.slice(0, 40)})`,
      },
    ];
  });
}

/** `x.forEach(cb)` / `x.map(cb)`: the callback loops over the receiver. */
function callbackLoops(src: Source): { call: SyntaxNode; receiver: SyntaxNode; at: string; detail: string }[] {
  return ofType(src.root, 'call_expression').flatMap((c) => {
    const fn = c.childForFieldName('function');
    const prop = fn?.type === 'member_expression' ? fn.childForFieldName('property')?.text : null;
    const recv = fn?.childForFieldName('object');
    const cb = c.childForFieldName('arguments')?.namedChildren[0];
    if (!prop || !/^(forEach|map)$/.test(prop) || !recv || !cb || !FUNCS.has(cb.type)) return [];
    return [{ call: c, receiver: recv, at: `line ${c.startPosition.row + 1}`, detail: `${recv.text}.${prop}(...)` }];
  });
}

/** 3. Wrap the iterable of `for...of` in Array.from(...) or a spread, or iterate `.entries()` with an index in front. */
export const tsWrapIterable: Transformation = {
  id: 'wrap-iterable',
  language: 'typescript',
  apply(src) {
    const out: Variant[] = [];
    const idx = freshName(src.text, '_i');
    for (const l of forInLoops(src).filter((x) => x.of)) {
      const r = l.right;
      out.push({
        site: `${l.at} Array.from — ${l.detail}`,
        text: applyEdits(src.text, [{ start: r.startIndex, end: r.endIndex, text: `Array.from(${r.text})` }]),
      });
      out.push({
        site: `${l.at} spread — ${l.detail}`,
        text: applyEdits(src.text, [{ start: r.startIndex, end: r.endIndex, text: `[...${r.text}]` }]),
      });
      out.push({
        site: `${l.at} entries — ${l.detail}`,
        text: applyEdits(src.text, [
          { start: l.left.startIndex, end: l.left.endIndex, text: `[${idx}, ${l.left.text}]` },
          { start: r.startIndex, end: r.endIndex, text: `Array.from(${r.text}).entries()` },
        ]),
      });
    }
    for (const c of callbackLoops(src)) {
      const r = c.receiver;
      out.push({
        site: `${c.at} Array.from-receiver — ${c.detail}`,
        text: applyEdits(src.text, [{ start: r.startIndex, end: r.endIndex, text: `Array.from(${r.text})` }]),
      });
    }
    return out;
  },
};

/** The statement that holds `node` (a child of a block, a class body or the program). */
function tsStatementOf(node: SyntaxNode): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.parent && (n.parent.type === 'statement_block' || n.parent.type === 'program')) return n;
  }
  return null;
}

/** 4. Bind the iterable (or the callback loop's receiver) to a local on the line before. */
export const tsBindIterable: Transformation = {
  id: 'bind-iterable',
  language: 'typescript',
  apply(src) {
    const out: Variant[] = [];
    const name = freshName(src.text, 'seq');
    const sites: { at: SyntaxNode; expr: SyntaxNode; label: string }[] = [
      ...forInLoops(src).map((l) => ({ at: l.node, expr: l.right, label: `${l.at} seq — ${l.detail}` })),
      ...callbackLoops(src).map((c) => ({ at: c.call, expr: c.receiver, label: `${c.at} seq — ${c.detail}` })),
    ];
    for (const s of sites) {
      const stmt = tsStatementOf(s.at);
      if (!stmt || !startsLine(src.text, stmt.startIndex)) continue;
      if (ancestors(s.at).some((a) => isInside(a, stmt) && !same(a, stmt) && FUNCS.has(a.type))) continue;
      const indent = indentAt(src.text, stmt.startIndex);
      const at = lineStartOf(src.text, stmt.startIndex);
      out.push({
        site: `${s.label}`,
        text: applyEdits(src.text, [
          { start: at, end: at, text: `${indent}const ${name} = ${s.expr.text};\n` },
          { start: s.expr.startIndex, end: s.expr.endIndex, text: name },
        ]),
      });
    }
    return out;
  },
};

// ---- 5. helper extraction --------------------------------------------------------------------

function statementCall(stmt: SyntaxNode): { call: SyntaxNode; awaited: boolean } | null {
  if (stmt.type !== 'expression_statement') return null;
  let e = stmt.namedChildren.find((c) => c.type !== 'comment');
  let awaited = false;
  if (e?.type === 'await_expression') {
    awaited = true;
    e = e.namedChildren[0];
  }
  return e?.type === 'call_expression' ? { call: e, awaited } : null;
}

function calleeName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  if (!fn) return '';
  return fn.type === 'member_expression' ? (fn.childForFieldName('property')?.text ?? '') : fn.text;
}

const HELPER_APIS = new Set([...LOGGING_APIS, 'fetch', 'post']);

/** 5. Move a logging statement of a per-step loop into a helper (a method when it reads `this`), called from the loop. */
export const tsExtractHelper: Transformation = {
  id: 'extract-helper',
  language: 'typescript',
  apply(src) {
    const out: Variant[] = [];
    const helper = freshName(src.text, '_emit', new Set(), true);
    for (const stmt of ofType(src.root, 'expression_statement')) {
      const sc = statementCall(stmt);
      if (!sc || !HELPER_APIS.has(calleeName(sc.call)) || !src.perStepCallStarts.has(sc.call.startIndex)) continue;
      if (!startsLine(src.text, stmt.startIndex) || !stmt.parent || stmt.parent.type !== 'statement_block') continue;
      const lastLineEnd = lineEndOf(src.text, stmt.endIndex);
      if (!/^\s*(\/\/.*)?$/.test(src.text.slice(stmt.endIndex, lastLineEnd))) continue;
      const line = stmt.startPosition.row + 1;
      const rules = [...src.findings].filter((f) => f.startsWith(`${line}:`)).map((f) => f.split(':')[1]);
      if (rules.some((r) => !LOOP_RULES.has(r))) continue;
      if (neighbours(stmt).some((s) => s && statementCall(s) && HELPER_APIS.has(calleeName(statementCall(s)!.call))))
        continue;
      const funcs = ancestors(stmt).filter((a) => FUNCS.has(a.type));
      const ids = descendants(stmt).filter(
        (d) => d.type === 'identifier' || d.type === 'shorthand_property_identifier',
      );
      const local = new Set<string>();
      for (const f of funcs) {
        const d = declarationsOf(f);
        for (const id of ids) if (d.declared.has(id.text) || d.blocked.has(id.text)) local.add(id.text);
      }
      // `this` reaches the statement through arrows only; a method helper keeps it.
      const usesThis = descendants(stmt).some((d) => d.type === 'this');
      const method = usesThis ? funcs.find((f) => f.type !== 'arrow_function') : null;
      if (usesThis && method?.type !== 'method_definition') continue;
      const params = [...local].sort();
      const anchor =
        method ??
        (() => {
          let a: SyntaxNode = stmt;
          while (a.parent && a.parent.type !== 'program') a = a.parent;
          return a;
        })();
      const defIndent = indentAt(src.text, anchor.startIndex);
      const stmtIndent = indentAt(src.text, stmt.startIndex);
      const body = reindent(
        src.text.slice(lineStartOf(src.text, stmt.startIndex), lastLineEnd),
        stmtIndent,
        `${defIndent}  `,
      );
      const head = method
        ? `${sc.awaited ? 'async ' : ''}${helper}`
        : `${sc.awaited ? 'async ' : ''}function ${helper}`;
      const def = `${defIndent}${head}(${params.join(', ')}) {\n${body}\n${defIndent}}\n\n`;
      const call = `${sc.awaited ? 'await ' : ''}${method ? 'this.' : ''}${helper}(${params.join(', ')});`;
      const at = lineStartOf(src.text, anchor.startIndex);
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

// ---- 6. counted for → while ------------------------------------------------------------------

function hasContinue(body: SyntaxNode): boolean {
  const stack = [...body.namedChildren];
  while (stack.length) {
    const n = stack.pop() as SyntaxNode;
    if (n.type === 'continue_statement') return true;
    if (LOOPS.has(n.type) || FUNCS.has(n.type)) continue;
    stack.push(...n.namedChildren);
  }
  return false;
}

/** 6. `for (let t = a; t < b; t++) { ... }` → `{ let t = a; while (t < b) { ... t++; } }`. */
export const tsForToWhile: Transformation = {
  id: 'range-to-while',
  language: 'typescript',
  apply(src) {
    const out: Variant[] = [];
    for (const loop of ofType(src.root, 'for_statement')) {
      const init = loop.childForFieldName('initializer');
      const cond = loop.childForFieldName('condition');
      const inc = loop.childForFieldName('increment');
      const body = loop.childForFieldName('body');
      if (!init || !cond || !inc || body?.type !== 'statement_block') continue;
      const decl =
        init.type === 'lexical_declaration' ? init.namedChildren.filter((c) => c.type === 'variable_declarator') : [];
      const t = decl.length === 1 ? decl[0].childForFieldName('name') : null;
      if (t?.type !== 'identifier') continue;
      const name = t.text;
      if (!new RegExp(`^(${name}\\+\\+|\\+\\+${name}|${name}\\s*\\+=\\s*1)$`).test(inc.text) || hasContinue(body))
        continue;
      const assigned = descendants(body).some(
        (d) =>
          (d.type === 'assignment_expression' ||
            d.type === 'augmented_assignment_expression' ||
            d.type === 'update_expression') &&
          descendants(d.childForFieldName('left') ?? d.childForFieldName('argument') ?? d).some(
            (i) => i.type === 'identifier' && i.text === name,
          ),
      );
      if (assigned) continue;
      const close = body.lastChild;
      if (!close || close.type !== '}' || startsLine(src.text, close.startIndex) === false) continue;
      const indent = indentAt(src.text, loop.startIndex);
      const first = body.namedChildren[0];
      const bodyIndent =
        first && first.startPosition.row !== body.startPosition.row
          ? indentAt(src.text, first.startIndex)
          : `${indent}  `;
      const condText = src.text.slice(cond.startIndex, cond.endIndex).replace(/;\s*$/, '');
      const closeLine = lineStartOf(src.text, close.startIndex);
      out.push({
        site: `line ${loop.startPosition.row + 1} while — for (${init.text} ...)`,
        text: applyEdits(src.text, [
          {
            start: loop.startIndex,
            end: body.startIndex + 1,
            text: `{ ${init.text.replace(/;?$/, ';')} while (${condText}) {`,
          },
          { start: closeLine, end: closeLine, text: `${bodyIndent}${inc.text};\n` },
          { start: close.startIndex, end: close.endIndex, text: '}}' },
        ]),
      });
    }
    return out;
  },
};

// ---- 7. import aliases -----------------------------------------------------------------------

const PACKAGES = /^['"](mlflow|mlflow-js)['"]$/;

/** Every identifier (and type identifier) named `name` in the file outside `except`. */
function usesOf(src: Source, name: string, except: SyntaxNode): SyntaxNode[] {
  return descendants(src.root).filter(
    (d) => (d.type === 'identifier' || d.type === 'type_identifier') && d.text === name && !isInside(d, except),
  );
}

/** 7. Import the client class under another name (`as`, a renamed default, a namespace import, a destructuring rename). */
export const tsAliasImport: Transformation = {
  id: 'alias-module',
  language: 'typescript',
  apply(src) {
    const out: Variant[] = [];
    const alias = freshName(src.text, 'TrackingClient');
    const ns = freshName(src.text, 'trackingPkg');
    const rename = (name: string, except: SyntaxNode, to: (n: SyntaxNode) => string): Edit[] =>
      usesOf(src, name, except).map((u) => ({ start: u.startIndex, end: u.endIndex, text: to(u) }));
    for (const imp of ofType(src.root, 'import_statement')) {
      const source = imp.childForFieldName('source');
      if (!source || !PACKAGES.test(source.text)) continue;
      const clause = imp.namedChildren.find((c) => c.type === 'import_clause');
      const line = imp.startPosition.row + 1;
      const def = clause?.namedChildren.find((c) => c.type === 'identifier');
      if (def) {
        out.push({
          site: `line ${line} default-import — ${def.text} → ${alias}`,
          text: applyEdits(src.text, [
            { start: def.startIndex, end: def.endIndex, text: alias },
            ...rename(def.text, imp, () => alias),
          ]),
        });
      }
      for (const spec of ofType(imp, 'import_specifier')) {
        const name = spec.childForFieldName('name');
        if (!name || spec.childForFieldName('alias')) continue;
        out.push({
          site: `line ${line} as — { ${name.text} as ${alias} }`,
          text: applyEdits(src.text, [
            { start: spec.startIndex, end: spec.endIndex, text: `${name.text} as ${alias}` },
            ...rename(name.text, imp, () => alias),
          ]),
        });
        if (clause?.namedChildren.length === 1 && ofType(imp, 'import_specifier').length === 1) {
          out.push({
            site: `line ${line} namespace — import * as ${ns}`,
            text: applyEdits(src.text, [
              { start: clause.startIndex, end: clause.endIndex, text: `* as ${ns}` },
              ...rename(name.text, imp, () => `${ns}.${name.text}`),
            ]),
          });
        }
      }
    }
    // CommonJS: `const { MLflow } = require('mlflow')` and `const MLflow = require('mlflow')`.
    for (const decl of ofType(src.root, 'variable_declarator')) {
      const value = decl.childForFieldName('value');
      const name = decl.childForFieldName('name');
      if (
        !value ||
        !name ||
        value.type !== 'call_expression' ||
        value.childForFieldName('function')?.text !== 'require'
      )
        continue;
      const arg = value.childForFieldName('arguments')?.namedChildren[0];
      if (!arg || !PACKAGES.test(arg.text)) continue;
      const line = decl.startPosition.row + 1;
      if (name.type === 'identifier') {
        out.push({
          site: `line ${line} require — const ${alias} = require(...)`,
          text: applyEdits(src.text, [
            { start: name.startIndex, end: name.endIndex, text: alias },
            ...rename(name.text, decl, () => alias),
          ]),
        });
      } else if (name.type === 'object_pattern') {
        for (const p of name.namedChildren.filter((c) => c.type === 'shorthand_property_identifier_pattern')) {
          out.push({
            site: `line ${line} require-rename — { ${p.text}: ${alias} } = require(...)`,
            text: applyEdits(src.text, [
              { start: p.startIndex, end: p.endIndex, text: `${p.text}: ${alias}` },
              ...rename(p.text, decl, () => alias),
            ]),
          });
          out.push({
            site: `line ${line} require-member — const ${p.text} = require(...).${p.text}`,
            text: applyEdits(src.text, [
              { start: name.startIndex, end: name.endIndex, text: p.text },
              { start: value.endIndex, end: value.endIndex, text: `.${p.text}` },
            ]),
          });
        }
      }
    }
    return out;
  },
};

// ---- 8. clients on this ----------------------------------------------------------------------

/** 8. An exported function that logs through a module-level client becomes a method of a class that holds the client. */
export const tsClientOnThis: Transformation = {
  id: 'client-on-self',
  language: 'typescript',
  apply(src) {
    const out: Variant[] = [];
    const cls = freshName(src.text, 'Job', new Set(), true);
    const clients = new Map<string, string>();
    for (const st of src.root.namedChildren.filter((n) => n.type === 'lexical_declaration')) {
      for (const d of st.namedChildren.filter((c) => c.type === 'variable_declarator')) {
        const name = d.childForFieldName('name');
        const value = d.childForFieldName('value');
        if (name?.type === 'identifier' && value?.type === 'new_expression') clients.set(name.text, value.text);
      }
    }
    for (const st of src.root.namedChildren) {
      const exported = st.type === 'export_statement';
      const f = exported ? st.childForFieldName('declaration') : st;
      if (!f || f.type !== 'function_declaration') continue;
      const fname = f.childForFieldName('name')?.text ?? '';
      if (descendants(src.root).some((d) => d.type === 'identifier' && d.text === fname && !isInside(d, f))) continue;
      if (
        descendants(f).some(
          (d) =>
            !same(d, f) && (d.type === 'function_expression' || d.type === 'function_declaration' || d.type === 'this'),
        )
      )
        continue;
      const s = tsScope(f);
      for (const [name, ctor] of clients) {
        if (!s.occurrences.has(name) || s.declared.has(name) || s.nestedDeclared.has(name)) continue;
        const attr = `this.${name}`;
        const fnText = src.text.slice(f.startIndex, f.endIndex);
        const edits = (s.occurrences.get(name) ?? []).map(({ node, shorthand }) => ({
          start: node.startIndex - f.startIndex,
          end: node.endIndex - f.startIndex,
          text: shorthand ? `${name}: ${attr}` : attr,
        }));
        const method = applyEdits(fnText, edits).replace(
          /^(async\s+)?function\s*(\*?)\s*/,
          (_m, a: string | undefined, star: string) => `${a ?? ''}${star}`,
        );
        const indented = method
          .split('\n')
          .map((l) => (l.trim() ? `  ${l}` : l))
          .join('\n');
        const start = st.startIndex;
        const ts = !/\.(js|jsx|mjs|cjs)$/.test(src.path);
        const field = ts ? `  private readonly ${name} = ${ctor};\n\n` : `  ${name} = ${ctor};\n\n`;
        const ctorForm = `  constructor() {\n    this.${name} = ${ctor};\n  }\n\n`;
        const head = `${exported ? 'export ' : ''}class ${cls} {\n`;
        out.push({
          site: `function ${fname} field — client \`${name}\` in a class field`,
          text: src.text.slice(0, start) + head + field + indented + '\n}' + src.text.slice(st.endIndex),
        });
        out.push({
          site: `function ${fname} constructor — client \`${name}\` assigned in the constructor`,
          text:
            src.text.slice(0, start) +
            head +
            (ts ? `  private ${name}: any;\n\n` : '') +
            ctorForm +
            indented +
            '\n}' +
            src.text.slice(st.endIndex),
        });
      }
    }
    return out;
  },
};

export const TS_TRANSFORMATIONS: Transformation[] = [
  tsRename,
  tsWrapIterable,
  tsBindIterable,
  tsExtractHelper,
  tsForToWhile,
  tsAliasImport,
  tsClientOnThis,
];
