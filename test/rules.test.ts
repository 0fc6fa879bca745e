// rules × fixtures: every annotated line must be reported (Missing otherwise), nothing else may
// be (Noisy otherwise); valid files stay silent; the text report is snapshotted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { structuredPatch } from 'diff';
import { applyFixesOnce } from '../src/engine/apply-fixes.js';
import { fixText, lintText, parseFile } from '../src/index.js';
import { text as textReport } from '../src/reporters/text.js';
import {
  assertFindings,
  expectations,
  findingDifferences,
  fixtureFiles,
  matchSnapshot,
  reportedOf,
  scratch,
  snapshotFile,
} from './helpers.js';

type Diagnostics = ReturnType<typeof lintText>['diagnostics'];

/** One finding's fix alone, as a diff with two lines of context around each change. */
function fixDiff(source: string, fix: NonNullable<Diagnostics[number]['fix']>): string {
  const patch = structuredPatch('a', 'b', source, applyFixesOnce(source, [fix]).text, '', '', { context: 2 });
  return patch.hunks
    .map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join('\n'))
    .join('\n');
}

// As Ruff's and Biome's snapshots: each finding as the CLI prints it, then its fix as a diff.
function snapshotOf(path: string, source: string, diagnostics: Diagnostics): string {
  const out = [`# mlflint snapshot of ${path}`, ''];
  for (const d of diagnostics) {
    out.push(
      textReport([{ path, text: source, diagnostics: [d] }], { color: false, frames: true, quiet: true }).trimEnd(),
      '',
    );
    if (d.fix)
      out.push(d.fix.safety === 'safe' ? 'Safe fix' : 'Unsafe fix', '', '```diff', fixDiff(source, d.fix), '```', '');
  }
  return out.join('\n');
}

describe('rule fixtures', () => {
  for (const fx of fixtureFiles()) {
    it(`${fx.shown} ${fx.kind === 'valid' ? 'stays silent' : 'reports exactly the annotated lines'}`, () => {
      const source = readFileSync(fx.file, 'utf8');
      const { diagnostics } = lintText(fx.file, source);
      const expected = fx.kind === 'invalid' ? expectations(source) : [];
      assertFindings(fx.shown, expected, reportedOf(diagnostics));
      if (fx.kind === 'invalid') {
        assert.ok(expected.length > 0, `${fx.shown} has no \`expect:\` annotations`);
        matchSnapshot(snapshotFile(fx), snapshotOf(fx.shown, source, diagnostics));
      }
    });
  }
});

// The comparison the fixtures go through, on findings made up here. Compared as sets of
// "line:rule" (as it once was), a rule reporting a line twice passed; as lists it is Noisy.
describe('comparing the findings of a fixture with its annotations', () => {
  const finding = (key: string, message = 'm') => ({ key, message });

  it('reads each annotation on a line, the same rule twice too', () => {
    assert.deepEqual(
      expectations('x = 1\nlog()  # expect: unbatched-tags, expect: unbatched-tags\ny()  # expect: param-in-loop\n'),
      ['2:unbatched-tags', '2:unbatched-tags', '3:param-in-loop'],
    );
  });

  it('a rule that reports one line twice fails as Noisy', () => {
    assert.throws(
      () =>
        assertFindings(
          't.py',
          ['3:unbatched-tags'],
          [finding('3:unbatched-tags', 'first'), finding('3:unbatched-tags', 'again')],
        ),
      // assert adds its own diff after the message.
      { name: 'AssertionError', message: /^t\.py\nNoisy: line 3 unbatched-tags: again(\n|$)/ },
    );
  });

  it('two annotations of one rule on one line need two findings, else Missing', () => {
    assert.deepEqual(
      findingDifferences(['3:unbatched-tags', '3:unbatched-tags'], [finding('3:unbatched-tags')]).map((p) => p.text),
      ['Missing: line 3 unbatched-tags'],
    );
    assert.doesNotThrow(() =>
      assertFindings(
        't.py',
        ['3:unbatched-tags', '3:unbatched-tags'],
        [finding('3:unbatched-tags'), finding('3:unbatched-tags')],
      ),
    );
  });

  it('lists what is missing before what is noisy, each with its line and rule', () => {
    assert.deepEqual(
      findingDifferences(
        ['2:param-in-loop', '5:unbatched-tags'],
        [finding('5:unbatched-tags'), finding('7:unbatched-params', 'two calls')],
      ),
      [
        { rule: 'param-in-loop', text: 'Missing: line 2 param-in-loop' },
        { rule: 'unbatched-params', text: 'Noisy: line 7 unbatched-params: two calls' },
      ],
    );
  });
});

describe('messages of the rule fixtures', () => {
  it('fit on one terminal line: the problem in at most 100 characters, what to do in `help`', () => {
    const long: string[] = [];
    for (const fx of fixtureFiles()) {
      for (const d of lintText(fx.file, readFileSync(fx.file, 'utf8')).diagnostics) {
        if (d.message.length > 100 || /\n/.test(d.message) || (d.help ?? '').length > 120)
          long.push(`${fx.shown}:${d.range.start.line}: ${d.message} / ${d.help}`);
        if (d.code !== 'MLF000' && !d.help) long.push(`${fx.shown}:${d.range.start.line}: no help`);
      }
    }
    assert.deepEqual(long, []);
  });
});

describe('fixes of the rule fixtures', () => {
  const invalid = fixtureFiles().filter((f) => f.kind === 'invalid');

  for (const fx of invalid) {
    // That fixing never parses worse is not checked here: fixText gives back the file unfixed, with
    // its own result, when the fixed text has more syntax errors (src/index.ts), so comparing the
    // two counts could never fail.
    it(`${fx.shown}: fixing is idempotent and leaves nothing fixable`, () => {
      const source = readFileSync(fx.file, 'utf8');
      for (const unsafe of [false, true]) {
        const once = fixText(fx.file, source, {}, unsafe);
        const twice = fixText(fx.file, once.text, {}, unsafe);
        assert.equal(twice.fixed, 0, `a second ${unsafe ? 'unsafe ' : ''}--fix still fixed something`);
        assert.equal(twice.text, once.text);
        assert.ok(
          !once.result.diagnostics.some((d) => d.fix && (d.fix.safety === 'safe' || unsafe)),
          'fixable findings remain after --fix',
        );
      }
    });
  }

  it('keep every comment where it was (trailing or on its own line), add no line over the line length, leave no temporary directory', () => {
    const problems: string[] = [];
    for (const fx of invalid) {
      // unused-noqa's fix removes comments by design; a syntax error's file has no fix.
      if (fx.rule === 'unused-noqa' || fx.rule === 'syntax-error' || fx.name.endsWith('.ipynb')) continue;
      const source = readFileSync(fx.file, 'utf8');
      const fixed = fixText(fx.file, source, {}, true).text;
      const placed = (text: string): string[] =>
        parseFile(fx.file, text)
          .comments.map((c) => {
            const before = text.slice(text.lastIndexOf('\n', c.range.start.offset - 1) + 1, c.range.start.offset);
            return `${before.trim() ? 'trailing' : 'own line'}: ${c.text}`;
          })
          .sort();
      const [was, is] = [placed(source), placed(fixed)];
      for (const c of was) if (!is.includes(c)) problems.push(`${fx.name} (${fx.rule}): lost or moved ${c}`);
      // Lines the fix wrote, not the ones it moved (black's own test covers how those are laid out).
      const old = new Set(source.split('\n').map((l) => l.trim()));
      // A trailing comment is the author's: formatters never wrap one. TypeScript fixes are not yet laid out to a width.
      const code = (l: string): string => l.replace(/\s+#.*$/, '');
      if (fx.name.endsWith('.py'))
        for (const line of fixed.split('\n'))
          if (!old.has(line.trim()) && code(line).length > 88)
            problems.push(`${fx.name} (${fx.rule}): a new line of ${line.length} characters: ${line.trim()}`);
      if (/mkdtemp/.test(fixed) && !/mkdtemp/.test(source))
        problems.push(`${fx.name} (${fx.rule}): a temporary directory nothing removes`);
    }
    assert.deepEqual(problems, []);
  });

  it('produce Python that compiles (python3 -m py_compile)', () => {
    const dir = scratch('mlflint-fixed-');
    const files: string[] = [];
    for (const fx of invalid) {
      if (fx.rule === 'syntax-error' || !fx.name.endsWith('.py')) continue;
      const source = readFileSync(fx.file, 'utf8');
      for (const unsafe of [false, true]) {
        const out = join(dir, `${fx.rule}-${unsafe ? 'all' : 'safe'}.py`);
        writeFileSync(out, fixText(fx.file, source, {}, unsafe).text);
        files.push(out);
      }
    }
    const r = spawnSync(
      'python3',
      ['-c', 'import py_compile, sys\nfor f in sys.argv[1:]: py_compile.compile(f, doraise=True)', ...files],
      { encoding: 'utf8' },
    );
    assert.equal(r.error, undefined, 'python3 is needed for this test (.ci/run installs it)');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(files.length >= 14);
  });
});
