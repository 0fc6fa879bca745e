// Metamorphic tests: every fixture is rewritten in ways that keep its meaning for the tracking
// server (renamed locals, wrapped or bound iterables, helpers, while loops, module aliases,
// clients on `self`, and compositions of those), and the findings must stay exactly the same:
// the same rules on the same (moved) lines, and the same number of findings per rule. `expect:`
// comments travel with the code they annotate, so expectations are re-read from each variant.
//
// A variant whose findings change is either a transformation that changed the meaning (a bug
// here, to fix) or an analysis gap. Known gaps are listed in KNOWN_GAPS: their variants must
// still fail, and only on the rules the gap names, so that fixing the analysis is noticed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { lintText, parseFile } from '../src/index.js';
import { classifyLoop, stepContext } from '../src/model/loops.js';
import { expectations, findingDifferences, fixtureFiles, type Reported, reportedOf } from './helpers.js';
import { parse, type Source, type Transformation, type Variant } from './metamorphic/common.js';
import { PYTHON_TRANSFORMATIONS } from './metamorphic/python.js';
import { TS_TRANSFORMATIONS } from './metamorphic/typescript.js';

interface KnownGap {
  id: string;
  /** What the analysis misses, with a minimal reproducer (before → after the transformation). */
  summary: string;
  /**
   * The sites that show it: `<fixture> | <transformation> | line N <kind>`. A case covers the
   * transformation at that site and its compositions (renamed locals first, module aliased first).
   */
  cases: string[];
  /** The only rules whose findings may differ in those variants. */
  rules: string[];
}

/** The KNOWN_GAPS case a variant key belongs to: composition prefixes and descriptions dropped. */
function caseOf(key: string): string {
  const [fixture, transformation, site] = key.split(' | ');
  const last = site.split(' ∘ ').at(-1) as string;
  return `${fixture} | ${transformation.split('+').at(-1)} | ${last.split(' — ')[0]}`;
}

/**
 * Analysis gaps found by this suite: meaning-preserving rewrites whose findings differ. Every
 * variant a gap matches must still fail on the gap's rules only, and every gap must match at
 * least one variant; when the analysis is fixed, remove the entry.
 */
export const KNOWN_GAPS: KnownGap[] = [
  {
    id: 'py-chunk-comprehension-through-binding',
    summary: `A log_batch that sends one chunk per iteration is recognised when its payload is a comprehension over
the chunk, wrapped or not (isChunkOfLoop → chunkOf in src/model/queries.ts), but not when the
comprehension's iterable is bound to a local first: argument expressions carry no bindings.
    for metrics_batch in chunk_dict(metrics, chunk_size=1000):
        client.log_batch(run_id=run_id, metrics=[Metric(k, v, 0, 0) for k, v in metrics_batch.items()])  -> nothing
        seq = metrics_batch.items()
        client.log_batch(run_id=run_id, metrics=[Metric(k, v, 0, 0) for k, v in seq])                   -> metric-in-tight-loop`,
    rules: ['metric-in-tight-loop'],
    cases: ['fixtures/metric-in-tight-loop/valid.py | bind-iterable | line 228 seq'],
  },
  {
    id: 'py-chunk-through-helper',
    summary: `The same chunked log_batch moved into a helper called from the chunk loop is reported: the helper's call
is per-step through its caller, but the chunk test needs the loop around the call itself.
    def emit(client, run_id, metrics_batch):
        client.log_batch(run_id=run_id, metrics=[Metric(k, v, 0, 0) for k, v in metrics_batch.items()])  -> metric-in-tight-loop
    for metrics_batch in chunk_dict(metrics, chunk_size=1000):
        emit(client, run_id, metrics_batch)`,
    rules: ['metric-in-tight-loop'],
    cases: ['fixtures/metric-in-tight-loop/valid.py | extract-helper | line 228 function'],
  },
];

/** At least this many variants must run (so that the suite cannot silently run nothing). */
const MIN_CASES = 2000;

/** METAMORPHIC_SHOW=1 prints the text of each failing variant. */
const SHOW = process.env.METAMORPHIC_SHOW === '1';
/** METAMORPHIC_REPORT=<file> writes the failing variants not in KNOWN_GAPS there, as JSON (to triage them). */
const REPORT = process.env.METAMORPHIC_REPORT;
const unexplained: { key: string; case: string; problems: string[]; text: string }[] = [];

interface Findings {
  /** "line:rule" of each finding, in the order reported (a list: one line reported twice counts twice). */
  reported: Reported[];
  counts: Map<string, number>;
  syntaxErrors: number;
}

function findings(path: string, text: string): Findings {
  const r = lintText(path, text);
  const counts = new Map<string, number>();
  for (const d of r.diagnostics) counts.set(d.rule, (counts.get(d.rule) ?? 0) + 1);
  return {
    reported: reportedOf(r.diagnostics),
    counts,
    syntaxErrors: r.syntaxErrors,
  };
}

/** What differs between the original's findings and the variant's (empty when nothing does). */
function problemsOf(
  path: string,
  kind: 'valid' | 'invalid',
  original: string,
  before: Findings,
  variant: Variant,
): { rule: string | null; text: string }[] {
  const out: { rule: string | null; text: string }[] = [];
  if (variant.text === original) return [{ rule: null, text: 'transformation changed nothing' }];
  const after = findings(path, variant.text);
  if (after.syntaxErrors !== before.syntaxErrors)
    out.push({
      rule: null,
      text: `transformation broke the syntax: ${after.syntaxErrors} syntax errors (was ${before.syntaxErrors})`,
    });
  const expected = kind === 'invalid' ? expectations(variant.text) : [];
  const originally = kind === 'invalid' ? expectations(original).length : 0;
  if (expected.length !== originally)
    out.push({
      rule: null,
      text: `transformation lost or duplicated an \`expect:\` comment (${originally} → ${expected.length})`,
    });
  out.push(...findingDifferences(expected, after.reported));
  for (const r of new Set([...before.counts.keys(), ...after.counts.keys()])) {
    const [b, a] = [before.counts.get(r) ?? 0, after.counts.get(r) ?? 0];
    if (a !== b) out.push({ rule: r, text: `${r}: ${b} findings before, ${a} after` });
  }
  return out;
}

function sourceOf(file: string, text: string): Source {
  const f = findings(file, text);
  const model = parseFile(file, text);
  const perStep = model.calls.filter((c) => c.loops.some((l) => classifyLoop(l).perStep) || stepContext(c) !== null);
  return {
    path: file,
    text,
    root: parse(file, text).rootNode,
    findings: new Set(f.reported.map((r) => r.key)),
    perStepCallStarts: new Set(perStep.map((c) => c.range.start.offset)),
  };
}

/** `then` applied to the variant of `first` that `pick` chooses (renaming, aliasing) instead of to the fixture. */
const bases = new Map<string, { site: string; source: Source } | null>();

function composed(first: Transformation, pick: RegExp, then: Transformation, keep: RegExp = /./): Transformation {
  return {
    id: `${first.id}+${then.id}`,
    language: first.language,
    apply(src) {
      const key = `${first.id} ${src.path}`;
      if (!bases.has(key)) {
        const v = first.apply(src).find((x) => pick.test(x.site));
        bases.set(key, v ? { site: v.site, source: sourceOf(src.path, v.text) } : null);
      }
      const base = bases.get(key);
      if (!base) return [];
      return then
        .apply(base.source)
        .filter((v) => keep.test(v.site))
        .map((v) => ({ site: `${base.site} ∘ ${v.site}`, text: v.text }));
    },
  };
}

function withCompositions(list: Transformation[]): Transformation[] {
  const rename = list.find((t) => t.id === 'rename-locals') as Transformation;
  const alias = list.find((t) => t.id === 'alias-module') as Transformation;
  return [
    ...list,
    // With every renameable local renamed first (the wrappers only where they change the loop targets).
    ...list
      .filter((t) => t !== rename && t.id !== 'wrapper-kwargs-strings')
      .map((t) =>
        composed(
          rename,
          /^every renameable local at once$/,
          t,
          t.id === 'wrap-iterable' ? / (enumerate|entries) — / : /./,
        ),
      ),
    // With the module or client class aliased: the rewrites that move or rebuild code (the wrappers are covered above).
    ...list
      .filter((t) => ['bind-iterable', 'extract-helper', 'range-to-while', 'client-on-self'].includes(t.id))
      .map((t) => composed(alias, / (as|default-import) — /, t)),
  ];
}

const fixtures = fixtureFiles().filter((f) => f.rule !== 'syntax-error');
const ALL = { python: withCompositions(PYTHON_TRANSFORMATIONS), typescript: withCompositions(TS_TRANSFORMATIONS) };
let ran = 0;
const gapHits = new Map<string, number>();
const casesHit = new Set<string>();
const pythonVariants: { name: string; text: string }[] = [];
const tsVariants: { name: string; path: string; text: string; original: string }[] = [];
const perTransformation = new Map<string, number>();

describe('metamorphic: meaning-preserving rewrites keep the findings', () => {
  const started = Date.now();
  for (const fx of fixtures) {
    const shown = fx.shown;
    const text = readFileSync(fx.file, 'utf8');
    const language = fx.file.endsWith('.py') ? 'python' : 'typescript';
    const src = sourceOf(fx.file, text);
    const before = findings(fx.file, text);
    for (const t of ALL[language]) {
      const variants = t.apply(src);
      if (!variants.length) continue;
      if (language === 'python')
        pythonVariants.push(...variants.map((v) => ({ name: `${shown} | ${t.id} | ${v.site}`, text: v.text })));
      else
        tsVariants.push(
          ...variants.map((v) => ({
            name: `${shown} | ${t.id} | ${v.site}`,
            path: fx.file,
            text: v.text,
            original: text,
          })),
        );
      it(`${shown} × ${t.id} (${variants.length} variants)`, () => {
        const failures: string[] = [];
        for (const v of variants) {
          const key = `${shown} | ${t.id} | ${v.site}`;
          const problems = problemsOf(fx.file, fx.kind, text, before, v);
          ran++;
          perTransformation.set(t.id, (perTransformation.get(t.id) ?? 0) + 1);
          const gap = KNOWN_GAPS.find((g) => g.cases.includes(caseOf(key)));
          const report = `${key}\n  ${problems.map((p) => p.text).join('\n  ')}${SHOW ? `\n----- variant -----\n${v.text}\n-------------------` : ''}`;
          if (gap) {
            gapHits.set(gap.id, (gapHits.get(gap.id) ?? 0) + 1);
            casesHit.add(caseOf(key));
            if (!problems.length)
              failures.push(
                `${key}: known gap ${gap.id}, but the findings now stay the same: narrow or remove the gap in KNOWN_GAPS`,
              );
            else if (problems.some((p) => p.rule === null || !gap.rules.includes(p.rule)))
              failures.push(`${report}\n  (known gap ${gap.id} covers only ${gap.rules.join(', ')})`);
          } else if (problems.length) {
            failures.push(report);
            unexplained.push({ key, case: caseOf(key), problems: problems.map((p) => p.text), text: v.text });
          }
        }
        assert.deepEqual(failures, [], failures.join('\n\n'));
      });
    }
  }

  it('every Python variant is valid Python (python3 compile())', () => {
    const script =
      'import json, sys\nbad = []\nfor v in json.load(sys.stdin):\n    try:\n        compile(v["text"], v["name"], "exec")\n    except SyntaxError as e:\n        bad.append(v["name"] + ": " + str(e))\nprint("\\n".join(bad))\nsys.exit(1 if bad else 0)\n';
    const r = spawnSync('python3', ['-c', script], {
      input: JSON.stringify(pythonVariants),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    assert.equal(r.error, undefined, 'python3 is needed for this test (.ci/run installs it)');
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('every TypeScript/JavaScript variant parses as well as its fixture (TypeScript compiler)', () => {
    const syntaxErrors = (path: string, text: string): number =>
      ts.transpileModule(text, {
        fileName: path,
        reportDiagnostics: true,
        compilerOptions: { jsx: ts.JsxEmit.Preserve, allowJs: true },
      }).diagnostics?.length ?? 0;
    const originals = new Map<string, number>();
    const bad: string[] = [];
    for (const v of tsVariants) {
      if (!originals.has(v.path)) originals.set(v.path, syntaxErrors(v.path, v.original));
      const n = syntaxErrors(v.path, v.text);
      if (n > (originals.get(v.path) ?? 0)) bad.push(`${v.name}: ${n} syntax errors`);
    }
    assert.deepEqual(bad, []);
    assert.ok(tsVariants.length > 0);
  });

  it(`ran at least ${MIN_CASES} variants, and every known gap still shows`, () => {
    const summary = [...perTransformation].map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(
      `metamorphic: ${ran} variants in ${((Date.now() - started) / 1000).toFixed(1)} s (${summary}); known gaps: ${KNOWN_GAPS.map((g) => `${g.id} (${gapHits.get(g.id) ?? 0} variants)`).join(', ') || 'none'}`,
    );
    if (REPORT) writeFileSync(REPORT, JSON.stringify(unexplained, null, 1));
    assert.ok(ran >= MIN_CASES, `only ${ran} variants ran`);
    const unseen = KNOWN_GAPS.flatMap((g) => g.cases.filter((c) => !casesHit.has(c)).map((c) => `${g.id}: ${c}`));
    assert.deepEqual(
      unseen,
      [],
      `KNOWN_GAPS cases that match no variant any more (fixture or site moved?):\n${unseen.join('\n')}`,
    );
  });
});
