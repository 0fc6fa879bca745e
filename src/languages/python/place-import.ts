// Where an import a fix adds goes, as isort (`--profile black`) and Ruff's `I001` would put it:
// merged into a `from` import of the same module that is already there, else into its section
// (standard library, third party, local; blank-line-separated groups, as sorters write them),
// plain `import x` lines before `from x import y` ones, each in module order.
import type { Edit } from '../../model/fixes.js';
import type { ImportFacts, ImportLine } from '../../model/types.js';
import { lineEnd, lineStart } from '../lines.js';
import { STDLIB } from './stdlib.js';

export interface Wanted {
  module: string;
  /** For `from module import name`. */
  name?: string;
}

const enum Section {
  Stdlib = 1,
  ThirdParty = 2,
  Local = 4,
}

function sectionOf(module: string): Section {
  if (module.startsWith('.')) return Section.Local;
  return STDLIB.has(module.split('.')[0]) ? Section.Stdlib : Section.ThirdParty;
}

const moduleKey = (m: string): string => m.toLowerCase();

/** isort's order of a `from` import's names: CONSTANTS, then Classes, then the rest; each alphabetical. */
function nameKey(n: string): string {
  const name = n.split(/\s+as\s+/)[0];
  const type = name.length > 1 && name === name.toUpperCase() ? 0 : /^[A-Z]/.test(name) ? 1 : 2;
  return `${type}${name.toLowerCase()}`;
}

/** `from m import a, b`, wrapped one name a line (with a trailing comma) when it does not fit. */
function fromLine(module: string, names: string[], eol: string, width: number): string {
  const one = `from ${module} import ${names.join(', ')}`;
  if (one.length <= width) return one;
  return `from ${module} import (${eol}${names.map((n) => `    ${n},`).join(eol)}${eol})`;
}

/** The edit that imports `wanted`; the caller has checked that it is not imported yet. */
export function importEdit(facts: ImportFacts, text: string, wanted: Wanted, eol: string, width: number): Edit {
  const lines = facts.leading;
  if (wanted.name) {
    const same = lines.find((l) => l.kind === 'from' && l.plain && l.module === wanted.module);
    if (same) {
      const names = [...same.names, wanted.name].sort((a, b) =>
        nameKey(a) < nameKey(b) ? -1 : nameKey(a) > nameKey(b) ? 1 : 0,
      );
      return { start: same.start, end: same.end, text: fromLine(wanted.module, names, eol, width) };
    }
  }
  const line = wanted.name ? fromLine(wanted.module, [wanted.name], eol, width) : `import ${wanted.module}`;
  if (!lines.length) {
    const at = facts.insertAt;
    const needsBreak = at === text.length && at > 0 && !/[\r\n]$/.test(text);
    return { start: at, end: at, text: `${needsBreak ? eol : ''}${line}${eol}` };
  }
  const groups: ImportLine[][] = [];
  for (const l of lines) {
    if (!groups.length || l.afterBlank) groups.push([]);
    groups[groups.length - 1].push(l);
  }
  const section = sectionOf(wanted.module);
  const groupSection = (g: ImportLine[]): Section => sectionOf(g[0].module);
  const group = groups.find((g) => groupSection(g) === section);
  if (!group) {
    // A section of its own, between the sections before and after it.
    const next = groups.find((g) => groupSection(g) > section);
    if (next) {
      const at = lineStart(text, next[0].start);
      return { start: at, end: at, text: `${line}${eol}${eol}` };
    }
    const last = groups[groups.length - 1];
    const at = lineEnd(text, last[last.length - 1].end);
    return { start: at, end: at, text: `${eol}${eol}${line}` };
  }
  const kind = wanted.name ? 'from' : 'import';
  const key = moduleKey(wanted.module);
  const before = group.find((l) =>
    kind === 'import' ? l.kind === 'from' || moduleKey(l.module) > key : l.kind === 'from' && moduleKey(l.module) > key,
  );
  if (before) {
    const at = lineStart(text, before.start);
    return { start: at, end: at, text: `${line}${eol}` };
  }
  const at = lineEnd(text, group[group.length - 1].end);
  return { start: at, end: at, text: `${eol}${line}` };
}
