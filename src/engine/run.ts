// One run per file: dispatch each rule on the items its query declares, collect findings,
// apply suppressions.
import type { Edit, Fix, FixIntent, Impact } from '../model/fixes.js';
import { backToBackGroups, type CallGroup } from '../model/groups.js';
import type { LoopOptions } from '../model/loops.js';
import type { Call, Range, SourceModel } from '../model/types.js';
import type { AnyRule, Related, RuleContext, Severity } from './define-rule.js';
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
export function suppressionWarnings(model: SourceModel): Suppressions['warnings'] {
  return suppressionsOf(model).warnings;
}

// Read once per model: by the run and for its warnings.
const parsed = new WeakMap<SourceModel, Suppressions>();
function suppressionsOf(model: SourceModel): Suppressions {
  let s = parsed.get(model);
  if (!s) parsed.set(model, (s = parseSuppressions(model.comments)));
  return s;
}

export function runRules(model: SourceModel, rules: readonly AnyRule[], options: RunOptions = {}, render?: RenderFix): Diagnostic[] {
  const out: Diagnostic[] = [];
  let groups: Map<Call, CallGroup> | null = null;
  const groupOf = (call: Call): CallGroup | null => {
    if (!groups) {
      groups = new Map();
      for (const g of backToBackGroups(model)) for (const c of g.calls) groups.set(c, g);
    }
    return groups.get(call) ?? null;
  };
  const suppressions = suppressionsOf(model);
  const used: Usage = new Map();
  const applicable = rules.filter((r) => r.languages.includes(model.language));
  for (const rule of [...applicable.filter((r) => !r.last), ...applicable.filter((r) => r.last)]) {
    const severity = options.severity?.[rule.code] ?? rule.severity;
    const ctx: RuleContext = {
      model,
      options: { ...options, logEvery: options.logEvery ?? 100 },
      groupOf,
      unusedSuppressions: () => (options.ignoreNoqa ? [] : unusedSuppressions(suppressions, used, applicable)),
      report(at, message, opts) {
        const range = opts?.range ?? ('calleeText' in at ? at.range : at);
        if (!options.ignoreNoqa && rule.code !== 'MLF000' && isSuppressed(suppressions, range, rule, used, options.eslintDirectives !== false)) return;
        let fix: Fix | null = null;
        if (opts?.fix && render) {
          const edits = render(model, opts.fix.intent, options.lineLength);
          if (edits && edits.length && !touchesError(model, edits)) fix = { safety: opts.fix.safety, message: opts.fix.message, edits };
        }
        // What a fix leaves is only known when there is one.
        const impact = opts?.impact && opts.fix && !fix ? { ...opts.impact, after: null } : opts?.impact ?? null;
        const help = fix?.message ?? opts?.help ?? opts?.fix?.message ?? null;
        out.push({ code: rule.code, rule: rule.name, severity, message, help, range, related: opts?.related ?? [], fix, impact });
      },
    };
    if (rule.query === 'file') rule.check(ctx, model);
    else for (const call of model.calls) if (call.mlflow) rule.check(ctx, call);
  }
  out.sort((a, b) => a.range.start.offset - b.range.start.offset || a.code.localeCompare(b.code));
  return out;
}
