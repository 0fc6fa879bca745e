// What every adapter does the same way, whatever its syntax: ids, ranges, the lists the model is
// made of, and how calls, loops, functions, conditions, blocks and writes are recorded. Each
// adapter keeps only its syntax switch; a fact recorded here reaches both languages.
import { isIntervalTest } from '../model/conditions.js';
import type { Expr } from '../model/expr.js';
import { finishModel } from '../model/finish.js';
import { iteratesDict } from '../model/sources.js';
import { makePositioner } from '../model/position.js';
import { lineEnd, lineStart } from './lines.js';
import { MASKED } from './python/notebook-marks.js';
import type {
  Arg,
  Assignment,
  Block,
  Call,
  Comment,
  Condition,
  Func,
  Loop,
  Position,
  Range,
  RunScope,
  SourceModel,
  Statement,
  SyntaxProblem,
} from '../model/types.js';

/** Where the walk is: the function, loops, conditions and run scopes around the current node. */
export interface Place {
  func: Func | null;
  loops: Loop[];
  conditions: Condition[];
  /** `with start_run():` blocks around the node (languages without them leave it out). */
  runScopes?: RunScope[];
}

const MAX_NESTING = 300;

export interface LoopFacts {
  kind: Loop['kind'];
  /** The loop header as written (`for step, batch in enumerate(loader):`), for messages. */
  header: string;
  /** The iterable, or a function that lowers it when a rule first asks (most loops log nothing). */
  iterable: Expr | null | (() => Expr | null);
  /** Syntax alone says the loop walks a dict's keys (`for (k in obj)`). */
  overKeys?: boolean;
  targets: string[];
  indexVar: string | null;
  /** Where the header's target and iterable are written (`for` statements). */
  parts?: Loop['parts'];
  hasElse?: boolean;
}

export class ModelBuilder {
  protected readonly pos: ReturnType<typeof makePositioner>;
  protected readonly calls: Call[] = [];
  protected readonly loops: Loop[] = [];
  protected readonly funcs: Func[] = [];
  protected readonly blocks: Block[] = [];
  protected readonly comments: Comment[] = [];
  protected readonly assignments: Assignment[] = [];

  constructor(
    protected readonly path: string,
    protected readonly text: string,
  ) {
    this.pos = makePositioner(text);
  }

  /** How deep the walk is; past MAX_NESTING the code is not analysed (see `deeper`). */
  protected nesting = 0;
  private tooDeep: number | null = null;

  /**
   * Enter one more level of nesting, or refuse: the walk recurses, and code nested a few hundred
   * levels deep (a chain of 900 `.m()` calls, 2,000 nested lambdas) would exhaust the stack.
   * What is not analysed is said in the model's notes.
   */
  protected deeper(at: { startIndex: number }): boolean {
    if (this.nesting >= MAX_NESTING) {
      this.tooDeep ??= at.startIndex;
      return false;
    }
    this.nesting++;
    return true;
  }

  protected range(node: { startIndex: number; endIndex: number }): Range {
    // tree-sitter ends a comment at a CRLF's `\r`; a range never splits a line ending.
    let end = node.endIndex;
    if (end > node.startIndex && this.text.charCodeAt(end - 1) === 13 && this.text.charCodeAt(end) === 10) end--;
    return { start: this.pos(node.startIndex), end: this.pos(end) };
  }

  protected addComment(node: { startIndex: number; endIndex: number }, text: string): void {
    this.comments.push({ text: text.replace(/\r$/, ''), range: this.range(node) });
  }

  protected newCall(
    node: { startIndex: number; endIndex: number },
    callee: { text: string; name: string; receiver: string | null },
    at: Place,
  ): Call {
    const call: Call = {
      range: this.range(node),
      calleeText: callee.text.replace(/\s+/g, ''),
      name: callee.name,
      receiverText: callee.receiver === null ? null : callee.receiver.replace(/\s+/g, ''),
      mlflow: null,
      positional: [],
      keywords: {},
      args: {},
      hasSpread: false,
      statement: null,
      func: at.func,
      loops: at.loops,
      conditions: at.conditions,
      target: null,
      runScopes: at.runScopes ?? [],
      leavesLoop: false,
    };
    this.calls.push(call);
    at.func?.calls.push(call);
    return call;
  }

  protected newLoop(node: { startIndex: number; endIndex: number }, facts: LoopFacts, at: Place): Loop {
    const source = facts.iterable;
    let iterable: Expr | null | undefined = typeof source === 'function' ? undefined : source;
    let dict: boolean | undefined;
    const lowered = (): Expr | null =>
      iterable === undefined ? (iterable = (source as () => Expr | null)()) : iterable;
    const loop: Loop = {
      kind: facts.kind,
      range: this.range(node),
      headerText: facts.header.replace(/\s+/g, ' ').trim(),
      targets: facts.targets,
      indexVar: facts.indexVar,
      parts: facts.parts,
      hasElse: facts.hasElse,
      get iterable() {
        return lowered();
      },
      // A loop over `.items()`, `Object.entries(...)` or `zip(...)`, through wrappers and bindings.
      get dictIteration() {
        return dict ?? (dict = !!facts.overKeys || (facts.kind !== 'while' && iteratesDict(lowered())));
      },
      advancedCounters: [],
      assignedNames: [],
      derivedNames: [],
      calls: [],
      soleCall: null,
      runStarts: [],
      children: [],
      parent: at.loops[at.loops.length - 1] ?? null,
    };
    loop.parent?.children.push(loop);
    for (const outer of at.loops) outer.assignedNames.push(...facts.targets);
    this.loops.push(loop);
    return loop;
  }

  protected newFunc(
    node: { startIndex: number; endIndex: number },
    facts: Pick<Func, 'name' | 'className' | 'params' | 'decorators'>,
  ): Func {
    const func: Func = { ...facts, range: this.range(node), calls: [], callers: [], advancedCounters: [] };
    this.funcs.push(func);
    return func;
  }

  /**
   * A condition from its test (null for `else`, `try`, `except`), or from a function that lowers
   * it when it is first read.
   */
  protected condition(range: Range, test: Expr | null | (() => Expr)): Condition {
    if (typeof test !== 'function') return { range, test, interval: isIntervalTest(test) };
    return new LazyCondition(range, test);
  }

  /**
   * An argument, its identifiers read and its expression lowered when a rule first asks for them
   * (most calls' arguments are never read).
   */
  protected newArg(text: string, range: Range, names: () => string[], lower: () => Expr): Arg {
    return new LazyArg(text, range, names, lower);
  }

  /** The statement a call is the whole of (`mlflow.log_metric(...)` on its own line). */
  protected callStatement(call: Call, range: Range): Statement {
    const st: Statement = { kind: 'call', call, range };
    call.statement = st;
    return st;
  }

  /** Record a block's statements, for back-to-back groups. */
  protected endBlock(statements: Statement[]): Statement[] {
    this.blocks.push({ statements });
    return statements;
  }

  /** A loop body that is exactly one call statement (blank lines, `pass` and docstrings aside). */
  protected setSoleCall(loop: Loop, statements: Statement[] | null): void {
    const real = (statements ?? []).filter((s) => s.kind !== 'noop');
    if (real.length === 1 && real[0].kind === 'call') loop.soleCall = real[0].call;
  }

  /** A `break` or `return` after the calls lowered since `from`: they run at most once per run of the innermost loop. */
  protected leaving(from: number, loops: Loop[]): void {
    const loop = loops[loops.length - 1];
    if (!loop) return;
    for (let i = from; i < this.calls.length; i++)
      if (this.calls[i].loops.includes(loop)) this.calls[i].leavesLoop = true;
  }

  /**
   * A write: `names` are the plain names it binds (none for `obj.attr[k] = v`), `target` the
   * attribute it writes (`opt.lr`), `reads` the names its value reads.
   */
  protected wrote(at: number, names: string[], target: string | null, reads: string[] | null, loops: Loop[]): void {
    if (target !== null) this.assignments.push({ target: target.replace(/\s+/g, ''), offset: at });
    for (const n of names) this.assignments.push({ target: n, offset: at });
    // `child_run_id = run.info.run_id` in `for run in runs:`: the name derives from the loop variables.
    if (!reads || !names.length) return;
    for (const loop of loops) {
      if (reads.some((n) => loop.targets.includes(n) || loop.derivedNames.includes(n)))
        loop.derivedNames.push(...names);
    }
  }

  /** A counter advanced by one (`step += 1`, `step++`): the loop's, or the function's outside its loops. */
  protected advanced(counter: string, at: Place): void {
    const loop = at.loops[at.loops.length - 1];
    if (loop) loop.advancedCounters.push(counter);
    else at.func?.advancedCounters.push(counter);
  }

  /** A notebook's masked lines (see notebook-marks.ts). */
  private untouchable(): { start: number; end: number }[] | undefined {
    const out = this.comments
      .filter((c) => c.text === MASKED)
      .map((c) => ({ start: lineStart(this.text, c.range.start.offset), end: lineEnd(this.text, c.range.end.offset) }));
    return out.length ? out : undefined;
  }

  protected model(language: string, syntaxErrors: SyntaxProblem[]): SourceModel {
    return finishModel({
      language,
      text: this.text,
      calls: this.calls,
      assignments: this.assignments,
      loops: this.loops,
      funcs: this.funcs,
      blocks: this.blocks,
      comments: this.comments,
      syntaxErrors,
      position: this.pos,
      untouchable: this.untouchable(),
      notes:
        this.tooDeep === null
          ? undefined
          : [
              {
                message: `code nested more than ${MAX_NESTING} levels deep was not analysed`,
                at: this.pos(this.tooDeep),
              },
            ],
    });
  }
}

// Lazily lowered parts of the model, as classes: one closure each, and getters on the prototype.
class LazyCondition implements Condition {
  private lowered: Expr | null | undefined;
  private known: boolean | undefined;

  constructor(
    readonly range: Range,
    private readonly lower: () => Expr,
  ) {}

  get test(): Expr | null {
    return this.lowered === undefined ? (this.lowered = this.lower()) : this.lowered;
  }

  get interval(): boolean {
    return this.known ?? (this.known = isIntervalTest(this.test));
  }

  set interval(v: boolean) {
    this.known = v;
  }
}

class LazyArg implements Arg {
  private lowered: Expr | undefined;
  private read: string[] | undefined;

  constructor(
    readonly text: string,
    readonly range: Range,
    private readonly namesOf: () => string[],
    private readonly lower: () => Expr,
  ) {}

  get names(): string[] {
    return this.read ?? (this.read = this.namesOf());
  }

  get expr(): Expr {
    return this.lowered ?? (this.lowered = this.lower());
  }
}

/** A file of which only the syntax is read: its problems, and nothing lowered. */
function syntaxOnlyModel(
  language: string,
  text: string,
  syntaxErrors: SyntaxProblem[],
  problemCount: number,
  position: (offset: number) => Position,
): SourceModel {
  return {
    language,
    text,
    calls: [],
    assignments: [],
    loops: [],
    funcs: [],
    blocks: [],
    comments: [],
    position,
    syntaxErrors,
    problemCount,
  };
}

/** A file too deep for the parser: its one problem, and nothing else analysed. */
export function unparsedModel(
  language: string,
  text: string,
  problem: { message: string; start: number; end: number },
): SourceModel {
  const position = makePositioner(text);
  const error = { message: problem.message, range: { start: position(problem.start), end: position(problem.end) } };
  return syntaxOnlyModel(language, text, [error], 1, position);
}
