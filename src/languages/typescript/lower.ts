// tree-sitter-typescript (typescript and tsx grammars) → model. The same model as Python: loops
// (`for`, `for...of`/`in`, `while`, `do`, and `forEach`/`map`/`reduce` callbacks), step-interval
// guards, functions and classes, and calls with a resolved MLflow identity and named arguments.
import type { SyntaxNode, Tree, TreeCursor } from 'tree-sitter';
import { apiOfRestEndpoint, apiOfTypescriptName, restEndpoints } from '../../model/catalogue.js';
import { isIntervalTest } from '../../model/conditions.js';
import type { Expr } from '../../model/expr.js';
import { isKnownApi, mapArguments } from '../../model/mlflow.js';
import type {
  Arg,
  Call,
  Condition,
  ExtraReceivers,
  Func,
  Loop,
  Range,
  SourceModel,
  Statement,
} from '../../model/types.js';
import { bindingClock, boundBy } from '../bindings.js';
import { ModelBuilder } from '../builder.js';
import { descendTo, ENTER, fieldOf, SKIP, TAKE, typeOf } from '../cursor.js';
import { collectSyntaxErrors } from '../errors.js';
import { configuredReceiver } from '../receivers.js';
import { identifiersOf, lowerTsExpr, tsLiteral as literal } from './expr.js';
import { CLIENT_PACKAGES, isClientClassName, TypeScriptResolver, TypeScriptScope, type TsClass } from './scope.js';

interface Enclosing {
  scope: TypeScriptScope;
  func: Func | null;
  cls: TsClass | null;
  loops: Loop[];
  conditions: Condition[];
}

const REST_URL = new RegExp(`/mlflow/runs/(${restEndpoints().join('|')})['"\`]$`);
const CALLBACK_LOOPS = /^(forEach|map|flatMap|reduce|filter|some|every|find)$/;
const FUNCTIONS = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'function',
]);
const HANDLED = new Set([
  'comment',
  'statement_block',
  'class_declaration',
  'class',
  'for_statement',
  'for_in_statement',
  'while_statement',
  'do_statement',
  'if_statement',
  'try_statement',
  'call_expression',
  'import_statement',
  'variable_declarator',
  'assignment_expression',
  'augmented_assignment_expression',
  'update_expression',
  'public_field_definition',
  ...FUNCTIONS,
]);

interface Spanned {
  type: string;
  start: number;
  end: number;
  /** For an `await`, its first named child. */
  awaited?: Spanned | null;
}

/** The first named child that is no comment, read through the cursor (which ends where it started). */
function firstNamed(cursor: TreeCursor, skipComments: boolean): Spanned | null {
  if (!cursor.gotoFirstChild()) return null;
  let found: Spanned | null = null;
  do {
    if (!cursor.nodeIsNamed) continue;
    const type = typeOf(cursor);
    if (skipComments && type === 'comment') continue;
    found = { type, start: cursor.startIndex, end: cursor.endIndex };
    if (type === 'await_expression') found.awaited = firstNamed(cursor, false);
  } while (!found && cursor.gotoNextSibling());
  cursor.gotoParent();
  return found;
}

/** What `statement` needs of the statement at the cursor, read before it is visited. */
interface StatementFacts {
  type: string;
  range: Range;
  /** An expression statement's expression (and an awaited one's operand). */
  expr: Spanned | null;
}

const camelToSnake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function lowerTypescript(path: string, text: string, tree: Tree, extra?: ExtraReceivers): SourceModel {
  return new TypeScriptLowerer(path, text, extra).run(tree);
}

class TypeScriptLowerer extends ModelBuilder {
  constructor(
    path: string,
    text: string,
    private readonly extra?: ExtraReceivers,
  ) {
    super(path, text);
  }

  private readonly pending: { call: Call; node: SyntaxNode; scope: TypeScriptScope }[] = [];
  private readonly defs = new Map<TypeScriptScope, Map<string, Func>>();
  private readonly methods = new Map<TsClass, Map<string, Func>>();
  private readonly callbackLoops = new Map<number, Loop>();

  run(tree: Tree): SourceModel {
    const scope = new TypeScriptScope(null, null);
    this.block(tree.walk(), { scope, func: null, cls: null, loops: [], conditions: [] });
    const syntaxErrors = tree.rootNode.hasError ? collectSyntaxErrors(tree.rootNode, (n) => this.range(n)) : [];
    this.resolve();
    return this.model('typescript', syntaxErrors);
  }

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

  private block(cursor: TreeCursor, ctx: Enclosing): Statement[] {
    const statements: Statement[] = [];
    let c = ctx;
    const first = this.calls.length;
    if (cursor.gotoFirstChild()) {
      do {
        const type = typeOf(cursor);
        if (type === 'comment') {
          this.addComment(cursor, cursor.nodeText);
          continue;
        }
        if (!cursor.nodeIsNamed) continue;
        if (type === 'break_statement' || type === 'return_statement') this.leaving(first, ctx.loops);
        const facts = this.factsAt(cursor, type);
        // Only an `if` is looked at again (as an early exit): no other statement is made a node.
        const ifNode = type === 'if_statement' ? cursor.currentNode : null;
        const before = this.calls.length;
        this.visit(cursor, c);
        statements.push(this.statement(facts, before));
        const guard = ifNode ? this.earlyExit(ifNode, c) : null;
        if (guard) c = { ...c, conditions: [...c.conditions, guard] };
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return this.endBlock(statements);
  }

  private factsAt(cursor: TreeCursor, type: string): StatementFacts {
    return {
      type,
      range: this.range(cursor),
      expr: type === 'expression_statement' ? firstNamed(cursor, true) : null,
    };
  }

  private statement({ type, range, expr }: StatementFacts, before: number): Statement {
    if (type === 'empty_statement') return { kind: 'noop', call: null, range };
    if (type === 'expression_statement') {
      if (expr?.type === 'string') return { kind: 'noop', call: null, range };
      const call = this.calls[before];
      const inner = expr?.type === 'await_expression' ? expr.awaited : expr;
      if (
        inner?.type === 'call_expression' &&
        call &&
        call.range.start.offset === inner.start &&
        call.range.end.offset === inner.end
      ) {
        return this.callStatement(call, range);
      }
    }
    return { kind: 'other', call: null, range };
  }

  /** `if (step % k !== 0) continue;` guards the rest of its block. */
  private earlyExit(node: SyntaxNode, ctx: Enclosing): Condition | null {
    if (node.type !== 'if_statement' || node.childForFieldName('alternative')) return null;
    const cons = node.childForFieldName('consequence');
    const cond = node.childForFieldName('condition');
    const only =
      cons?.type === 'statement_block' ? (cons.namedChildren.length === 1 ? cons.namedChildren[0] : null) : cons;
    if (!cond || !only || !/^(continue|return)_statement$/.test(only.type)) return null;
    const test: Expr = { kind: 'not', text: `!${cond.text}`, operand: this.expr(cond, ctx) };
    return isIntervalTest(test) ? this.condition(this.range(node), test) : null;
  }

  private visit(cursor: TreeCursor, ctx: Enclosing): void {
    if (!this.deeper(cursor)) return;
    this.visitNode(cursor, ctx);
    this.nesting--;
  }

  private visitNode(cursor: TreeCursor, ctx: Enclosing): void {
    const t = typeOf(cursor);
    if (t === 'comment') {
      this.addComment(cursor, cursor.nodeText);
      return;
    }
    if (t === 'statement_block' || t === 'program') {
      this.block(cursor, ctx);
      return;
    }
    if (FUNCTIONS.has(t)) return this.func(cursor.currentNode, cursor, ctx, this.callbackLoops.get(cursor.startIndex));
    switch (t) {
      case 'class_declaration':
      case 'class':
        return this.classDef(cursor, ctx);
      case 'for_statement':
      case 'for_in_statement':
      case 'while_statement':
      case 'do_statement':
        return this.loop(cursor, ctx);
      case 'if_statement':
        return this.ifStatement(cursor, ctx);
      case 'try_statement':
        return this.tryStatement(cursor, ctx);
      case 'call_expression':
        return this.call(cursor, ctx);
      case 'import_statement':
        this.importStatement(cursor.currentNode, ctx);
        return;
      case 'variable_declarator':
      case 'assignment_expression':
      case 'public_field_definition':
        this.binding(cursor.currentNode, ctx);
        this.children(cursor, ctx);
        return;
      case 'augmented_assignment_expression':
      case 'update_expression':
        this.counter(cursor.currentNode, ctx);
        this.children(cursor, ctx);
        return;
      default:
        this.descend(cursor, ctx);
    }
  }

  private descend(cursor: TreeCursor, ctx: Enclosing): void {
    descendTo(
      cursor,
      (c) => {
        if (!c.nodeIsNamed) return SKIP;
        const type = typeOf(c);
        return HANDLED.has(type) ? TAKE : type === 'string' ? SKIP : ENTER;
      },
      () => this.visit(cursor, ctx),
    );
  }

  // ---- definitions ---------------------------------------------------------------------------

  private funcName(node: SyntaxNode): string {
    const own = node.childForFieldName('name')?.text;
    if (own) return own;
    const p = node.parent;
    if (p?.type === 'variable_declarator') return p.childForFieldName('name')?.text ?? '<anonymous>';
    if (p?.type === 'pair') return p.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') ?? '<anonymous>';
    if (p?.type === 'assignment_expression') return p.childForFieldName('left')?.text.split('.').pop() ?? '<anonymous>';
    return '<anonymous>';
  }

  private paramsOf(node: SyntaxNode, scope: TypeScriptScope): string[] {
    const params: string[] = [];
    const list = node.childForFieldName('parameters') ?? node.childForFieldName('parameter');
    if (!list) return params;
    const items = list.type === 'identifier' ? [list] : list.namedChildren;
    for (const p of items) {
      const id = p.type === 'identifier' ? p : p.childForFieldName('pattern');
      if (!id) continue;
      for (const n of identifiersOf(id)) {
        params.push(n);
        const ann = p.childForFieldName('type')?.text;
        scope.bind(n, ann ? { kind: 'typed', annotation: ann } : { kind: 'other' });
      }
    }
    return params;
  }

  private func(node: SyntaxNode, cursor: TreeCursor, ctx: Enclosing, loop?: Loop): void {
    const scope = new TypeScriptScope(ctx.scope, null);
    const params = this.paramsOf(node, scope);
    if (loop) {
      // A callback of `xs.forEach(...)` is the body of a loop in the enclosing function.
      loop.targets.push(...params);
      const inner: Enclosing = { ...ctx, scope, loops: [...ctx.loops, loop] };
      this.children(cursor, ctx, (field) => (field === 'body' ? inner : ctx));
      return;
    }
    const name = this.funcName(node);
    const method = node.type === 'method_definition' && ctx.cls;
    const func = this.newFunc(node, { name, className: method ? ctx.cls!.name : null, params, decorators: [] });
    if (method) {
      let m = this.methods.get(ctx.cls!);
      if (!m) this.methods.set(ctx.cls!, (m = new Map()));
      m.set(name, func);
    } else if (name !== '<anonymous>') {
      let d = this.defs.get(ctx.scope);
      if (!d) this.defs.set(ctx.scope, (d = new Map()));
      d.set(name, func);
    }
    const inner: Enclosing = { scope, func, cls: ctx.cls, loops: [], conditions: [] };
    this.children(cursor, ctx, (field) => (field === 'body' ? inner : ctx));
  }

  private classDef(cursor: TreeCursor, ctx: Enclosing): void {
    const node = cursor.currentNode;
    const cls: TsClass = { name: node.childForFieldName('name')?.text ?? '<class>', fields: new Map() };
    const inner: Enclosing = { ...ctx, scope: new TypeScriptScope(ctx.scope, cls), cls, loops: [], conditions: [] };
    this.children(cursor, ctx, (field) => (field === 'body' ? inner : ctx));
  }

  // ---- loops ---------------------------------------------------------------------------------

  private tsLoop(
    node: SyntaxNode,
    kind: Loop['kind'],
    iterable: SyntaxNode | null,
    targets: string[],
    ctx: Enclosing,
    header: string,
    expr?: Expr,
    overKeys = false,
  ): Loop {
    const mark = bindingClock();
    return this.newLoop(
      node,
      {
        kind,
        header,
        targets,
        indexVar: null,
        overKeys,
        iterable: expr ?? (iterable ? () => this.expr(iterable, ctx, mark) : null),
      },
      ctx,
    );
  }

  private loop(cursor: TreeCursor, ctx: Enclosing): void {
    const node = cursor.currentNode;
    const body = node.childForFieldName('body');
    const header = this.text.slice(node.startIndex, body?.startIndex ?? node.endIndex);
    let loop: Loop;
    if (node.type === 'for_statement') {
      const init = node.childForFieldName('initializer');
      const targets = init
        ? init
            .descendantsOfType('variable_declarator')
            .map((d) => d.childForFieldName('name')?.text ?? '')
            .filter(Boolean)
        : [];
      const cond = node.childForFieldName('condition');
      loop = this.tsLoop(
        node,
        'for',
        cond,
        targets,
        ctx,
        header,
        cond ? this.countedFor(cond, targets, ctx) : undefined,
      );
      loop.indexVar = targets[0] ?? null;
      const inc = node.childForFieldName('increment');
      if (inc) loop.advancedCounters.push(...identifiersOf(inc).slice(0, 1));
    } else if (node.type === 'for_in_statement') {
      const right = node.childForFieldName('right');
      const left = node.childForFieldName('left');
      // `for (k in obj)`: the keys of an object; `Object.entries(...)` is found by the model.
      loop = this.tsLoop(
        node,
        'for',
        right,
        left ? identifiersOf(left) : [],
        ctx,
        header,
        undefined,
        node.children.some((c) => c.type === 'in'),
      );
    } else {
      loop = this.tsLoop(node, 'while', node.childForFieldName('condition'), [], ctx, header);
    }
    const inner: Enclosing = { ...ctx, loops: [...ctx.loops, loop] };
    let stmts: Statement[] | null = null;
    if (cursor.gotoFirstChild()) {
      do {
        if (fieldOf(cursor) === 'body') {
          if (typeOf(cursor) === 'statement_block') stmts = this.block(cursor, inner);
          else {
            const facts = this.factsAt(cursor, typeOf(cursor));
            const before = this.calls.length;
            this.visit(cursor, inner);
            stmts = [this.statement(facts, before)];
          }
        } else this.visit(cursor, ctx);
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    this.setSoleCall(loop, stmts);
  }

  // ---- conditions ----------------------------------------------------------------------------

  /** An expression as the model sees it, names followed to what they were last bound to. */
  private expr(node: SyntaxNode, ctx: Enclosing, mark = bindingClock()): Expr {
    return lowerTsExpr(node, (name, seen) => {
      for (let sc: TypeScriptScope | null = ctx.scope; sc; sc = sc.parent) {
        const list = sc.bindings.get(name)?.filter((b) => boundBy(b, mark));
        if (!list?.length) continue;
        const last = list[list.length - 1];
        return last.kind === 'expr' && !seen.has(last.node) ? last.node : null;
      }
      return null;
    });
  }

  /** `for (let i = 0; i < n; i++)` counts to `n`: the model reads it as `range(n)`. */
  private countedFor(cond: SyntaxNode, targets: string[], ctx: Enclosing): Expr {
    const test = this.expr(cond, ctx);
    if (
      test.kind === 'binary' &&
      (test.op === '<' || test.op === '<=') &&
      test.left.kind === 'name' &&
      targets.includes(test.left.name)
    ) {
      return {
        kind: 'call',
        text: test.text,
        callee: { kind: 'name', text: 'range', name: 'range' },
        args: [test.right],
        keywords: {},
      };
    }
    return test;
  }

  /** Conditions are lowered when first read: most guard no call that any rule asks about. */
  private test(test: SyntaxNode | null, at: SyntaxNode, ctx: Enclosing): Condition {
    const mark = bindingClock();
    return this.condition(this.range(test ?? at), test ? () => this.expr(test, ctx, mark) : null);
  }

  private ifStatement(cursor: TreeCursor, ctx: Enclosing): void {
    const node = cursor.currentNode;
    const cond = node.childForFieldName('condition');
    const under = (c: SyntaxNode | null): Enclosing => ({
      ...ctx,
      conditions: [...ctx.conditions, this.test(c, node, ctx)],
    });
    const cons = under(cond);
    const alt = under(null);
    this.children(cursor, ctx, (field) => (field === 'consequence' ? cons : field === 'alternative' ? alt : ctx));
  }

  private tryStatement(cursor: TreeCursor, ctx: Enclosing): void {
    const node = cursor.currentNode;
    const tried: Enclosing = { ...ctx, conditions: [...ctx.conditions, this.condition(this.range(node), null)] };
    const caught: Enclosing = { ...ctx, conditions: [...ctx.conditions, this.condition(this.range(node), null)] };
    this.children(cursor, ctx, (field) => (field === 'body' ? tried : field === 'handler' ? caught : ctx));
  }

  // ---- calls ---------------------------------------------------------------------------------

  private call(cursor: TreeCursor, ctx: Enclosing): void {
    const node = cursor.currentNode;
    const fn = node.childForFieldName('function');
    const isMember = fn?.type === 'member_expression';
    const name = isMember ? (fn.childForFieldName('property')?.text ?? '') : (fn?.text ?? '');
    const receiver = isMember ? fn.childForFieldName('object') : null;
    const call = this.newCall(node, { text: fn?.text ?? '', name, receiver: receiver ? receiver.text : null }, ctx);
    this.pending.push({ call, node, scope: ctx.scope });
    const args = node.childForFieldName('arguments');
    const callback =
      isMember && CALLBACK_LOOPS.test(name) ? args?.namedChildren.find((a) => FUNCTIONS.has(a.type)) : undefined;
    if (!callback) {
      this.children(cursor, ctx);
      return;
    }
    // The callback's calls run once per element: visit() walks it as the body of this loop.
    const loop = this.tsLoop(callback, 'callback', receiver, [], ctx, `${receiver?.text ?? ''}.${name}(...)`);
    this.callbackLoops.set(callback.startIndex, loop);
    const before = this.calls.length;
    this.children(cursor, ctx);
    if (name === 'forEach' || name === 'map') loop.indexVar = loop.targets[1] ?? null;
    const body = callback.childForFieldName('body');
    // Only the calls made inside this one can be its body: searching all of them was quadratic.
    const at = body?.type === 'call_expression' ? body.startIndex : -1;
    const only = at >= 0 ? this.calls.slice(before).find((x) => x.range.start.offset === at) : null;
    if (only) loop.soleCall = only;
    else if (body?.type === 'statement_block')
      this.setSoleCall(loop, this.blocks[this.blocks.length - 1]?.statements ?? null);
  }

  private arg(node: SyntaxNode): Arg {
    const arg = this.newArg(
      node.text,
      this.range(node),
      () => identifiersOf(node),
      () => lowerTsExpr(node),
    );
    const lit = literal(node);
    if (lit) arg.literal = lit;
    if (node.type === 'subscript_expression') {
      const index = node.childForFieldName('index');
      if (index) arg.index = index.text;
    }
    return arg;
  }

  /** Positional arguments, or the properties of a single object argument (`logMetric({ run_id, key, value })`). */
  private lowerArguments(call: Call, args: SyntaxNode[]): void {
    if (args.length === 1 && args[0].type === 'object') {
      for (const p of args[0].namedChildren) {
        if (p.type === 'pair') {
          const key = p.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '');
          const value = p.childForFieldName('value');
          if (key && value) call.keywords[camelToSnake(key)] = this.arg(value);
        } else if (p.type === 'shorthand_property_identifier') call.keywords[camelToSnake(p.text)] = this.arg(p);
        else if (p.type === 'spread_element') call.hasSpread = true;
      }
      return;
    }
    for (const a of args) {
      if (a.type === 'comment') continue;
      if (a.type === 'spread_element') {
        call.hasSpread = true;
        call.positional.push(Object.assign(this.arg(a), { spread: true }));
      } else call.positional.push(this.arg(a));
    }
  }

  // ---- bindings ------------------------------------------------------------------------------

  private importStatement(node: SyntaxNode, ctx: Enclosing): void {
    const source = node.childForFieldName('source')?.text.slice(1, -1) ?? '';
    const fromClient = CLIENT_PACKAGES.test(source);
    const clause = node.namedChildren.find((c) => c.type === 'import_clause');
    if (!clause) return;
    for (const c of clause.namedChildren) {
      if (c.type === 'identifier') ctx.scope.bind(c.text, fromClient ? { kind: 'client-class' } : { kind: 'other' });
      else if (c.type === 'namespace_import') {
        const id = c.namedChildren.find((x) => x.type === 'identifier');
        if (id) ctx.scope.bind(id.text, fromClient ? { kind: 'client-module' } : { kind: 'other' });
      } else if (c.type === 'named_imports') {
        for (const s of c.namedChildren.filter((x) => x.type === 'import_specifier')) {
          const original = s.childForFieldName('name')?.text ?? '';
          const local = s.childForFieldName('alias')?.text ?? original;
          ctx.scope.bind(
            local,
            fromClient && (isClientClassName(original) || original === 'default')
              ? { kind: 'client-class' }
              : { kind: 'other' },
          );
        }
      }
    }
  }

  private binding(node: SyntaxNode, ctx: Enclosing): void {
    const left = node.childForFieldName(node.type === 'assignment_expression' ? 'left' : 'name');
    const value = node.childForFieldName(node.type === 'assignment_expression' ? 'right' : 'value');
    if (!left) return;
    const names = identifiersOf(left);
    const plain = left.type !== 'member_expression' && left.type !== 'subscript_expression';
    this.wrote(
      left.startIndex,
      plain ? names : [],
      left.type === 'member_expression' ? left.text : null,
      value && ctx.loops.some((l) => l.targets.length > 0) ? identifiersOf(value) : null,
      ctx.loops,
    );
    for (const l of ctx.loops) l.assignedNames.push(...names);
    if (node.type === 'public_field_definition') {
      if (ctx.cls && value) this.field(ctx.cls, left.text, { kind: 'expr', node: value, scope: ctx.scope });
      return;
    }
    if (left.type === 'identifier') {
      const ann = node.childForFieldName('type')?.text;
      if (ann) ctx.scope.bind(left.text, { kind: 'typed', annotation: ann });
      ctx.scope.bind(left.text, value ? { kind: 'expr', node: value, scope: ctx.scope } : { kind: 'other' });
      return;
    }
    if (left.type === 'member_expression' && left.childForFieldName('object')?.type === 'this' && ctx.cls && value) {
      this.field(ctx.cls, left.childForFieldName('property')?.text ?? '', {
        kind: 'expr',
        node: value,
        scope: ctx.scope,
      });
      return;
    }
    // `const { MLflow } = require('mlflow')`.
    const fromClient =
      value?.type === 'call_expression' &&
      value.childForFieldName('function')?.text === 'require' &&
      CLIENT_PACKAGES.test(value.childForFieldName('arguments')?.namedChildren[0]?.text.slice(1, -1) ?? '');
    if (left.type === 'object_pattern') {
      for (const p of left.namedChildren) {
        const key = p.type === 'pair_pattern' ? p.childForFieldName('key')?.text : p.text;
        const local = p.type === 'pair_pattern' ? p.childForFieldName('value')?.text : p.text;
        if (local)
          ctx.scope.bind(
            local,
            fromClient && key && isClientClassName(key) ? { kind: 'client-class' } : { kind: 'other' },
          );
      }
      return;
    }
    for (const n of identifiersOf(left)) ctx.scope.bind(n, { kind: 'other' });
  }

  private field(cls: TsClass, name: string, b: import('./scope.js').TsBinding): void {
    const list = cls.fields.get(name) ?? [];
    list.push(b);
    cls.fields.set(name, list);
  }

  private counter(node: SyntaxNode, ctx: Enclosing): void {
    const target = node.childForFieldName(node.type === 'update_expression' ? 'argument' : 'left');
    if (!target) return;
    const names = identifiersOf(target);
    const member = target.type === 'member_expression';
    this.wrote(
      target.startIndex,
      member || target.type === 'subscript_expression' ? [] : names,
      member ? target.text : null,
      null,
      ctx.loops,
    );
    for (const l of ctx.loops) l.assignedNames.push(...names);
    const op =
      node.type === 'update_expression'
        ? node.text.replace(target.text, '').trim()
        : node.childForFieldName('operator')?.text;
    if (op === '++' || op === '+=') this.advanced(target.text.replace(/^this\./, ''), ctx);
  }

  // ---- after the walk ------------------------------------------------------------------------

  private resolve(): void {
    const resolver = new TypeScriptResolver();
    for (const { call, node, scope } of this.pending) {
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      const rest = restApi(call, args);
      const api = rest ?? apiOfTypescriptName(call.name)?.api;
      if (rest) {
        call.mlflow = { api: rest, kind: 'client', receiver: 'client' };
        const body = restBody(call.name, args);
        if (body) this.lowerArguments(call, [body]);
      } else if (api && call.receiverText !== null && isKnownApi(api, 'client')) {
        const obj = node.childForFieldName('function')?.childForFieldName('object');
        // The JS API has no module-level logging: a configured receiver stands for a client here.
        if (
          obj &&
          (resolver.expr(obj, scope) === 'client' || configuredReceiver(this.extra, obj.text.replace(/\s+/g, '')))
        ) {
          call.mlflow = { api, kind: 'client', receiver: 'client' };
          this.lowerArguments(
            call,
            args.filter((a) => a.type !== 'comment'),
          );
        }
      }
      if (call.mlflow) call.args = mapArguments(call.mlflow.api, 'client', call.positional, call.keywords);
      else if (call.receiverText === null) call.target = this.lookupDef(call.name, scope);
      else if (call.receiverText === 'this') {
        let s: TypeScriptScope | null = scope;
        while (s && !s.cls) s = s.parent;
        call.target = s?.cls ? (this.methods.get(s.cls)?.get(call.name) ?? null) : null;
      }
      call.target?.callers.push(call);
    }
    for (const call of this.calls) {
      const loop = call.loops[call.loops.length - 1];
      if (!loop) continue;
      if (call.mlflow?.api === 'create_run') loop.runStarts.push(call.range.start.offset);
    }
  }

  private lookupDef(name: string, scope: TypeScriptScope): Func | null {
    for (let s: TypeScriptScope | null = scope; s; s = s.parent) {
      const f = this.defs.get(s)?.get(name);
      if (f) return f;
    }
    return null;
  }
}

/** `fetch(`${base}/api/2.0/mlflow/runs/log-metric`, ...)`, `axios.post(url, body)`. */
function restApi(call: Call, args: SyntaxNode[]): string | null {
  if (
    !(call.name === 'fetch' && call.receiverText === null) &&
    !(/^(post|put|request)$/.test(call.name) && call.receiverText !== null)
  )
    return null;
  const url = args[0];
  if (!url || !/^(string|template_string)$/.test(url.type)) return null;
  const m = REST_URL.exec(url.text);
  return m ? (apiOfRestEndpoint(m[1])?.api ?? null) : null;
}

/** The request body as an object literal: `axios.post(url, {...})` or `fetch(url, { body: JSON.stringify({...}) })`. */
function restBody(name: string, args: SyntaxNode[]): SyntaxNode | null {
  const second = args[1];
  if (!second || second.type !== 'object') return null;
  if (name !== 'fetch') return second;
  const body = second.namedChildren
    .find((p) => p.type === 'pair' && p.childForFieldName('key')?.text === 'body')
    ?.childForFieldName('value');
  const inner =
    body?.type === 'call_expression' && body.childForFieldName('function')?.text === 'JSON.stringify'
      ? body.childForFieldName('arguments')?.namedChildren[0]
      : null;
  return inner?.type === 'object' ? inner : null;
}
