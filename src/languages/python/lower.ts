// tree-sitter-python → model. One cursor walk over the tree; only the nodes that matter
// (definitions, loops, conditions, calls, imports, assignments, statements of a block) are
// materialised. Receivers are resolved after the walk, once every binding in the file is known.
import type { SyntaxNode, Tree, TreeCursor } from 'tree-sitter';
import { MLFLOW } from '../../model/catalogue.js';
import { isIntervalTest } from '../../model/conditions.js';
import { lastName, type Expr } from '../../model/expr.js';
import { mapArguments, isKnownApi } from '../../model/mlflow.js';
import type {
  Arg,
  Call,
  Condition,
  ExtraReceivers,
  Func,
  ImportFacts,
  Loop,
  ParseContext,
  ProjectReceivers,
  Range,
  ReceiverExports,
  RunScope,
  SourceModel,
  Statement,
  SyntaxProblem,
} from '../../model/types.js';
import { bindingClock, boundBy } from '../bindings.js';
import { ModelBuilder } from '../builder.js';
import { configuredReceiver } from '../receivers.js';
import { descendTo, ENTER, fieldOf, SKIP, TAKE, typeOf } from '../cursor.js';
import { lowerPythonExpr } from './expr.js';
import { importFacts } from './imports.js';
import { pythonSyntaxProblems } from './problems.js';
import type { TokenProblem } from './tokens.js';
import type { Blanked } from './index.js';
import { mayBeOfTheRun, PythonResolver, PythonScope, type Binding, type ClassInfo, type Resolved } from './scope.js';
import {
  collectReturns,
  expressionShape,
  identifiers,
  identifiersAt,
  literalAt,
  targetAt,
  type Target,
} from './syntax.js';
import { EVERYTHING, pythonTriggers, type Triggers } from './triggers.js';

interface Enclosing {
  scope: PythonScope;
  func: Func | null;
  cls: ClassInfo | null;
  loops: Loop[];
  conditions: Condition[];
  runScopes: RunScope[];
}

const COMPREHENSIONS = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);
const DOTTED = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;
/** A module's path as Python reads it: `a . b` and `a.\` + newline + `b` are `a.b`. */
const modulePath = (text: string): string => text.replace(/\s|\\(?:\r\n|\r|\n)/g, '');
/** `import mlflow.tracking.fluent as f`: the paths whose alias is the fluent API. */
const FLUENT_PATHS = new Set([
  MLFLOW.python.module,
  `${MLFLOW.python.module}.tracking`,
  `${MLFLOW.python.module}.tracking.fluent`,
]);
const HANDLED = new Set([
  'comment',
  'block',
  'decorated_definition',
  'function_definition',
  'class_definition',
  'for_statement',
  'while_statement',
  'if_statement',
  'try_statement',
  'with_statement',
  'call',
  'import_statement',
  'import_from_statement',
  'assignment',
  'augmented_assignment',
  'lambda',
  'print_statement',
  'exec_statement',
]);
/** Expressions: they hold no statement, so one whose range has no trigger (see triggers.ts) records nothing. */
const EXPRESSIONS = new Set([
  'attribute',
  'subscript',
  'binary_operator',
  'boolean_operator',
  'comparison_operator',
  'not_operator',
  'unary_operator',
  'conditional_expression',
  'parenthesized_expression',
  'list',
  'tuple',
  'dictionary',
  'set',
  'pair',
  'keyword_argument',
  'argument_list',
  'string',
  'concatenated_string',
  'await',
  'list_splat',
  'dictionary_splat',
  'expression_list',
  'slice',
  'named_expression',
  'interpolation',
  'yield',
]);

/** The `condition` child of the node at the cursor (an `if` or `elif`), made a node; the cursor ends where it started. */
function conditionAt(cursor: TreeCursor): SyntaxNode | null {
  if (!cursor.gotoFirstChild()) return null;
  let found: SyntaxNode | null = null;
  do if (fieldOf(cursor) === 'condition') found = cursor.currentNode;
  while (!found && cursor.gotoNextSibling());
  cursor.gotoParent();
  return found;
}

/** `tokens`: what the tokenizer check found in `text` (see tokens.ts). */
export function lowerPython(
  path: string,
  text: string,
  tree: Tree,
  tokens: TokenProblem[],
  context: ParseContext = {},
  blanked: Blanked[] = [],
): SourceModel {
  const quick = new PythonLowerer(
    path,
    text,
    tokens,
    context.walkEverything ? EVERYTHING : pythonTriggers(text),
    context.project,
    context.extraReceivers,
  );
  const model = quick.run(tree, blanked);
  // A name the walk skipped is bound to an API (`lm = mlflow.log_metric`): walk everything.
  if (!quick.skippedAnAlias) return model;
  return new PythonLowerer(path, text, tokens, EVERYTHING, context.project, context.extraReceivers).run(tree, blanked);
}

class PythonLowerer extends ModelBuilder {
  constructor(
    path: string,
    text: string,
    private readonly tokens: TokenProblem[],
    private readonly triggers: Triggers,
    private readonly project?: ProjectReceivers,
    private readonly extra?: ExtraReceivers,
  ) {
    super(path, text);
  }

  private readonly python2: SyntaxProblem[] = [];
  private readonly pending: { call: Call; scope: PythonScope; cls: ClassInfo | null; simple: boolean }[] = [];
  private readonly defs = new Map<PythonScope, Map<string, Func>>();
  private readonly methods = new Map<ClassInfo, Map<string, Func>>();
  private readonly classes = new Map<string, ClassInfo>();
  /** Start offsets of `start_run()` calls used as `with` items (their scope is the `with` body). */
  private readonly withRunCalls = new Set<number>();
  private readonly scopeFunc = new Map<PythonScope, Func>();
  private readonly callScope = new Map<Call, PythonScope>();

  private root: SyntaxNode | null = null;
  private readonly scopes: PythonScope[] = [];
  skippedAnAlias = false;

  private newScope(kind: PythonScope['kind'], parent: PythonScope | null, cls: ClassInfo | null): PythonScope {
    const s = new PythonScope(kind, parent, cls);
    this.scopes.push(s);
    return s;
  }

  /** Whether [start, end) of an expression can hold anything the walk records. */
  private matters(cursor: TreeCursor): boolean {
    return this.triggers.within(cursor.startIndex, cursor.endIndex);
  }

  /** `blanked`: comments the tree was parsed without (see parseRecovering); they stay in the model. */
  run(tree: Tree, blanked: Blanked[]): SourceModel {
    this.root = tree.rootNode;
    const module = this.newScope('module', null, null);
    const ctx: Enclosing = { scope: module, func: null, cls: null, loops: [], conditions: [], runScopes: [] };
    const cursor = tree.walk();
    this.block(cursor, ctx);
    if (blanked.length) {
      for (const b of blanked) this.addComment(b, b.text);
      this.comments.sort((a, b) => a.range.start.offset - b.range.start.offset);
    }
    const problems = pythonSyntaxProblems(this.text, tree.rootNode, this.python2, (n) => this.range(n), this.tokens);
    const resolver = this.resolve();
    this.skippedAnAlias = this.aliasSkipped(resolver);
    let facts: ImportFacts | undefined;
    const root = tree.rootNode;
    return {
      ...this.model('python', problems.reported),
      problemCount: problems.count,
      exports: this.exports(resolver, module),
      importFacts: () => (facts ??= importFacts(root, this.text)),
    };
  }

  // ---- walking -------------------------------------------------------------------------------

  private children(
    cursor: TreeCursor,
    ctx: Enclosing,
    pick?: (field: string | undefined, type: string) => Enclosing,
  ): void {
    // Punctuation and keywords hold nothing: passed by without asking their type or field (each question is a native call).
    if (!cursor.gotoFirstChild()) return;
    do if (cursor.nodeIsNamed) this.visit(cursor, pick ? pick(fieldOf(cursor), typeOf(cursor)) : ctx);
    while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  /** A `module` or `block`: its statements, in order, for back-to-back grouping. */
  private block(cursor: TreeCursor, ctx: Enclosing): Statement[] {
    const statements: Statement[] = [];
    let c = ctx;
    const first = this.calls.length;
    if (cursor.gotoFirstChild()) {
      do {
        const type = typeOf(cursor);
        if (type === 'comment') {
          this.comment(cursor);
          continue;
        }
        if (!cursor.nodeIsNamed) continue;
        if (type === 'break_statement' || type === 'return_statement') this.leaving(first, ctx.loops);
        const before = this.calls.length;
        const shape = type === 'expression_statement' ? expressionShape(cursor) : type;
        const range = this.range(cursor);
        const ifNode = type === 'if_statement' ? cursor.currentNode : null;
        this.visit(cursor, c);
        statements.push(this.statement(shape, range, before));
        const guard = ifNode ? this.earlyExitGuard(ifNode, c) : null;
        if (guard) c = { ...c, conditions: [...c.conditions, guard] };
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return this.endBlock(statements);
  }

  /** `shape` is the statement type, or for an expression statement the type of its one expression. */
  private statement(shape: string, range: Range, callsBefore: number): Statement {
    if (shape === 'pass_statement' || shape === 'string' || shape === 'ellipsis')
      return { kind: 'noop', call: null, range };
    const call = this.calls[callsBefore];
    if (
      (shape === 'call' || shape === 'await') &&
      call &&
      call.range.end.offset === range.end.offset &&
      (shape === 'await' || call.range.start.offset === range.start.offset)
    ) {
      return this.callStatement(call, range);
    }
    return { kind: 'other', call: null, range };
  }

  /** `if step % k: continue` guards the rest of its block. */
  private earlyExitGuard(node: SyntaxNode, ctx: Enclosing): Condition | null {
    if (node.type !== 'if_statement' || node.childForFieldName('alternative')) return null;
    const body = node.childForFieldName('consequence');
    const cond = node.childForFieldName('condition');
    if (!body || !cond || body.namedChildCount !== 1) return null;
    const only = body.namedChildren[0].type;
    if (only !== 'continue_statement' && only !== 'return_statement') return null;
    const test: Expr = { kind: 'not', text: `not ${cond.text}`, operand: this.expr(cond, ctx) };
    return isIntervalTest(test) ? this.condition(this.range(node), test) : null;
  }

  private visit(cursor: TreeCursor, ctx: Enclosing): void {
    if (!this.deeper(cursor)) return;
    this.visitNode(cursor, ctx);
    this.nesting--;
  }

  private visitNode(cursor: TreeCursor, ctx: Enclosing): void {
    const type = typeOf(cursor);
    switch (type) {
      case 'comment':
        this.comment(cursor);
        return;
      case 'block':
        this.block(cursor, ctx);
        return;
      case 'decorated_definition':
        this.decorated(cursor, ctx);
        return;
      case 'function_definition':
        this.functionDef(cursor, ctx);
        return;
      case 'class_definition':
        this.classDef(cursor, ctx);
        return;
      case 'for_statement':
      case 'while_statement':
        this.loop(cursor, ctx);
        return;
      case 'if_statement':
        this.ifStatement(cursor, ctx);
        return;
      case 'try_statement':
        this.tryStatement(cursor, ctx);
        return;
      case 'with_statement':
        this.withStatement(cursor, ctx);
        return;
      case 'call':
        if (this.matters(cursor)) this.call(cursor, ctx);
        return;
      case 'import_statement':
      case 'import_from_statement':
        this.importStatement(cursor.currentNode, ctx);
        return;
      case 'assignment':
        this.assignment(cursor, ctx);
        this.children(cursor, ctx);
        return;
      case 'augmented_assignment':
        this.augmented(cursor, ctx);
        this.children(cursor, ctx);
        return;
      case 'lambda':
        this.lambda(cursor, ctx);
        return;
      case 'print_statement':
      case 'exec_statement': {
        // Python 2: tree-sitter parses it, CPython does not.
        const word = typeOf(cursor).replace('_statement', '');
        this.python2.push({
          message: `Missing parentheses in call to '${word}'`,
          range: this.range(cursor),
          region: { start: cursor.startIndex, end: cursor.endIndex },
        });
        this.children(cursor, ctx);
        return;
      }
      default:
        if (COMPREHENSIONS.has(type)) {
          this.comprehension(cursor, ctx);
          return;
        }
        if (type === 'string' && !this.hasInterpolation(cursor)) return;
        if (EXPRESSIONS.has(type) && !this.matters(cursor)) return;
        this.descend(cursor, ctx);
    }
  }

  /**
   * Walk an expression subtree without recursion (deeply nested expressions such as long
   * `a + b + ...` chains would overflow the stack), handing the nodes that matter to visit().
   */
  private descend(cursor: TreeCursor, ctx: Enclosing): void {
    descendTo(
      cursor,
      (c) => {
        if (!c.nodeIsNamed) return SKIP;
        const type = typeOf(c);
        if (HANDLED.has(type) || COMPREHENSIONS.has(type)) return TAKE;
        if (type === 'string' && !this.hasInterpolation(c)) return SKIP;
        return EXPRESSIONS.has(type) && !this.matters(c) ? SKIP : ENTER;
      },
      () => this.visit(cursor, ctx),
    );
  }

  private hasInterpolation(cursor: TreeCursor): boolean {
    return cursor.nodeText.includes('{') && /^[a-zA-Z]*[fF]/.test(cursor.nodeText);
  }

  private comment(cursor: TreeCursor): void {
    this.addComment(cursor, cursor.nodeText);
  }

  // ---- definitions ---------------------------------------------------------------------------

  /** The decorators of the definition being visited (see decorated). */
  private decorators: SyntaxNode[] | null = null;

  /** `@dec def f(): ...`: the decorators' expressions go to the definition. */
  private decorated(cursor: TreeCursor, ctx: Enclosing): void {
    const decorators: SyntaxNode[] = [];
    if (!cursor.gotoFirstChild()) return;
    do {
      const type = typeOf(cursor);
      if (type === 'decorator') {
        if (cursor.gotoFirstChild()) {
          let found = false;
          do {
            if (cursor.nodeIsNamed && typeOf(cursor) !== 'comment') {
              decorators.push(cursor.currentNode);
              found = true;
            }
          } while (!found && cursor.gotoNextSibling());
          cursor.gotoParent();
        }
      } else if (type === 'function_definition') this.decorators = decorators;
      this.visit(cursor, ctx);
      this.decorators = null;
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  /** A parameter list read through the cursor: each parameter's name and annotation. */
  private parameters(cursor: TreeCursor): { name: string; annotation: string | null }[] {
    const out: { name: string; annotation: string | null }[] = [];
    if (!cursor.gotoFirstChild()) return out;
    do {
      if (!cursor.nodeIsNamed) continue;
      if (typeOf(cursor) === 'identifier') {
        out.push({ name: cursor.nodeText, annotation: null });
        continue;
      }
      let named: string | null = null;
      let firstId: string | null = null;
      let annotation: string | null = null;
      if (cursor.gotoFirstChild()) {
        do {
          const field = fieldOf(cursor);
          if (field === 'name' && named === null) named = cursor.nodeText;
          else if (field === 'type' && annotation === null) annotation = cursor.nodeText;
          if (firstId === null && typeOf(cursor) === 'identifier') firstId = cursor.nodeText;
        } while (cursor.gotoNextSibling());
        cursor.gotoParent();
      }
      const name = named ?? firstId;
      if (name !== null) out.push({ name, annotation });
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    return out;
  }

  private functionDef(cursor: TreeCursor, ctx: Enclosing): void {
    const node = cursor.currentNode;
    let name = '<lambda>';
    let parameters: { name: string; annotation: string | null }[] = [];
    if (cursor.gotoFirstChild()) {
      do {
        const field = fieldOf(cursor);
        if (field === 'name') name = cursor.nodeText;
        else if (field === 'parameters') parameters = this.parameters(cursor);
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    const decorators = (this.decorators ?? []).map((d) => lowerPythonExpr(d));
    this.decorators = null;
    const scope = this.newScope('function', ctx.scope, null);
    const params: string[] = [];
    for (const p of parameters) {
      params.push(p.name);
      scope.bind(p.name, { kind: 'param', annotation: p.annotation, scope });
    }
    const func = this.newFunc(node, {
      name,
      className: ctx.cls && ctx.scope.kind === 'class' ? ctx.cls.name : null,
      params,
      decorators,
    });
    this.scopeFunc.set(scope, func);
    ctx.scope.bind(name, { kind: 'def', node, scope });
    this.defsOf(ctx.scope).set(name, func);
    if (ctx.cls && ctx.scope.kind === 'class') {
      let m = this.methods.get(ctx.cls);
      if (!m) this.methods.set(ctx.cls, (m = new Map()));
      m.set(name, func);
      if (decorators.some((d) => ['property', 'cached_property'].includes(lastName(d)))) {
        const returns: SyntaxNode[] = [];
        collectReturns(node.childForFieldName('body'), returns);
        ctx.cls.properties.set(name, {
          annotation: node.childForFieldName('return_type')?.text ?? null,
          returns,
          scope,
        });
      }
    }
    const inner: Enclosing = { scope, func, cls: ctx.cls, loops: [], conditions: [], runScopes: [] };
    this.children(cursor, ctx, (field) => (field === 'body' ? inner : ctx));
  }

  /** A lambda is a function of its own; passed as `on_batch_end=lambda ...` it is named after the hook. */
  private lambda(cursor: TreeCursor, ctx: Enclosing): void {
    const node = cursor.currentNode;
    const parent = node.parent;
    const name =
      parent?.type === 'keyword_argument' ? (parent.childForFieldName('name')?.text ?? '<lambda>') : '<lambda>';
    const scope = this.newScope('function', ctx.scope, null);
    const paramsNode = node.childForFieldName('parameters');
    const params = paramsNode ? identifiers(paramsNode) : [];
    for (const p of params) scope.bind(p, { kind: 'param', annotation: null });
    const func = this.newFunc(node, { name, className: null, params, decorators: [] });
    const inner: Enclosing = { scope, func, cls: ctx.cls, loops: [], conditions: [], runScopes: [] };
    this.children(cursor, ctx, (field) => (field === 'body' ? inner : ctx));
  }

  private defsOf(scope: PythonScope): Map<string, Func> {
    let m = this.defs.get(scope);
    if (!m) this.defs.set(scope, (m = new Map()));
    return m;
  }

  private classDef(cursor: TreeCursor, ctx: Enclosing): void {
    const node = cursor.currentNode;
    const name = node.childForFieldName('name')?.text ?? '';
    ctx.scope.bind(name, { kind: 'def' });
    // `class Trainer(BaseTrainer)`: attributes the base sets are the subclass's too.
    const bases = (node.childForFieldName('superclasses')?.namedChildren ?? [])
      .filter((b) => b.type === 'identifier' || b.type === 'attribute')
      .map((b) => (b.type === 'attribute' ? (b.childForFieldName('attribute')?.text ?? '') : b.text));
    const cls: ClassInfo = { name, attrs: new Map(), properties: new Map(), bases };
    if (!this.classes.has(name)) this.classes.set(name, cls);
    const scope = this.newScope('class', ctx.scope, cls);
    const inner: Enclosing = { ...ctx, scope, cls, loops: [], conditions: [], runScopes: [] };
    this.children(cursor, ctx, (field) => (field === 'body' ? inner : ctx));
  }

  // ---- loops ---------------------------------------------------------------------------------

  /** Read through the cursor: only the iterable is made a node (it is lowered when a rule asks). */
  private loop(cursor: TreeCursor, ctx: Enclosing): void {
    const span = { startIndex: cursor.startIndex, endIndex: cursor.endIndex };
    const isFor = typeOf(cursor) === 'for_statement';
    let iterable: SyntaxNode | null = null;
    let iterableSpan: { start: number; end: number } | null = null;
    let target: { start: number; end: number } | null = null;
    let targets: string[] = [];
    let body: { start: number; end: number } | null = null;
    let hasElse = false;
    if (cursor.gotoFirstChild()) {
      do {
        const field = fieldOf(cursor);
        if (field === (isFor ? 'right' : 'condition')) {
          iterable = cursor.currentNode;
          iterableSpan = { start: cursor.startIndex, end: cursor.endIndex };
        } else if (field === 'left' && isFor) {
          target = { start: cursor.startIndex, end: cursor.endIndex };
          targets = identifiersAt(cursor);
        } else if (field === 'body') body = { start: cursor.startIndex, end: cursor.endIndex };
        else if (field === 'alternative') hasElse = true;
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    const loop = this.newLoop(
      span,
      {
        kind: isFor ? 'for' : 'while',
        header: this.text.slice(span.startIndex, body?.start ?? span.endIndex),
        iterable: iterable ? this.later(iterable, ctx) : null,
        targets,
        indexVar: null,
        parts: isFor && body && iterableSpan && target ? { target, iterable: iterableSpan, body } : undefined,
        hasElse,
      },
      ctx,
    );
    const inner: Enclosing = { ...ctx, loops: [...ctx.loops, loop] };
    for (const t of loop.targets) ctx.scope.bind(t, { kind: 'other' });
    let bodyStatements: Statement[] | null = null;
    if (cursor.gotoFirstChild()) {
      do {
        const field = fieldOf(cursor);
        if (field === 'body') bodyStatements = this.block(cursor, inner);
        else this.visit(cursor, ctx);
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    this.setSoleCall(loop, bodyStatements);
  }

  /** Read through the cursor, as loop is: only the iterable and the filters' tests are made nodes. */
  private comprehension(cursor: TreeCursor, ctx: Enclosing): void {
    const span = { startIndex: cursor.startIndex, endIndex: cursor.endIndex };
    let header = typeOf(cursor);
    let iterable: SyntaxNode | null = null;
    let targets: string[] | null = null;
    const moreTargets: string[][] = [];
    const ifs: { test: SyntaxNode | null; at: { startIndex: number; endIndex: number } }[] = [];
    let body: { type: string; start: number } | null = null;
    if (cursor.gotoFirstChild()) {
      do {
        if (!cursor.nodeIsNamed) continue;
        const type = typeOf(cursor);
        if (type === 'for_in_clause') {
          const first = targets === null;
          if (first) header = cursor.nodeText;
          let right: SyntaxNode | null = null;
          let left: string[] | null = null;
          if (cursor.gotoFirstChild()) {
            do {
              const field = fieldOf(cursor);
              if (field === 'right' && first && !right) right = cursor.currentNode;
              else if (field === 'left' && !left) left = identifiersAt(cursor);
            } while (cursor.gotoNextSibling());
            cursor.gotoParent();
          }
          if (first) {
            iterable = right;
            targets = left ?? [];
          } else moreTargets.push(left ?? identifiersAt(cursor));
        } else if (type === 'if_clause') {
          const at = { startIndex: cursor.startIndex, endIndex: cursor.endIndex };
          let test: SyntaxNode | null = null;
          if (cursor.gotoFirstChild()) {
            do if (cursor.nodeIsNamed) test = cursor.currentNode;
            while (!test && cursor.gotoNextSibling());
            cursor.gotoParent();
          }
          ifs.push({ test, at });
        } else if (!body && fieldOf(cursor) === 'body') body = { type, start: cursor.startIndex };
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    const loop = this.newLoop(
      span,
      {
        kind: 'comprehension',
        header,
        iterable: iterable ? this.later(iterable, ctx) : null,
        targets: targets ?? [],
        indexVar: null,
        hasElse: false,
      },
      ctx,
    );
    for (const t of moreTargets) loop.targets.push(...t);
    const filters = ifs.map((f) => this.test(f.test, f.at, ctx));
    const inner: Enclosing = { ...ctx, loops: [...ctx.loops, loop], conditions: [...ctx.conditions, ...filters] };
    const before = this.calls.length;
    this.children(cursor, ctx, (field) => (field === 'body' ? inner : ctx));
    const call = this.calls[before];
    if (body?.type === 'call' && call && call.range.start.offset === body.start) loop.soleCall = call;
  }

  // ---- conditions ----------------------------------------------------------------------------

  /** An expression as the model sees it, names followed to what they were last bound to. */
  private expr(node: SyntaxNode, ctx: Enclosing, mark = bindingClock()): Expr {
    return lowerPythonExpr(node, (name, seen) => {
      for (let sc: PythonScope | null = ctx.scope; sc; sc = sc.parent) {
        const list = sc.bindings.get(name)?.filter((b) => boundBy(b, mark));
        if (!list?.length) continue;
        for (let i = list.length - 1; i >= 0; i--) {
          const b = list[i];
          if (b.kind === 'expr' && !seen.has(b.node)) return b.node;
          if (b.kind !== 'expr') return null;
        }
        return null;
      }
      return null;
    });
  }

  /** An expression lowered when first read, seeing the bindings made before this point. */
  private later(node: SyntaxNode, ctx: Enclosing): () => Expr {
    const mark = bindingClock();
    return () => this.expr(node, ctx, mark);
  }

  /** Conditions are lowered when first read: most guard no call that any rule asks about. */
  private test(test: SyntaxNode | null, at: { startIndex: number; endIndex: number }, ctx: Enclosing): Condition {
    const mark = bindingClock();
    return this.condition(this.range(test ?? at), test ? () => this.expr(test, ctx, mark) : null);
  }

  private ifStatement(cursor: TreeCursor, ctx: Enclosing): void {
    const at = { startIndex: cursor.startIndex, endIndex: cursor.endIndex };
    const under = (c: SyntaxNode | null): Enclosing => ({
      ...ctx,
      conditions: [...ctx.conditions, this.test(c, at, ctx)],
    });
    const consequence = under(conditionAt(cursor));
    if (!cursor.gotoFirstChild()) return;
    do {
      const type = typeOf(cursor);
      if (fieldOf(cursor) === 'consequence') this.visit(cursor, consequence);
      else if (type === 'elif_clause') {
        const inner = under(conditionAt(cursor));
        this.children(cursor, ctx, (field) => (field === 'consequence' ? inner : ctx));
      } else if (type === 'else_clause') {
        const inner = under(null);
        this.children(cursor, ctx, (field) => (field === 'body' ? inner : ctx));
      } else this.visit(cursor, ctx);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  /** A `try` body and its `except` handlers run under conditions of their own (the handler only on failure). */
  private tryStatement(cursor: TreeCursor, ctx: Enclosing): void {
    const tried: Enclosing = { ...ctx, conditions: [...ctx.conditions, this.condition(this.range(cursor), null)] };
    if (!cursor.gotoFirstChild()) return;
    do {
      const type = typeOf(cursor);
      if (fieldOf(cursor) === 'body') this.visit(cursor, tried);
      else if (type === 'except_clause' || type === 'except_group_clause') {
        const handler: Enclosing = {
          ...ctx,
          conditions: [...ctx.conditions, this.condition(this.range(cursor), null)],
        };
        this.children(cursor, ctx, (_field, t) => (t === 'block' ? handler : ctx));
      } else if (type === 'else_clause') {
        this.children(cursor, ctx, (field) => (field === 'body' ? tried : ctx));
      } else this.visit(cursor, ctx);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  private withStatement(cursor: TreeCursor, ctx: Enclosing): void {
    const node = cursor.currentNode;
    const items = node.namedChildren.find((c) => c.type === 'with_clause')?.namedChildren ?? [];
    let inner = ctx;
    for (const item of items) {
      const value = item.childForFieldName('value');
      const call = value?.type === 'as_pattern' ? value.namedChildren[0] : value;
      const target = value?.type === 'as_pattern' ? value.childForFieldName('alias') : null;
      if (target) for (const n of identifiers(target)) ctx.scope.bind(n, { kind: 'other' });
      if (call?.type === 'call' && /(^|\.)start_run$/.test(call.childForFieldName('function')?.text ?? '')) {
        this.withRunCalls.add(call.startIndex);
        inner = { ...inner, runScopes: [...inner.runScopes, { range: this.range(node) }] };
      }
    }
    this.children(cursor, ctx, (field) => (field === 'body' ? inner : ctx));
  }

  // ---- calls ---------------------------------------------------------------------------------

  private call(cursor: TreeCursor, ctx: Enclosing): void {
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    // Read the callee through the cursor: most calls are not MLflow, and materialising their
    // nodes is the expensive part of lowering.
    let calleeType = '';
    let calleeText = '';
    let name = '';
    let receiverText: string | null = null;
    if (cursor.gotoFirstChild()) {
      calleeType = typeOf(cursor);
      calleeText = cursor.nodeText;
      if (calleeType === 'attribute' && cursor.gotoFirstChild()) {
        receiverText = cursor.nodeText.replace(/\s+/g, '');
        while (cursor.gotoNextSibling()) if (typeOf(cursor) === 'identifier') name = cursor.nodeText;
        cursor.gotoParent();
      } else if (calleeType === 'identifier') name = calleeText;
      cursor.gotoParent();
    }
    const call = this.newCall(
      { startIndex: start, endIndex: end },
      { text: calleeText, name, receiver: receiverText },
      ctx,
    );
    const known = isKnownApi(name, 'fluent') || isKnownApi(name, 'client');
    // A tracking call's arguments are read after the walk: keep its node rather than find it again.
    if (known) this.callNodes.set(call, cursor.currentNode);
    if (
      calleeType === 'identifier' ||
      (calleeType === 'attribute' && (known || (receiverText !== null && DOTTED.test(receiverText))))
    ) {
      const simple = calleeType === 'identifier' || (receiverText !== null && DOTTED.test(receiverText));
      this.pending.push({ call, scope: ctx.scope, cls: ctx.cls, simple });
    }
    this.children(cursor, ctx);
  }

  /** Arguments are lowered only for calls that turn out to be MLflow calls, and mapped to parameter names. */
  private lowerArguments(call: Call, node: SyntaxNode | null): void {
    if (!node) return;
    this.lowerArgumentList(call, node);
    if (call.mlflow) call.args = mapArguments(call.mlflow.api, call.mlflow.kind, call.positional, call.keywords);
  }

  /** Read through one cursor over the call: each argument's node is made only for its expression. */
  private lowerArgumentList(call: Call, node: SyntaxNode): void {
    const c = node.walk();
    if (!c.gotoFirstChild()) return;
    while (fieldOf(c) !== 'arguments') if (!c.gotoNextSibling()) return;
    if (typeOf(c) !== 'argument_list') {
      call.positional.push(this.argAt(c));
      return;
    }
    if (!c.gotoFirstChild()) return;
    do {
      if (!c.nodeIsNamed) continue;
      const type = typeOf(c);
      if (type === 'comment' || type === 'line_continuation') continue;
      if (type === 'keyword_argument') {
        let name: string | null = null;
        let value: Arg | null = null;
        if (c.gotoFirstChild()) {
          do {
            const field = fieldOf(c);
            if (field === 'name') name = c.nodeText;
            else if (field === 'value') value = this.argAt(c);
          } while (c.gotoNextSibling());
          c.gotoParent();
        }
        if (name && value) call.keywords[name] = value;
      } else if (type === 'list_splat' || type === 'dictionary_splat') {
        call.hasSpread = true;
        call.positional.push(Object.assign(this.argAt(c), { spread: true }));
      } else {
        call.positional.push(this.argAt(c));
      }
    } while (c.gotoNextSibling());
  }

  private argAt(c: TreeCursor): Arg {
    const node = c.currentNode;
    const arg = this.newArg(
      c.nodeText,
      this.range(c),
      () => identifiers(node),
      () => lowerPythonExpr(node),
    );
    const lit = literalAt(c);
    if (lit) arg.literal = lit;
    if (typeOf(c) === 'subscript' && c.gotoFirstChild()) {
      do if (fieldOf(c) === 'subscript') arg.index = c.nodeText;
      while (arg.index === undefined && c.gotoNextSibling());
      c.gotoParent();
    }
    return arg;
  }

  // ---- bindings ------------------------------------------------------------------------------

  private importStatement(node: SyntaxNode, ctx: Enclosing): void {
    if (node.type === 'import_statement') {
      for (const n of node.namedChildren) {
        const dotted = modulePath(n.type === 'aliased_import' ? (n.childForFieldName('name')?.text ?? '') : n.text);
        const alias = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : undefined;
        const isMlflow = dotted === MLFLOW.python.module || dotted.startsWith(`${MLFLOW.python.module}.`);
        if (alias)
          ctx.scope.bind(
            alias,
            FLUENT_PATHS.has(dotted)
              ? { kind: 'module' }
              : isMlflow
                ? { kind: 'other' }
                : { kind: 'imported-module', module: dotted },
          );
        else ctx.scope.bind(dotted.split('.')[0], isMlflow ? { kind: 'module' } : { kind: 'other' });
      }
      return;
    }
    const moduleNode = node.childForFieldName('module_name');
    const moduleName = modulePath(moduleNode?.text ?? '');
    const fromMlflow = moduleName === MLFLOW.python.module || moduleName.startsWith(`${MLFLOW.python.module}.`);
    for (const n of node.namedChildren) {
      if (n.startIndex === moduleNode?.startIndex) continue;
      if (n.type !== 'dotted_name' && n.type !== 'aliased_import') continue;
      const original = n.type === 'aliased_import' ? (n.childForFieldName('name')?.text ?? '') : n.text;
      const local = n.type === 'aliased_import' ? (n.childForFieldName('alias')?.text ?? original) : original;
      if (!fromMlflow) ctx.scope.bind(local, { kind: 'imported', module: moduleName, name: original });
      else if (original === MLFLOW.python.clientClass) ctx.scope.bind(local, { kind: 'client-class' });
      else if (MLFLOW.python.fluentSubmodules.includes(original)) ctx.scope.bind(local, { kind: 'module' });
      else if (isKnownApi(original, 'fluent') && !/client/.test(moduleName))
        ctx.scope.bind(local, { kind: 'alias', api: original });
      else ctx.scope.bind(local, { kind: 'other' });
    }
  }

  /** Read through the cursor on an assignment: only its value is made a node (bindings keep it). */
  private assignment(cursor: TreeCursor, ctx: Enclosing): void {
    const overTargets = ctx.loops.some((l) => l.targets.length > 0);
    let left: Target | null = null;
    let right: SyntaxNode | null = null;
    let rightType = '';
    let rightNames: string[] | null = null;
    let type: string | null = null;
    if (cursor.gotoFirstChild()) {
      do {
        const field = fieldOf(cursor);
        if (field === 'left') left = targetAt(cursor);
        else if (field === 'right') {
          right = cursor.currentNode;
          rightType = typeOf(cursor);
          if (overTargets) rightNames = identifiersAt(cursor);
        } else if (field === 'type') type = cursor.nodeText;
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    if (!left) return;
    const names = left.names;
    const plain = left.type === 'identifier' || left.type === 'pattern_list' || left.type === 'tuple_pattern';
    this.wrote(
      left.start,
      plain ? names : [],
      left.type === 'attribute' ? left.text : null,
      right && overTargets ? rightNames : null,
      ctx.loops,
    );
    for (const loop of ctx.loops) loop.assignedNames.push(...names);
    if (left.type === 'identifier') {
      if (right) ctx.scope.bind(left.text, { kind: 'expr', node: right, scope: ctx.scope });
      if (type !== null) ctx.scope.bind(left.text, { kind: 'param', annotation: type });
      if (!right && type === null) ctx.scope.bind(left.text, { kind: 'other' });
      return;
    }
    if (left.type === 'attribute' && ctx.cls) {
      if (left.object === 'self' && left.attribute) {
        const list = ctx.cls.attrs.get(left.attribute) ?? [];
        list.push(
          right
            ? { kind: 'expr', node: right, scope: ctx.scope }
            : type !== null
              ? { kind: 'param', annotation: type }
              : { kind: 'other' },
        );
        ctx.cls.attrs.set(left.attribute, list);
      }
      return;
    }
    // `mlflow, available = optional_import("mlflow")`: the first name holds what the call returns first.
    const first =
      (left.type === 'pattern_list' || left.type === 'tuple_pattern') && rightType === 'call' ? left.first : undefined;
    for (const n of names) {
      ctx.scope.bind(
        n,
        first?.type === 'identifier' && first.text === n && right
          ? { kind: 'expr', node: right, scope: ctx.scope }
          : { kind: 'other' },
      );
    }
  }

  private augmented(cursor: TreeCursor, ctx: Enclosing): void {
    let op: string | null = null;
    let left: Target | null = null;
    if (cursor.gotoFirstChild()) {
      do {
        const field = fieldOf(cursor);
        if (field === 'left') left = targetAt(cursor);
        else if (field === 'operator') op = cursor.nodeText;
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    if (!left) return;
    this.wrote(
      left.start,
      left.type === 'identifier' ? [left.text] : [],
      left.type === 'attribute' ? left.text : null,
      null,
      ctx.loops,
    );
    for (const l of ctx.loops) l.assignedNames.push(...left.names);
    if (op === '+=' && (left.type === 'identifier' || left.type === 'attribute')) this.advanced(left.text, ctx);
  }

  // ---- after the walk ------------------------------------------------------------------------

  private resolve(): PythonResolver {
    // Calls to functions and methods of this file first: parameter types flow from their callers.
    for (const { call, scope, cls } of this.pending) {
      this.callScope.set(call, scope);
      if (call.receiverText === null) call.target = this.lookupDef(call.name, scope);
      else if (!isKnownApi(call.name, 'fluent') && !isKnownApi(call.name, 'client'))
        call.target = this.methodTarget(call, scope, cls);
      call.target?.callers.push(call);
    }
    const resolver: PythonResolver = new PythonResolver(
      (scope, name): Resolved => this.passedIn(resolver, scope, name),
      this.project,
      (name) => this.classes.get(name),
    );
    for (const { call, scope, cls, simple } of this.pending) {
      if (call.receiverText === null) {
        const r = call.target ? null : resolver.name(call.name, scope);
        if (r && typeof r === 'object' && 'alias' in r)
          call.mlflow = { api: r.alias, kind: 'fluent', receiver: 'alias' };
      } else if (isKnownApi(call.name, 'fluent') || isKnownApi(call.name, 'client')) {
        const obj = simple ? null : this.nodeOf(call)?.childForFieldName('function')?.childForFieldName('object');
        const r =
          (obj ? resolver.expr(obj, scope) : resolver.dotted(call.receiverText, scope)) ??
          this.configured(call.receiverText, scope);
        if (r === 'module' && isKnownApi(call.name, 'fluent'))
          call.mlflow = { api: call.name, kind: 'fluent', receiver: 'module' };
        else if (r === 'client' && isKnownApi(call.name, 'client'))
          call.mlflow = { api: call.name, kind: 'client', receiver: 'client' };
        else if (r === 'shaped-client' && isKnownApi(call.name, 'client')) {
          // Comet's and TensorBoard's loggers have an `.experiment` too: only a client's arguments decide.
          this.lowerArguments(call, this.nodeOf(call));
          const args = mapArguments(call.name, 'client', call.positional, call.keywords);
          const keyed = ['log_metric', 'log_param', 'set_tag'].includes(call.name);
          if (args.run_id && (!keyed || (args.key && args.value))) {
            call.mlflow = { api: call.name, kind: 'client', receiver: 'client' };
            call.args = args;
          }
          continue;
        } else if (!r) {
          call.target = this.methodTarget(call, scope, cls);
          call.target?.callers.push(call);
          if (!call.target && !this.project)
            this.importsReceivers ||= this.fromElsewhere(call.receiverText, scope, cls);
        }
      }
      if (call.mlflow) this.lowerArguments(call, this.nodeOf(call));
    }
    for (const call of this.calls) {
      const loop = call.loops[call.loops.length - 1];
      if (!loop) continue;
      const api = call.mlflow?.api;
      const startsRun = api === 'start_run' || api === 'create_run' || /(^|\.)start_run$/.test(call.calleeText);
      if (startsRun && !this.withRunCalls.has(call.range.start.offset)) loop.runStarts.push(call.range.start.offset);
    }
    return resolver;
  }

  private importsReceivers = false;

  /** A name called somewhere whose call the walk skipped, bound in some scope to an MLflow function. */
  private aliasSkipped(resolver: PythonResolver): boolean {
    const names = this.triggers.skippedNames;
    if (!names.size) return false;
    for (const s of this.scopes) {
      for (const name of s.bindings.keys()) {
        if (!names.has(name)) continue;
        const r = resolver.name(name, s);
        if (r && typeof r === 'object' && 'alias' in r) return true;
      }
    }
    return false;
  }

  /** A receiver named in `extra-receivers`: by its text, or by the path its first name was imported from. */
  private configured(receiver: string, scope: PythonScope): Resolved {
    if (!this.extra) return null;
    const [head, ...rest] = receiver.split('.');
    let b: Binding | undefined;
    for (let s: PythonScope | null = scope; s && !b; s = s.parent) b = s.bindings.get(head)?.at(-1);
    const importedAs =
      b?.kind === 'imported'
        ? [b.module, b.name, ...rest].join('.')
        : b?.kind === 'imported-module'
          ? [b.module, ...rest].join('.')
          : undefined;
    return configuredReceiver(this.extra, receiver, importedAs);
  }

  /** Could another file of the run say what the receiver is: an imported name, or `self` of a class with a base? */
  private fromElsewhere(receiver: string, scope: PythonScope, cls: ClassInfo | null): boolean {
    const head = receiver.split('.')[0];
    if (head === 'self' || head === 'cls') return !!cls && cls.bases.length > 0;
    for (let s: PythonScope | null = scope; s; s = s.parent) {
      const list = s.bindings.get(head);
      if (list)
        return list.some((b) => (b.kind === 'imported' || b.kind === 'imported-module') && mayBeOfTheRun(b.module));
    }
    return false;
  }

  /** Module-level names and class attributes that hold the mlflow module or a client, for other files. */
  private exports(resolver: PythonResolver, module: PythonScope): ReceiverExports {
    const wants = { modules: [...resolver.wants.modules], classes: [...resolver.wants.classes] };
    const out: ReceiverExports = { names: {}, classes: {}, importsReceivers: this.importsReceivers, wants };
    const keep = (r: Resolved): 'module' | 'client' | null => (r === 'module' || r === 'client' ? r : null);
    for (const name of module.bindings.keys()) {
      const r = keep(resolver.name(name, module));
      if (r) out.names[name] = r;
    }
    for (const [name, cls] of this.classes) {
      for (const attr of new Set([...cls.attrs.keys(), ...cls.properties.keys()])) {
        const r = keep(resolver.attrOf(cls, attr));
        if (r) (out.classes[name] ??= {})[attr] = r;
      }
    }
    return out;
  }

  /** What the callers of a function in this file pass for its parameter `name`. */
  private passedIn(resolver: PythonResolver, scope: PythonScope, name: string): Resolved {
    const func = this.scopeFunc.get(scope);
    if (!func) return null;
    const index = func.params.indexOf(name) - (func.className && func.params[0] === 'self' ? 1 : 0);
    for (const caller of func.callers) {
      const args = this.nodeOf(caller)?.childForFieldName('arguments');
      const callerScope = this.callScope.get(caller);
      if (!args || !callerScope) continue;
      const named = args.namedChildren.filter((a) => a.type !== 'comment');
      const kw = named
        .find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)
        ?.childForFieldName('value');
      const positional = named.filter(
        (a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat',
      );
      const arg = kw ?? (index >= 0 ? positional[index] : undefined);
      const r = arg ? resolver.expr(arg, callerScope) : null;
      if (r) return r;
    }
    return null;
  }

  /** `self.m()`, or `obj.m()` where `obj` (or `self.obj`) holds an instance of a class defined in this file. */
  private methodTarget(call: Call, scope: PythonScope, cls: ClassInfo | null): Func | null {
    const recv = call.receiverText ?? '';
    if ((recv === 'self' || recv === 'cls') && cls) return this.methods.get(cls)?.get(call.name) ?? null;
    const parts = recv.split('.');
    let bindings: Binding[] | undefined;
    if (parts.length === 1) {
      for (let s: PythonScope | null = scope; s && !bindings; s = s.parent) bindings = s.bindings.get(recv);
    } else if (parts.length === 2 && parts[0] === 'self' && cls) bindings = cls.attrs.get(parts[1]);
    for (const b of bindings ?? []) {
      if (b.kind !== 'expr' || b.node.type !== 'call') continue;
      const made = this.classes.get(b.node.childForFieldName('function')?.text ?? '');
      const m = made && this.methods.get(made)?.get(call.name);
      if (m) return m;
    }
    return null;
  }

  private readonly callNodes = new Map<Call, SyntaxNode>();

  /** The call's syntax node: kept by the walk for tracking calls, else found again by its range. */
  private nodeOf(call: Call): SyntaxNode | null {
    const kept = this.callNodes.get(call);
    if (kept) return kept;
    let n: SyntaxNode | null = this.root?.descendantForIndex(call.range.start.offset, call.range.end.offset) ?? null;
    while (
      n &&
      !(n.type === 'call' && n.startIndex === call.range.start.offset && n.endIndex === call.range.end.offset)
    )
      n = n.parent;
    return n;
  }

  private lookupDef(name: string, scope: PythonScope): Func | null {
    let s: PythonScope | null = scope;
    while (s) {
      const f = this.defs.get(s)?.get(name);
      if (f) return f;
      if (s.bindings.has(name) && !this.defs.get(s)?.has(name)) return null;
      s = s.parent;
    }
    return null;
  }
}
