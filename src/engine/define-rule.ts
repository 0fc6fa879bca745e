// The rule API, in Biome's shape: `run` finds a state per site, `message` says the problem,
// `fix.intent` says what to rewrite. The model answers questions; rules build their findings.
import type { FixIntent, FixSafety, Impact } from '../model/fixes.js';
import type { LoopOptions } from '../model/loops.js';
import type { CallGroup } from '../model/groups.js';
import type { Call, Range, SourceModel } from '../model/types.js';
import type { SettingName } from './settings.js';
import type { UnusedSuppression } from './suppressions.js';

export { code, prose } from './dedent.js';
// What the linter's own rules (unused-noqa) read of the suppressions.
export { parseNoqa, type NoqaDirective } from './noqa.js';
export type { UnusedSuppression } from './suppressions.js';

export interface Related {
  range: Range;
  message: string;
}

export type Severity = 'error' | 'warning' | 'info';

interface RuleExample {
  lang: 'python' | 'typescript';
  bad: string;
  good: string;
}

interface RuleDocs {
  /** What it does. */
  what: string;
  /** Why is this bad? */
  why: string;
  examples: RuleExample[];
  /** Fix safety: required once the rule has a fix. */
  fixSafety?: string;
  /** How the rule estimates tracking requests saved. */
  impact?: string;
}

export interface QueryItems {
  call: Call;
  file: SourceModel;
}

export interface RuleOptions extends LoopOptions {
  /** The interval a step-interval fix writes (`log-every`, default 100). */
  logEvery: number;
}

export interface RuleContext {
  model: SourceModel;
  options: RuleOptions;
  /** The back-to-back group the call belongs to, if any. */
  groupOf(call: Call): CallGroup | null;
  /** `noqa` directives that silenced nothing so far (for a rule that runs `last`). */
  unusedSuppressions(): UnusedSuppression[];
}

/** What every state names: where the finding goes (a call, or a range such as a comment's). */
export interface Site {
  at: Call | Range;
}

interface FixDefinition<S> {
  /** The fix's safety; `unsafeWhen` names the findings where a safe fix is not (the docs say why). */
  safety: FixSafety;
  unsafeWhen?(state: S): boolean;
  /** The fix message, imperative as Ruff's fix titles: "Merge into one `log_metrics` call". */
  title(state: S, ctx: RuleContext): string;
  /** What to rewrite for this finding, or null when it has no fix. */
  intent(state: S, ctx: RuleContext): FixIntent | null;
  /** The languages the fix is written for, when fewer than the rule's (its docs say why). */
  languages?: string[];
}

/** A site two rules would report: the rule that yields stays silent there when `when` holds. */
interface Precedence<S> {
  yieldsTo: string[];
  when?(state: S): boolean;
}

export interface RuleDefinition<Q extends keyof QueryItems = keyof QueryItems, S extends Site = Site> {
  code: string;
  name: string;
  severity: Severity;
  languages: string[];
  /** One line: the problem, used in rule lists and SARIF shortDescription. */
  summary: string;
  /** Which model items the engine hands to `run`. */
  query: Q;
  /** The settings the rule reads beyond `extra-receivers` (see settings.ts). */
  settings?: readonly SettingName[];
  /** Reads what the other rules' findings did (which suppressions they used): runs after them. */
  last?: boolean;
  /** `noqa` cannot silence it (a syntax error is not an opinion). */
  unsuppressible?: boolean;
  /** Rules that report a site, more specifically, when this one would too. */
  precedence?: Precedence<S>;
  docs: RuleDocs;
  /** The finding's state at this item (one for a call; any number for a file), or null. */
  run(ctx: RuleContext, item: QueryItems[Q]): S | readonly S[] | null;
  /** The problem, short enough for one terminal line. */
  message(state: S, ctx: RuleContext): string;
  /** What to do, where the fix's title does not say it (there is no fix, or it cannot be written). */
  help?(state: S, ctx: RuleContext): string | null;
  /** Tracking requests the site makes, and what the fix leaves (dropped when no fix is made). */
  impact?(state: S, ctx: RuleContext): Impact;
  /** Other places the finding involves (the loop that repeats the call, an earlier write). */
  related?(state: S, ctx: RuleContext): Related[];
  fix?: FixDefinition<S>;
}

export function defineRule<Q extends keyof QueryItems, S extends Site>(
  rule: RuleDefinition<Q, S>,
): RuleDefinition<Q, S> {
  return rule;
}

// Each rule's state type is its own; the engine only reads `at`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = RuleDefinition<'call', any> | RuleDefinition<'file', any>;
