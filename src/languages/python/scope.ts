// Name bindings for receiver resolution: which names (and `self.<attr>`s) hold the mlflow
// module, a name imported from it, or an MlflowClient.
import type { SyntaxNode } from 'tree-sitter';
import { isKnownApi } from '../../model/mlflow.js';
import { MLFLOW } from '../../model/catalogue.js';
import { wordsOf } from '../../model/expr.js';
import type { ProjectReceivers } from '../../model/types.js';
import { stamp } from '../bindings.js';
import { memoized } from '../memo.js';
import { STDLIB } from './stdlib.js';
import { collectReturns } from './syntax.js';

export type Binding =
  | { kind: 'module' }
  | { kind: 'alias'; api: string }
  | { kind: 'client-class' }
  | { kind: 'expr'; node: SyntaxNode; scope: PythonScope }
  | { kind: 'param'; annotation: string | null; scope?: PythonScope }
  /** `from tracking import client`, `import utils.tracking as tr`: resolved against the other files of the run. */
  | { kind: 'imported'; module: string; name: string }
  | { kind: 'imported-module'; module: string }
  /** A `def` (with its node and body scope, to read what it returns) or a `class` of that name. */
  | { kind: 'def'; node?: SyntaxNode; scope?: PythonScope }
  | { kind: 'other' };

export interface ClassInfo {
  name: string;
  attrs: Map<string, Binding[]>;
  /** `@property` methods: return annotation and returned expressions. */
  properties: Map<string, { annotation: string | null; returns: SyntaxNode[]; scope: PythonScope }>;
  /** Names of the base classes (their last segment). */
  bases: string[];
}

export class PythonScope {
  readonly bindings = new Map<string, Binding[]>();
  constructor(
    readonly kind: 'module' | 'function' | 'class',
    readonly parent: PythonScope | null,
    readonly cls: ClassInfo | null,
  ) {}

  bind(name: string, b: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(b);
    else this.bindings.set(name, [b]);
    stamp(b);
  }
}

/**
 * `mlflow-logger`: Lightning's `MLFlowLogger`, whose `.experiment` is an MlflowClient.
 * `shaped-client`: `<x>.logger.experiment`, an MlflowClient only when the call has a client's
 * arguments (a run id first), since Comet's and TensorBoard's loggers have an `.experiment` too.
 */
export type Resolved =
  | 'module'
  | 'client'
  | 'client-class'
  | 'mlflow-logger'
  | 'shaped-client'
  | { alias: string }
  | { moduleRef: string }
  | null;

/** `pkg.utils.tracking` and `.tracking` are both the file `tracking.py` (or the package `tracking/`). */
const moduleKey = (module: string): string => module.split('.').filter(Boolean).pop() ?? '';

/**
 * Whether an import's module could be a file of the run: not a top-level module of the standard
 * library (`from dataclasses import field` is Python's, whatever `dataclasses.py` a package
 * holds). A path under one (`from code.tracking import client`) may be the run's package.
 */
export const mayBeOfTheRun = (module: string): boolean => !STDLIB.has(module);

/** Words of a callee that imports a module by name: `importlib.import_module`, `optional_import`, `LazyLoader`. */
const IMPORT_WORDS = new Set(['import', 'importorskip', 'lazy', 'loader', 'require', 'load']);
const LOGGER_CLASS = new Set(MLFLOW.python.loggerClasses);

function importsMlflow(fn: SyntaxNode, first: SyntaxNode | undefined): boolean {
  if (!first || first.type !== 'string' || !/^['"]mlflow['"]$/.test(first.text)) return false;
  const name = fn.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? '') : fn.text;
  return wordsOf(name).some((w) => IMPORT_WORDS.has(w)) || name === '__import__';
}

/** What callers in this file pass for an unannotated parameter. */
export type ParamSource = (scope: PythonScope, name: string) => Resolved;

export class PythonResolver {
  private depth = 0;

  constructor(
    private readonly paramSource: ParamSource = () => null,
    private readonly project?: ProjectReceivers,
    private readonly classNamed: (name: string) => ClassInfo | undefined = () => undefined,
  ) {}
  private readonly memo = new Map<PythonScope, Map<string, Resolved | undefined>>();
  /** The modules and classes of other files this file's resolution asked about (see ReceiverExports.wants). */
  readonly wants = { modules: new Set<string>(), classes: new Set<string>() };

  /** What the expression evaluates to, as far as MLflow is concerned. */
  expr(node: SyntaxNode, scope: PythonScope): Resolved {
    if (this.depth > 24) return null;
    this.depth++;
    try {
      return this.exprInner(node, scope);
    } finally {
      this.depth--;
    }
  }

  private exprInner(node: SyntaxNode, scope: PythonScope): Resolved {
    switch (node.type) {
      case 'identifier':
        return this.name(node.text, scope);
      case 'parenthesized_expression':
        return node.namedChildren[0] ? this.expr(node.namedChildren[0], scope) : null;
      case 'attribute': {
        const obj = node.childForFieldName('object');
        const attr = node.childForFieldName('attribute')?.text ?? '';
        if (!obj) return null;
        if (obj.type === 'identifier' && (obj.text === 'self' || obj.text === 'cls')) {
          const cls = enclosingClass(scope);
          return cls ? this.classAttr(cls, attr) : null;
        }
        const base = this.expr(obj, scope);
        if (
          !base &&
          attr === 'experiment' &&
          obj.type === 'attribute' &&
          obj.childForFieldName('attribute')?.text === 'logger'
        )
          return 'shaped-client';
        return this.attribute(base, attr);
      }
      case 'call': {
        const fn = node.childForFieldName('function');
        if (!fn) return null;
        const callee = this.expr(fn, scope);
        if (callee === 'client-class') return 'client';
        const first = node.childForFieldName('arguments')?.namedChildren[0];
        if (importsMlflow(fn, first)) return 'module';
        const ctor = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.text;
        if (ctor && LOGGER_CLASS.has(ctor)) return 'mlflow-logger';
        return fn.type === 'identifier' ? this.returned(fn.text, scope) : null;
      }
      case 'boolean_operator':
      case 'conditional_expression': {
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

  private readonly returnMemo = new Map<SyntaxNode, Resolved>();

  /** What a function defined in this file returns (`def get_client() -> MlflowClient`, `return MlflowClient()`). */
  private returned(name: string, scope: PythonScope): Resolved {
    let def: Binding | undefined;
    for (let s: PythonScope | null = scope; s && !def; s = s.parent) def = s.bindings.get(name)?.at(-1);
    if (def?.kind !== 'def' || !def.node || !def.scope) return null;
    const { node, scope: body } = def;
    const hit = this.returnMemo.get(node);
    if (hit !== undefined) return hit;
    this.returnMemo.set(node, null);
    let r = fromAnnotation(node.childForFieldName('return_type')?.text ?? null, '');
    if (!r) {
      const returns: SyntaxNode[] = [];
      collectReturns(node.childForFieldName('body'), returns);
      for (const ret of returns) if ((r = this.expr(ret, body))) break;
    }
    this.returnMemo.set(node, r);
    return r;
  }

  /** Resolve a dotted receiver (`mlflow`, `self.client`, `mlflow.tracking`) from its text alone. */
  dotted(text: string, scope: PythonScope): Resolved {
    const [head, ...rest] = text.split('.');
    let r: Resolved;
    if (head === 'self' || head === 'cls') {
      const cls = enclosingClass(scope);
      if (!cls || rest.length === 0) return null;
      r = this.classAttr(cls, rest.shift() as string);
    } else r = this.name(head, scope);
    let prev = head === 'self' || head === 'cls' ? text.split('.')[1] : head;
    for (const attr of rest) {
      r = !r && attr === 'experiment' && prev === 'logger' ? 'shaped-client' : this.attribute(r, attr);
      prev = attr;
    }
    return r;
  }

  name(name: string, start: PythonScope): Resolved {
    return memoized(this.memo, start, name, () => this.lookup(name, start));
  }

  private lookup(name: string, start: PythonScope): Resolved {
    let scope: PythonScope | null = start;
    let first = true;
    while (scope) {
      // Methods do not see names bound in their class body.
      if (scope.kind === 'class' && !first) {
        scope = scope.parent;
        continue;
      }
      first = false;
      const list = scope.bindings.get(name);
      if (list) return this.bindings(name, list);
      scope = scope.parent;
    }
    // `mlflow` bound nowhere in the file comes from elsewhere (`%run`, a notebook cell, `import *`).
    return name === 'mlflow' ? 'module' : null;
  }

  private bindings(name: string, list: Binding[]): Resolved {
    // A `def log_metric` after `from mlflow import log_metric` replaces it.
    const lastDef = list.map((b) => b.kind).lastIndexOf('def');
    const lastImport = Math.max(
      ...['module', 'alias', 'client-class'].map((k) => list.map((b) => b.kind).lastIndexOf(k as Binding['kind'])),
    );
    if (lastDef > lastImport) return null;
    for (const b of list) if (b.kind === 'module') return 'module';
    for (const b of list) if (b.kind === 'alias') return { alias: b.api };
    for (const b of list) if (b.kind === 'client-class') return 'client-class';
    for (const b of list) {
      if (b.kind === 'imported' || b.kind === 'imported-module') {
        const r = this.imported(b);
        if (r) return r;
      } else if (b.kind === 'expr') {
        const r = this.expr(b.node, b.scope);
        if (r) return r;
      } else if (b.kind === 'param') {
        const r =
          fromAnnotation(b.annotation, name) ??
          (b.annotation === null && b.scope ? this.paramSource(b.scope, name) : null);
        if (r) return r;
      }
    }
    return null;
  }

  /** What another file of the run binds: `from tracking import client` → that file's `client`. */
  private imported(b: Extract<Binding, { kind: 'imported' | 'imported-module' }>): Resolved {
    if (!mayBeOfTheRun(b.module)) return null;
    this.wants.modules.add(moduleKey(b.module));
    if (b.kind === 'imported') this.wants.modules.add(b.name);
    if (!this.project) return null;
    // A module of the run that holds no receiver answers nothing: the file's other bindings still count.
    const modules = this.project.modules;
    const holds = (key: string): boolean => Object.keys(modules.get(key) ?? {}).length > 0;
    if (b.kind === 'imported-module') return holds(moduleKey(b.module)) ? { moduleRef: moduleKey(b.module) } : null;
    const r = modules.get(moduleKey(b.module))?.[b.name];
    if (r) return r;
    // `from . import tracking`: a module of the run.
    return holds(b.name) ? { moduleRef: b.name } : null;
  }

  private attribute(base: Resolved, attr: string): Resolved {
    if (base && typeof base === 'object' && 'moduleRef' in base)
      return this.project?.modules.get(base.moduleRef)?.[attr] ?? null;
    return attribute(base, attr);
  }

  /** What `self.<attr>` holds in instances of the class (its bases included). */
  attrOf(cls: ClassInfo, attr: string): Resolved {
    return this.classAttr(cls, attr);
  }

  private readonly attrMemo = new Map<ClassInfo, Map<string, Resolved | undefined>>();

  private classAttr(cls: ClassInfo, attr: string): Resolved {
    return memoized(this.attrMemo, cls, attr, () => this.classAttrUncached(cls, attr));
  }

  private classAttrUncached(cls: ClassInfo, attr: string): Resolved {
    const list = cls.attrs.get(attr);
    if (list) {
      const r = this.bindings(attr, list);
      if (r) return r;
    }
    const prop = cls.properties.get(attr);
    if (prop) {
      const r = fromAnnotation(prop.annotation, '');
      if (r) return r;
      for (const ret of prop.returns) {
        const v = this.expr(ret, prop.scope);
        if (v) return v;
      }
    }
    // A cycle of bases ends at the memo, which answers null for a lookup in progress.
    for (const base of cls.bases) {
      const local = this.classNamed(base);
      if (!local || local === cls) this.wants.classes.add(base);
      const r =
        local && local !== cls ? this.classAttr(local, attr) : (this.project?.classes.get(base)?.[attr] ?? null);
      if (r) return r;
    }
    return null;
  }
}

function attribute(base: Resolved, attr: string): Resolved {
  if (base === 'mlflow-logger') return attr === 'experiment' ? 'client' : null;
  if (base !== 'module') return null;
  if (attr === MLFLOW.python.clientClass) return 'client-class';
  if (MLFLOW.python.fluentSubmodules.includes(attr) || MLFLOW.python.clientSubmodules.includes(attr)) return 'module';
  if (isKnownApi(attr, 'fluent')) return { alias: attr };
  return null;
}

function fromAnnotation(annotation: string | null, name: string): Resolved {
  if (annotation && /MlflowClient/.test(annotation)) return 'client';
  // A parameter named `mlflow` that is the module handed in (`mlflow: ModuleType`).
  if (name === 'mlflow' && annotation !== null && /ModuleType/.test(annotation)) return 'module';
  return null;
}

function enclosingClass(scope: PythonScope): ClassInfo | null {
  let s: PythonScope | null = scope;
  while (s) {
    if (s.cls) return s.cls;
    s = s.parent;
  }
  return null;
}
