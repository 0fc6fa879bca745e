import { rules } from '../../rules/index.js';
import type { AnyRule } from './define-rule.js';

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

export interface Selection {
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
}

/** The rules a run enables; unknown selectors are a usage error naming the selector. */
export function selectRules(sel: Selection): AnyRule[] {
  for (const s of [...(sel.select ?? []), ...(sel.extendSelect ?? []), ...(sel.ignore ?? [])]) {
    if (!isKnownSelector(s)) throw new UsageError(`unknown rule selector \`${s}\` (expected a code such as MLF101, a prefix such as MLF1, or a rule name; see \`mlflint rules\`)`);
  }
  const base = sel.select && sel.select.length ? sel.select : ['ALL'];
  const chosen = [...base, ...(sel.extendSelect ?? [])];
  return rules.filter((r) => chosen.some((s) => selectorMatches(s, r)) && !(sel.ignore ?? []).some((s) => selectorMatches(s, r)));
}
