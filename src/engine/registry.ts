// The rules a program knows, given to it (the public API gives it rules/index.ts), and the
// selectors that pick among them: a code, a name, a code prefix such as `MLF1`, or `ALL`.
import type { AnyRule } from './define-rule.js';
import { closest } from './did-you-mean.js';

/** A selector that names no rule; the CLI reports it as a usage error (exit 2). */
export class SelectorError extends Error {}

/** Does a selector (code, name, code prefix such as `MLF1`, or `ALL`) match the rule? */
export function selectorMatches(selector: string, rule: AnyRule): boolean {
  const s = selector.trim();
  if (s.toUpperCase() === 'ALL') return true;
  if (s.toLowerCase() === rule.name) return true;
  return /^[A-Za-z]+\d*$/.test(s) && rule.code.startsWith(s.toUpperCase());
}

export interface Selection {
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
}

export class Registry {
  constructor(readonly rules: readonly AnyRule[]) {}

  find(idOrName: string): AnyRule | undefined {
    const q = idOrName.trim();
    return this.rules.find((r) => r.code.toUpperCase() === q.toUpperCase() || r.name === q.toLowerCase());
  }

  isKnown(selector: string): boolean {
    return this.rules.some((r) => selectorMatches(selector, r));
  }

  /** The code or name nearest to a selector that names no rule (`MLF1O1` → `MLF101`). */
  nearest(selector: string): string | null {
    return closest(
      selector,
      this.rules.flatMap((r) => [r.code, r.name]),
    );
  }

  /** " (did you mean `MLF101`?)", or where to look. */
  hint(selector: string): string {
    const near = this.nearest(selector);
    return near ? ` (did you mean \`${near}\`?)` : ' (see `mlflint rules`)';
  }

  /** Why a selector names no rule, for a config message: "`MLF1O1` is not one; did you mean `MLF101`?". */
  unknown(selector: string): string {
    const near = this.nearest(selector);
    return `\`${selector}\` is not one${near ? `; did you mean \`${near}\`?` : '; see `mlflint rules`'}`;
  }

  /** The rules a selection enables; an unknown selector throws a SelectorError naming it. */
  select(sel: Selection): AnyRule[] {
    this.check([...(sel.select ?? []), ...(sel.extendSelect ?? []), ...(sel.ignore ?? [])]);
    const base = sel.select && sel.select.length ? sel.select : ['ALL'];
    const chosen = [...base, ...(sel.extendSelect ?? [])];
    return this.rules.filter(
      (r) => chosen.some((s) => selectorMatches(s, r)) && !(sel.ignore ?? []).some((s) => selectorMatches(s, r)),
    );
  }

  /**
   * The rules that layers of selections enable, in order (a config file, then the command line):
   * each layer's `select` starts over, its `extend-select` adds and its `ignore` takes away, as in
   * Ruff. Returned as a selection of codes.
   */
  layered(layers: readonly Selection[]): Selection {
    let on = new Set(this.rules.map((r) => r.code));
    for (const l of layers) {
      this.check([...(l.select ?? []), ...(l.extendSelect ?? []), ...(l.ignore ?? [])]);
      if (l.select?.length)
        on = new Set(this.rules.filter((r) => l.select!.some((s) => selectorMatches(s, r))).map((r) => r.code));
      for (const r of this.rules) if ((l.extendSelect ?? []).some((s) => selectorMatches(s, r))) on.add(r.code);
      for (const r of this.rules) if ((l.ignore ?? []).some((s) => selectorMatches(s, r))) on.delete(r.code);
    }
    return on.size ? { select: [...on] } : { ignore: ['ALL'] };
  }

  private check(selectors: string[]): void {
    for (const s of selectors) {
      if (this.isKnown(s)) continue;
      const near = this.nearest(s);
      throw new SelectorError(
        `unknown rule selector \`${s}\`${near ? ` (did you mean \`${near}\`?)` : ' (expected a code such as MLF101, a prefix such as MLF1, or a rule name; see `mlflint rules`)'}`,
      );
    }
  }
}
