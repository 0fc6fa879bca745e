// The language-neutral model that rules read. Adapters lower syntax into it; rules never see
// syntax nodes. Offsets are UTF-16 code units (JS string indices); lines and columns are 1-based,
// columns counted in characters (code points).
import type { Expr } from './expr.js';
import type { Edit } from './fixes.js';

export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Family = 'metric' | 'param' | 'tag' | 'artifact' | 'batch' | 'run' | 'other';

/** What an MLflow call is, once its receiver has been resolved. */
interface MlflowIdentity {
  /** Normalised API name, snake_case: `log_metric`, `log_params`, `set_tag`, `log_batch`, ... */
  api: string;
  /** `fluent`: the `mlflow` module or a name imported from it; `client`: an `MlflowClient`. */
  kind: 'fluent' | 'client';
  /** How the receiver was recognised: `module` (mlflow.x), `alias` (from mlflow import x), `client`. */
  receiver: 'module' | 'alias' | 'client';
}

export interface Literal {
  kind: 'string' | 'number' | 'bool' | 'none';
  /** The value as MLflow would store it (params are compared as strings). */
  value: string;
}

export interface Arg {
  text: string;
  range: Range;
  /** The argument's shape: literal, name, call, subscript, dict, ... */
  expr: Expr;
  /** Set when the argument is a plain literal. */
  literal?: Literal;
  /** Identifiers the argument reads (for loop-variance checks). */
  names: string[];
  /** For a subscript argument (`logs[key]`): the index text. */
  index?: string;
  /** True for `*args` / `**kwargs` spreads. */
  spread?: boolean;
}

export interface Call {
  range: Range;
  /** Text of the callee expression: `mlflow.log_metric`, `self.client.log_batch`, `lm`. */
  calleeText: string;
  /** Last segment of the callee: `log_metric`. */
  name: string;
  /** Text of the receiver (`mlflow`, `self.client`), null for a bare-name call. */
  receiverText: string | null;
  mlflow: MlflowIdentity | null;
  positional: Arg[];
  keywords: Record<string, Arg>;
  /** Arguments mapped to parameter names (only for recognised MLflow calls). */
  args: Record<string, Arg>;
  /** True when the call spreads `*args`/`**kwargs`, so its arguments cannot be fully known. */
  hasSpread: boolean;
  /** The statement this call is the whole of (`mlflow.log_metric(...)` on its own line), if any. */
  statement: Statement | null;
  func: Func | null;
  /** Loops around the call inside its own function, outermost first. */
  loops: Loop[];
  /** Conditions the call runs under inside its own function, outermost first. */
  conditions: Condition[];
  /** The function defined in this file that the call invokes, when it can be resolved. */
  target: Func | null;
  /** Run scopes (`with mlflow.start_run()`) around the call inside its function, outermost first. */
  runScopes: RunScope[];
  /** A `break` or `return` follows the call in its block: it runs at most once per run of its innermost loop. */
  leavesLoop: boolean;
}

type LoopKind = 'for' | 'while' | 'comprehension' | 'callback';

interface Span {
  start: number;
  end: number;
}

export interface Loop {
  kind: LoopKind;
  range: Range;
  /** The loop header (for reporting "the loop at line N"). */
  headerText: string;
  /** The iterable (`for`), condition (`while`), bound (`for (...; i < n; ...)`) or receiver (`xs.forEach`). */
  iterable: Expr | null;
  /** Loop variables, in order (`i`, `batch`). */
  targets: string[];
  /** UTF-16 offsets of the target as written (`k, (v, it)`), the iterable, and the body (`for` statements). */
  parts?: { target: Span; iterable: Span; body: Span };
  /** A `for`/`while` with an `else:` clause (Python), which does more than its body. */
  hasElse?: boolean;
  /** Index variable from `enumerate(...)` or a `range(...)` loop variable. */
  indexVar: string | null;
  /** A counter that the loop body advances by one (`step += 1`). */
  advancedCounters: string[];
  /** Names assigned anywhere in the loop body (values that may change per iteration). */
  assignedNames: string[];
  /** Names assigned in the body from the loop variables (`child_run_id = run.info.run_id`), transitively. */
  derivedNames: string[];
  /** Calls made directly in the loop body (not in nested loops or functions). */
  calls: Call[];
  /** The loop is a dict iteration: `.items()`, `.keys()`, `zip(...)`, `.iterrows()`. */
  readonly dictIteration: boolean;
  /** The loop body is exactly one call statement (the element of a comprehension counts). */
  soleCall: Call | null;
  /** Offsets of plain run starts in the body (`mlflow.start_run()`, `client.create_run()`, not `with`). */
  runStarts: number[];
  /** Loops directly nested in this one (same function). */
  children: Loop[];
  parent: Loop | null;
}

export interface Condition {
  range: Range;
  /** The test (for `else`, `try` and `except`, null); an early exit (`if x: continue`) records `not x`. */
  test: Expr | null;
  /** A step-interval test: a modulo of a counter (`step % k == 0`), alone or combined. */
  interval: boolean;
}

export interface RunScope {
  range: Range;
}

export interface Func {
  name: string;
  className: string | null;
  params: string[];
  /** Decorator expressions (`@trainer.on(Events.ITERATION_COMPLETED(every=10))`). */
  decorators: Expr[];
  range: Range;
  /** Calls made from this function's own body (not nested functions). */
  calls: Call[];
  /** Counters the function advances by one outside loops of its own (`self.global_step += 1`). */
  advancedCounters: string[];
  /** Calls in this file that resolve to this function. */
  callers: Call[];
}

type StatementKind = 'call' | 'noop' | 'other';

export interface Statement {
  kind: StatementKind;
  call: Call | null;
  range: Range;
}

export interface Block {
  statements: Statement[];
}

export interface Comment {
  text: string;
  range: Range;
}

export interface SyntaxProblem {
  message: string;
  range: Range;
  /** The whole region the parser could not read (UTF-16 offsets), where it is wider than `range`. */
  region?: { start: number; end: number };
}

/** A name or attribute written (`lr = ...`, `opt.lr *= 0.1`, `step++`), at the offset of the write. */
export interface Assignment {
  target: string;
  offset: number;
}

/** What holds the mlflow module or an MlflowClient, for other files to resolve their receivers. */
export type ReceiverKind = 'module' | 'client';

/** One file's names and class attributes that hold a receiver (`client = MlflowClient()`, `self.client = ...`). */
export interface ReceiverExports {
  names: Record<string, ReceiverKind>;
  classes: Record<string, Record<string, ReceiverKind>>;
  /** A tracking-API call here has a receiver imported from another file, or inherited from a base class defined elsewhere. */
  importsReceivers: boolean;
  /**
   * Every module (by key) and class of other files that resolving this file's receivers looked
   * up: its findings can change with the run's receivers only if one of these has some.
   */
  wants?: { modules: string[]; classes: string[] };
}

/** The receivers of every file of one run: modules by their import name's last segment, classes by name. */
export interface ProjectReceivers {
  modules: Map<string, Record<string, ReceiverKind>>;
  classes: Map<string, Record<string, ReceiverKind>>;
}

/**
 * Receivers the analysis cannot reach, named in the `extra-receivers` setting: a receiver's text
 * (`tracker`, `self.tracking_client`) or the dotted path of what it was imported as
 * (`utils.tracking.client`), and what it stands for.
 */
export type ExtraReceivers = Readonly<Record<string, ReceiverKind>>;

/** What parsing one file may know of the rest of the run and of its configuration. */
export interface ParseContext {
  /** Receivers other files of the run define, for the ones this file imports. */
  project?: ProjectReceivers;
  extraReceivers?: ExtraReceivers;
  /** Walk every node, skipping no expression that seems to hold nothing (the soundness tests' reference). */
  walkEverything?: boolean;
}

/** An import at module level: `import time as _time`, `from mlflow import log_params as lp`. */
export interface ModuleImport {
  module: string;
  /** The imported name, for `from ... import`. */
  name?: string;
  /** The name it binds in the module. */
  local: string;
}

/** One of the imports that open a module, as an import sorter sees it. */
export interface ImportLine {
  start: number;
  end: number;
  kind: 'import' | 'from';
  /** `a.b` for `import a.b`; the module of a `from` import, dots kept (`.utils`). */
  module: string;
  /** A `from` import's names as written (`x as y`). */
  names: string[];
  /** One line with no parentheses, comment or `\`, importing one module: one a fix may rewrite. */
  plain: boolean;
  /** A blank line comes before it: it starts a section, as import sorters lay them out. */
  afterBlank: boolean;
}

/** What a fix that adds an import needs (Python). */
export interface ImportFacts {
  /** Where a new import line goes when the module opens with no imports: after the docstring and leading comments. */
  insertAt: number;
  imports: ModuleImport[];
  /** The imports that open the module, in order (after the docstring; `__future__` ones left out). */
  leading: ImportLine[];
  /** The code uses `name` as a name somewhere (strings, comments and attribute names do not count). */
  mentions(name: string): boolean;
}

export interface SourceModel {
  language: string;
  text: string;
  calls: Call[];
  /** Writes to names and attributes, in source order. */
  assignments: Assignment[];
  loops: Loop[];
  funcs: Func[];
  blocks: Block[];
  comments: Comment[];
  syntaxErrors: SyntaxProblem[];
  /** Regions no fix may touch (UTF-16 offsets): a notebook's magics. */
  untouchable?: { start: number; end: number }[];
  /** Syntax problems as the fix check counts them, when more than are reported (see countSyntaxProblems). */
  problemCount?: number;
  /** Convert a UTF-16 offset to a position. */
  position(offset: number): Position;
  /** Receivers this file defines for others (Python; empty elsewhere). */
  exports?: ReceiverExports;
  /** What the analysis had to leave out, for the user to know (not findings). */
  notes?: { message: string; at: Position }[];
  /** Read from the tree on first use (Python). */
  importFacts?: () => ImportFacts;
  /**
   * For a text with no syntax problem: true proves that this text with `edits` made (`fixed`)
   * has none either, for less than a parse of it (Python, see languages/python/fix-check.ts);
   * false means only a full count can tell.
   */
  parsesCleanAfter?: (fixed: string, edits: readonly Edit[]) => boolean;
}
