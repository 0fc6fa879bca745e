// Receiver resolution for TypeScript/JavaScript: which names and `this.<field>`s hold an MLflow
// client (`new MLflow({ endpoint })` from `mlflow`, `new Mlflow(uri)` from `mlflow-js`).
import type { SyntaxNode } from 'tree-sitter';
import { MLFLOW } from '../../model/catalogue.js';
import { stamp } from '../bindings.js';
import { memoized } from '../memo.js';

export type TsBinding =
  | { kind: 'client-class' }
  /** `import * as m from 'mlflow'` / `const m = require('mlflow')`: a module whose class makes clients. */
  | { kind: 'client-module' }
  | { kind: 'expr'; node: SyntaxNode; scope: TypeScriptScope }
  | { kind: 'typed'; annotation: string }
  | { kind: 'other' };

export interface TsClass {
  name: string;
  fields: Map<string, TsBinding[]>;
}

export class TypeScriptScope {
  readonly bindings = new Map<string, TsBinding[]>();
  constructor(
    readonly parent: TypeScriptScope | null,
    readonly cls: TsClass | null,
  ) {}

  bind(name: string, b: TsBinding): void {
    const list = this.bindings.get(name);
    if (list) list.push(b);
    else this.bindings.set(name, [b]);
    stamp(b);
  }
}

export type TsResolved = 'client' | 'client-class' | 'client-module' | null;

/** Packages whose client class mlflint knows. */
export const CLIENT_PACKAGES = MLFLOW.typescript.packages;
const CLIENT_CLASSES = new Set(MLFLOW.typescript.clientClasses);
const METHOD_GROUPS = new Set(MLFLOW.typescript.methodGroups);
/** A type annotation that names a client class (`client: MLflow`, `Promise<Mlflow>`). */
const namesClientType = (annotation: string): boolean =>
  annotation.split(/[^A-Za-z0-9_$]+/).some((w) => CLIENT_CLASSES.has(w));

export class TypeScriptResolver {
  private depth = 0;
  private readonly memo = new Map<TypeScriptScope, Map<string, TsResolved | undefined>>();

  expr(node: SyntaxNode, scope: TypeScriptScope): TsResolved {
    if (this.depth > 24) return null;
    this.depth++;
    try {
      return this.inner(node, scope);
    } finally {
      this.depth--;
    }
  }

  private inner(node: SyntaxNode, scope: TypeScriptScope): TsResolved {
    switch (node.type) {
      case 'identifier':
        return this.name(node.text, scope);
      case 'parenthesized_expression':
      case 'await_expression':
      case 'non_null_expression':
      case 'as_expression':
      case 'satisfies_expression':
        return node.namedChildren[0] ? this.expr(node.namedChildren[0], scope) : null;
      case 'member_expression': {
        const obj = node.childForFieldName('object');
        const prop = node.childForFieldName('property')?.text ?? '';
        if (!obj) return null;
        if (obj.type === 'this') return this.field(scope, prop);
        const base = this.expr(obj, scope);
        if (base === 'client-module' && CLIENT_CLASSES.has(prop)) return 'client-class';
        // The npm client groups its methods: `client.Runs.logMetric(...)`.
        if (base === 'client' && METHOD_GROUPS.has(prop)) return 'client';
        return null;
      }
      case 'new_expression': {
        // `const MLflow = require('mlflow'); new MLflow(...)`: a CommonJS module is its default export.
        const ctor = node.childForFieldName('constructor');
        const made = ctor ? this.expr(ctor, scope) : null;
        return made === 'client-class' || made === 'client-module' ? 'client' : null;
      }
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        const first = node.childForFieldName('arguments')?.namedChildren[0];
        if (fn?.text === 'require' && first?.type === 'string' && CLIENT_PACKAGES.test(first.text.slice(1, -1)))
          return 'client-module';
        return null;
      }
      case 'binary_expression':
      case 'ternary_expression': {
        for (const c of node.namedChildren) {
          const r = this.expr(c, scope);
          if (r) return r;
        }
        return null;
      }
      default:
        return null;
    }
  }

  name(name: string, start: TypeScriptScope): TsResolved {
    return memoized(this.memo, start, name, () => {
      for (let s: TypeScriptScope | null = start; s; s = s.parent) {
        const list = s.bindings.get(name);
        if (list) return this.bindings(list);
      }
      return null;
    });
  }

  private field(scope: TypeScriptScope, name: string): TsResolved {
    let s: TypeScriptScope | null = scope;
    while (s && !s.cls) s = s.parent;
    const list = s?.cls?.fields.get(name);
    return list ? this.bindings(list) : null;
  }

  private bindings(list: TsBinding[]): TsResolved {
    for (const b of list) {
      if (b.kind === 'client-class' || b.kind === 'client-module') return b.kind;
      if (b.kind === 'typed' && namesClientType(b.annotation)) return 'client';
      if (b.kind === 'expr') {
        const r = this.expr(b.node, b.scope);
        if (r) return r;
      }
    }
    return null;
  }
}

export function isClientClassName(name: string): boolean {
  return CLIENT_CLASSES.has(name);
}
