import type { FixRequest, Impact } from '../model/fixes.js';
import type { LoopOptions } from '../model/loops.js';
import type { CallGroup } from '../model/groups.js';
import type { Call, Range, SourceModel } from '../model/types.js';

export interface Related {
  range: Range;
  message: string;
}
import type { SettingName } from './settings.js';
import type { UnusedSuppression } from './suppressions.js';

export type Severity = 'error' | 'warning' | 'info';

export interface RuleExample {
  lang: 'python' | 'typescript';
  bad: string;
  good: string;
}

export interface RuleDocs {
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

export interface FixMeta {
  safety: 'safe' | 'unsafe';
  title: string;
  /** The languages the fix is written for, when fewer than the rule's (its docs say why). */
  languages?: string[];
}

export interface QueryItems {
  call: Call;
  file: SourceModel;
}

export interface ReportOptions {
  /** Where the finding goes; defaults to the call's range. */
  range?: Range;
  fix?: FixRequest | null;
  /** What to do, said under the code frame when there is no fix (the fix's title is said otherwise). */
  help?: string;
  impact?: Impact;
  /** Other places the finding involves (the loop that repeats the call, an earlier write). */
  related?: Related[];
}

export interface RuleOptions extends LoopOptions {
  /** The interval a step-interval fix writes (`log-every`, default 100). */
  logEvery: number;
}

export interface RuleContext {
  model: SourceModel;
  options: RuleOptions;
  report(at: Call | Range, message: string, opts?: ReportOptions): void;
  /** The back-to-back group the call belongs to, if any. */
  groupOf(call: Call): CallGroup | null;
  /** `noqa` directives that silenced nothing so far (for a rule that runs `last`). */
  unusedSuppressions(): UnusedSuppression[];
}

export interface RuleDefinition<Q extends keyof QueryItems = keyof QueryItems> {
  code: string;
  name: string;
  severity: Severity;
  languages: string[];
  /** One line: the problem, used in rule lists and SARIF shortDescription. */
  summary: string;
  /** Which model items the engine hands to `check`. */
  query: Q;
  fix?: FixMeta;
  /** The settings the rule reads beyond `extra-receivers` (see settings.ts). */
  settings?: readonly SettingName[];
  /** Reads what the other rules' findings did (which suppressions they used): runs after them. */
  last?: boolean;
  docs: RuleDocs;
  check(ctx: RuleContext, item: QueryItems[Q]): void;
}

export function defineRule<Q extends keyof QueryItems>(rule: RuleDefinition<Q>): RuleDefinition<Q> {
  return rule;
}

export type AnyRule = RuleDefinition<'call'> | RuleDefinition<'file'>;
