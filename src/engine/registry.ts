import { rules } from '../../rules/index.js';
import type { AnyRule } from './define-rule.js';
import { closest } from './did-you-mean.js';

export class UsageError extends Error {}

export function allRules(): readonly AnyRule[] {
  return rules;
}

export function findRule(idOrName: string): AnyRule | undefined {
  const q = idOrName.trim();
  return rules.find((r) => r.code.toUpperCase() === q.toUpperCase() || r.name === q.toLowerCase());
}

/** Does a selector (code, name, code prefix such as `MLF1`, or `ALL`) match the rule? */
export function selectorMatches(selector: string, rule: AnyRule): boolean {
  const s = selector.trim();
  if (s.toUpperCase() === 'ALL') return true;
  if (s.toLowerCase() === rule.name) return true;
  return /^[A-Za-z]+\d*$/.test(s) && rule.code.startsWith(s.toUpperCase());
}

export function isKnownSelector(selector: string): boolean {
  return rules.some((r) => selectorMatches(selector, r));
}

/** The code or name nearest to a selector that names no rule (`MLF1O1` → `MLF101`). */
export function nearestRule(selector: string): string | null {
  return closest(selector, rules.flatMap((r) => [r.code, r.name]));
}

/** " (did you mean `MLF101`?)", or where to look. */
export function ruleHint(selector: string): string {
  const near = nearestRule(selector);
  return near ? ` (did you mean \`${near}\`?)` : ' (see `mlflint rules`)';
}

/** Why a selector names no rule, for a config message: "`MLF1O1` is not one; did you mean `MLF101`?". */
export function unknownSelector(selector: string): string {
  const near = nearestRule(selector);
  return `\`${selector}\` is not one${near ? `; did you mean \`${near}\`?` : '; see `mlflint rules`'}`;
}

export interface Selection {
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
}

/** The rules a run enables; unknown selectors are a usage error naming the selector. */
export function selectRules(sel: Selection): AnyRule[] {
  for (const s of [...(sel.select ?? []), ...(sel.extendSelect ?? []), ...(sel.ignore ?? [])]) {
    if (!isKnownSelector(s)) {
      const near = nearestRule(s);
      throw new UsageError(`unknown rule selector \`${s}\`${near ? ` (did you mean \`${near}\`?)` : ' (expected a code such as MLF101, a prefix such as MLF1, or a rule name; see `mlflint rules`)'}`);
    }
  }
  const base = sel.select && sel.select.length ? sel.select : ['ALL'];
  const chosen = [...base, ...(sel.extendSelect ?? [])];
  return rules.filter((r) => chosen.some((s) => selectorMatches(s, r)) && !(sel.ignore ?? []).some((s) => selectorMatches(s, r)));
}

/**
 * The rules that layers of selections enable, in order (a config file, then the command line):
 * each layer's `select` starts over, its `extend-select` adds and its `ignore` takes away, as in
 * Ruff. Returned as a selection of codes.
 */
export function layeredSelection(layers: readonly Selection[]): Selection {
  let on = new Set(rules.map((r) => r.code));
  for (const l of layers) {
    for (const s of [...(l.select ?? []), ...(l.extendSelect ?? []), ...(l.ignore ?? [])]) if (!isKnownSelector(s)) selectRules({ select: [s] });
    if (l.select?.length) on = new Set(rules.filter((r) => l.select!.some((s) => selectorMatches(s, r))).map((r) => r.code));
    for (const r of rules) if ((l.extendSelect ?? []).some((s) => selectorMatches(s, r))) on.add(r.code);
    for (const r of rules) if ((l.ignore ?? []).some((s) => selectorMatches(s, r))) on.delete(r.code);
  }
  return on.size ? { select: [...on] } : { ignore: ['ALL'] };
}

