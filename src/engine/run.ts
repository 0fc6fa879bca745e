// One run per file: dispatch each rule on the items its query declares, collect findings,
// apply suppressions.
import type { Edit, Fix, FixIntent, Impact } from '../model/fixes.js';
import { backToBackGroups, type CallGroup } from '../model/groups.js';
import type { LoopOptions } from '../model/loops.js';
import type { Call, Range, SourceModel } from '../model/types.js';
import type { AnyRule, Related, RuleContext, Severity, Site } from './define-rule.js';
import type { Registry } from './registry.js';
import { isSuppressed, parseSuppressions, unusedSuppressions, type Suppressions, type Usage } from './suppressions.js';

export interface Diagnostic {
  code: string;
  rule: string;
  severity: Severity;
  /** The problem, short enough for one terminal line. */
  message: string;
  /** What to do: the fix's title, or the rule's advice when there is no fix. */
  help: string | null;
  range: Range;
  related: Related[];
  fix: Fix | null;
  impact: Impact | null;
}

export interface RunOptions extends LoopOptions {
  ignoreNoqa?: boolean;
  /** The line length fixes are laid out for (black's and Ruff's default, 88, when not given). */
  lineLength?: number;
  /** Apply ESLint's disable directives for mlflint rules (false inside ESLint, which applies them). */
  eslintDirectives?: boolean;
  severity?: Record<string, Severity>;
  logEvery?: number;
}

export type RenderFix = (model: SourceModel, intent: FixIntent, lineLength?: number) => Edit[] | null;

/** A fix never touches a region the parser could not read, nor one that is not code (a notebook's magic). */
function touchesError(model: SourceModel, edits: Edit[]): boolean {
  const regions = model.syntaxErrors.map((s) => s.region ?? { start: s.range.start.offset, end: s.range.end.offset });
  if (model.untouchable) regions.push(...model.untouchable);
  return edits.some((e) => regions.some((r) => e.start <= r.end && r.start <= e.end));
}

/** The suppression comments that are not what they look like (`# noqa MLF101`, an unknown code). */
export function suppressionWarnings(model: SourceModel, registry: Registry): Suppressions['warnings'] {
  return suppressionsOf(model, registry).warnings;
}

// Read once per model: by the run and for its warnings.
const parsed = new WeakMap<SourceModel, Suppressions>();
function suppressionsOf(model: SourceModel, registry: Registry): Suppressions {
  let s = parsed.get(model);
  if (!s) parsed.set(model, (s = parseSuppressions(model.comments, registry)));
  return s;
}

interface Found {
  rule: AnyRule;
  state: Site;
}

/** The same place in the code: one call, or one range. */
function siteKey(at: Site['at']): Call | string {
  return 'calleeText' in at ? at : `${at.start.offset}:${at.end.offset}`;
}

function statesOf(rule: AnyRule, ctx: RuleContext): Found[] {
  const out: Found[] = [];
  const add = (s: Site | readonly Site[] | null): void => {
    if (s) for (const state of Array.isArray(s) ? s : [s as Site]) out.push({ rule, state });
  };
  if (rule.query === 'file') add(rule.run(ctx, ctx.model));
  else for (const call of ctx.model.calls) if (call.mlflow) add(rule.run(ctx, call));
  return out;
}

/** Drop the findings of a rule at sites that a rule it yields to reports, as its precedence declares. */
function settle(found: Found[]): Found[] {
  const reporters = new Map<Call | string, Set<string>>();
  for (const f of found) {
    const key = siteKey(f.state.at);
    const set = reporters.get(key) ?? new Set<string>();
    set.add(f.rule.code).add(f.rule.name);
    reporters.set(key, set);
  }
  return found.filter(({ rule, state }) => {
    const p = rule.precedence;
    if (!p || (p.when && !p.when(state))) return true;
    const there = reporters.get(siteKey(state.at));
    return !p.yieldsTo.some((r) => there?.has(r));
  });
}

/** Run the enabled rules of the registry on one model; `render` writes the fixes' text. */
export function runRules(
  model: SourceModel,
  registry: Registry,
  enabled: readonly AnyRule[],
  options: RunOptions = {},
  render?: RenderFix,
): Diagnostic[] {
  let groups: Map<Call, CallGroup> | null = null;
  const groupOf = (call: Call): CallGroup | null => {
    if (!groups) {
      groups = new Map();
      for (const g of backToBackGroups(model)) for (const c of g.calls) groups.set(c, g);
    }
    return groups.get(call) ?? null;
  };
  const suppressions = suppressionsOf(model, registry);
  const used: Usage = new Map();
  const applicable = enabled.filter((r) => r.languages.includes(model.language));
  const ctx: RuleContext = {
    model,
    options: { ...options, logEvery: options.logEvery ?? 100 },
    groupOf,
    unusedSuppressions: () => (options.ignoreNoqa ? [] : unusedSuppressions(suppressions, used, applicable, registry)),
  };
  const out: Diagnostic[] = [];
  const report = ({ rule, state }: Found): void => {
    const range = 'calleeText' in state.at ? state.at.range : state.at;
    if (
      !options.ignoreNoqa &&
      !rule.unsuppressible &&
      isSuppressed(suppressions, range, rule, used, options.eslintDirectives !== false)
    )
      return;
    const fixDef = rule.fix && (!rule.fix.languages || rule.fix.languages.includes(model.language)) ? rule.fix : null;
    const intent = fixDef?.intent(state, ctx) ?? null;
    const title = intent && fixDef ? fixDef.title(state, ctx) : null;
    let fix: Fix | null = null;
    if (intent && fixDef && title && render) {
      const edits = render(model, intent, options.lineLength);
      const safety = fixDef.unsafeWhen?.(state) ? 'unsafe' : fixDef.safety;
      if (edits && edits.length && !touchesError(model, edits))
        fix = {
          safety,
          message: title,
          edits: edits.map((e) => ({ ...e, from: model.position(e.start), to: model.position(e.end) })),
        };
    }
    const impact = rule.impact?.(state, ctx) ?? null;
    out.push({
      code: rule.code,
      rule: rule.name,
      severity: options.severity?.[rule.code] ?? rule.severity,
      message: rule.message(state, ctx),
      help: fix?.message ?? rule.help?.(state, ctx) ?? title,
      range,
      related: rule.related?.(state, ctx) ?? [],
      fix,
      // What a fix leaves is only known when there is one.
      impact: impact && !fix ? { ...impact, after: null } : impact,
    });
  };
  settle(applicable.filter((r) => !r.last).flatMap((r) => statesOf(r, ctx))).forEach(report);
  for (const rule of applicable.filter((r) => r.last)) statesOf(rule, ctx).forEach(report);
  out.sort((a, b) => a.range.start.offset - b.range.start.offset || a.code.localeCompare(b.code));
  return out;
}
