// Seeded mutations of real Python sources, in structure and trivia: comments (with brackets and
// quotes in them), `\` continuations, `;` joins, one-line loops, tabs, CRLF/CR, BOM,
// truncation, docstrings and `__future__` imports, aliased imports, import text in strings.
// Most keep the file compiling; some break it on purpose (the oracle only counts a fix that
// breaks a file that compiled).

export type Rng = () => number;

export function rng(seed: number): Rng {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const COMMENTS = [
  '# note (see docs',
  '# type: ignore',
  '# noqa: E501',
  "# it's [wip",
  '# """',
  '# {',
  '#',
  '# import time',
  '# \\',
];

type Mutation = (lines: string[], r: Rng) => string[];

const indentOf = (l: string): string => /^[ \t]*/.exec(l)?.[0] ?? '';
const code = (l: string): boolean => l.trim() !== '' && !l.trim().startsWith('#');

/** Lines that look like a simple statement (no block header, no string that could span lines). */
function simple(l: string): boolean {
  const t = l.trim();
  return (
    code(l) &&
    !t.endsWith(':') &&
    !t.endsWith('\\') &&
    !/"""|'''/.test(t) &&
    !/^(@|else|elif|except|finally)/.test(t) &&
    !/[([{,]$/.test(t) &&
    !/^[)\]}]/.test(t)
  );
}

const MUTATIONS: Record<string, Mutation> = {
  trailingComment(lines, r) {
    const i = Math.floor(r() * lines.length);
    if (code(lines[i]) && !/"""|'''/.test(lines[i])) lines[i] = `${lines[i].replace(/\s+$/, '')}  ${pick(r, COMMENTS)}`;
    return lines;
  },
  commentLine(lines, r) {
    const i = Math.floor(r() * (lines.length + 1));
    const near = lines[Math.min(i, lines.length - 1)] ?? '';
    lines.splice(i, 0, `${r() < 0.5 ? indentOf(near) : ''}${pick(r, COMMENTS)}`);
    return lines;
  },
  continuation(lines, r) {
    const i = Math.floor(r() * lines.length);
    const l = lines[i];
    if (!simple(l) || /#/.test(l)) return lines;
    const spaces = [...l.matchAll(/ /g)].map((m) => m.index ?? 0).filter((k) => k > indentOf(l).length);
    if (!spaces.length) return lines;
    const at = pick(r, spaces);
    const before = l.slice(0, at);
    // Only outside strings: an even number of quotes before the split.
    if ((before.match(/["']/g) ?? []).length % 2) return lines;
    lines.splice(i, 1, `${before} \\`, `${indentOf(l)}        ${l.slice(at + 1)}`);
    return lines;
  },
  semicolonJoin(lines, r) {
    const i = Math.floor(r() * (lines.length - 1));
    const a = lines[i];
    const b = lines[i + 1];
    if (
      simple(a) &&
      simple(b) &&
      indentOf(a) === indentOf(b) &&
      !a.includes('#') &&
      !/^\s*(import|from|def|class|return|if|for|while|with|try)\b/.test(b)
    ) {
      lines.splice(i, 2, `${a}; ${b.trim()}`);
    }
    return lines;
  },
  oneLineBody(lines, r) {
    const i = Math.floor(r() * (lines.length - 1));
    const a = lines[i];
    const b = lines[i + 1];
    const after = lines[i + 2] ?? '';
    if (
      /^\s*(for|while|if|with)\b.*:\s*$/.test(a) &&
      simple(b) &&
      indentOf(b).length > indentOf(a).length &&
      indentOf(after).length <= indentOf(a).length
    ) {
      lines.splice(i, 2, `${a.replace(/\s+$/, '')} ${b.trim()}`);
    }
    return lines;
  },
  tabs(lines) {
    return lines.map((l) => l.replace(/^((?: {4})+)/, (m) => '\t'.repeat(m.length / 4)));
  },
  oneTab(lines, r) {
    const i = Math.floor(r() * lines.length);
    lines[i] = lines[i].replace(/^ {4}/, '\t');
    return lines;
  },
  docstring(lines) {
    return ['"""Training script.', '', 'Logs to MLflow.', '"""', ...lines];
  },
  future(lines) {
    const at = lines[0]?.startsWith('"""') ? lines.findIndex((l, k) => k > 0 && l.includes('"""')) + 1 : 0;
    lines.splice(at, 0, 'from __future__ import annotations');
    return lines;
  },
  aliasTime(lines) {
    return ['import time as _time', ...lines];
  },
  importInString(lines) {
    return ['NOTE = "import time; from mlflow.entities import Metric"', ...lines];
  },
  aliasMlflow(lines) {
    if (!lines.some((l) => /^import mlflow\s*$/.test(l))) return lines;
    return lines.map((l) =>
      /^import mlflow\s*$/.test(l) ? 'import mlflow as mlf' : l.replace(/\bmlflow\.(?=\w)/g, 'mlf.'),
    );
  },
  fromImportAlias(lines) {
    return ['from mlflow import log_metrics as lm, log_params as lp, set_tags as st', ...lines];
  },
  continuedImport(lines, r) {
    const i = lines.findIndex((l) => /^import \w+\s*$/.test(l));
    if (i < 0) return lines;
    lines.splice(i + (r() < 0.5 ? 0 : 1), 0, 'from os import path, \\', '    sep');
    return lines;
  },
  junk(lines, r) {
    const i = Math.floor(r() * lines.length);
    const l = lines[i];
    const at = Math.floor(r() * (l.length + 1));
    lines[i] = l.slice(0, at) + pick(r, ['(', ')', ':', '"', "'", '\\', '[', ',', 'for ', '\t']) + l.slice(at);
    return lines;
  },
  deleteLine(lines, r) {
    lines.splice(Math.floor(r() * lines.length), 1);
    return lines;
  },
};

const FREQUENT = [
  'trailingComment',
  'trailingComment',
  'commentLine',
  'continuation',
  'continuation',
  'semicolonJoin',
  'oneLineBody',
  'oneLineBody',
];
const RARE = [
  'tabs',
  'oneTab',
  'docstring',
  'future',
  'aliasTime',
  'importInString',
  'aliasMlflow',
  'fromImportAlias',
  'continuedImport',
  'junk',
  'deleteLine',
];

export interface Variant {
  name: string;
  text: string;
  /** The mutations applied, for a failure's message. */
  applied: string[];
}

/** One variant of `source`: a few mutations, then maybe an encoding hazard (line endings, BOM, truncation). */
export function mutate(source: string, r: Rng): { text: string; applied: string[] } {
  let lines = source.replace(/\r\n?/g, '\n').split('\n');
  const applied: string[] = [];
  const count = 1 + Math.floor(r() * 4);
  for (let k = 0; k < count; k++) {
    const name = r() < 0.75 ? pick(r, FREQUENT) : pick(r, RARE);
    lines = MUTATIONS[name]([...lines], r);
    applied.push(name);
  }
  let text = lines.join('\n');
  const hazard = r();
  if (hazard < 0.12) {
    text = text.replace(/\n/g, '\r\n');
    applied.push('crlf');
  } else if (hazard < 0.16) {
    text = text.replace(/\n/g, '\r');
    applied.push('cr');
  } else if (hazard < 0.2) {
    text = `\ufeff${text}`;
    applied.push('bom');
  } else if (hazard < 0.24) {
    text = text.slice(0, Math.floor(r() * text.length));
    applied.push('truncate');
  }
  return { text, applied };
}

export function variants(sources: { name: string; text: string }[], count: number, seed: number): Variant[] {
  const r = rng(seed);
  const out: Variant[] = [];
  for (let k = 0; k < count; k++) {
    const src = sources[k % sources.length];
    const { text, applied } = mutate(src.text, r);
    out.push({ name: `v${String(k).padStart(5, '0')}_${src.name}`, text, applied });
  }
  return out;
}
