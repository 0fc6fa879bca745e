// The fix engine on its own: non-overlapping passes, and the refusal to write worse code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixesOnce } from '../src/engine/apply-fixes.js';
import type { Edit } from '../src/model/fixes.js';

type Edits = { safety: 'safe'; message: string; edits: Edit[] };
import { fixText, lintText } from '../src/index.js';
import { python } from '../src/languages/python/index.js';

describe('applyFixesOnce', () => {
  it('applies non-overlapping fixes and skips the ones that overlap a fix already taken', () => {
    const r = applyFixesOnce('abcdef', [
      { safety: 'safe', message: '1', edits: [{ start: 0, end: 2, text: 'X' }] },
      { safety: 'safe', message: '2', edits: [{ start: 1, end: 3, text: 'Y' }] },
      { safety: 'safe', message: '3', edits: [{ start: 4, end: 5, text: 'Z' }] },
    ]);
    assert.deepEqual({ text: r.text, applied: r.applied }, { text: 'XcdZf', applied: 2 });
    assert.deepEqual(
      r.chosen.map((f) => f.message),
      ['1', '3'],
    );
  });

  it('takes all edits of a fix or none, and keeps the order of inserts at one point', () => {
    const r = applyFixesOnce('abc', [
      {
        safety: 'safe',
        message: '1',
        edits: [
          { start: 3, end: 3, text: '1' },
          { start: 3, end: 3, text: '2' },
          { start: 0, end: 1, text: 'A' },
        ],
      },
      {
        safety: 'safe',
        message: '2',
        edits: [
          { start: 2, end: 2, text: '!' },
          { start: 0, end: 0, text: '?' },
        ],
      },
    ]);
    assert.deepEqual({ text: r.text, applied: r.applied }, { text: 'Abc12', applied: 1 });
  });

  it('ignores edits outside the text', () => {
    const r = applyFixesOnce('abc', [{ safety: 'safe', message: 'x', edits: [{ start: 2, end: 9, text: '' }] }]);
    assert.deepEqual({ text: r.text, applied: r.applied, chosen: r.chosen }, { text: 'abc', applied: 0, chosen: [] });
  });
});

/** The rule as first written: each edit checked against every edit taken (quadratic, plainly right). */
function naiveChosen(text: string, fixes: Edits[]): Edits[] {
  const conflicts = (a: Edit, b: Edit) =>
    (a.start < b.end && b.start < a.end) ||
    (a.start === b.start && !(a.start === a.end && b.start === b.end && a.text === b.text));
  const chosen: Edit[] = [];
  const taken: Edits[] = [];
  const sorted = [...fixes].sort(
    (a, b) => Math.min(...a.edits.map((e) => e.start)) - Math.min(...b.edits.map((e) => e.start)),
  );
  for (const f of sorted) {
    if (f.edits.some((e) => e.start < 0 || e.end > text.length || e.end < e.start)) continue;
    if (f.edits.some((e) => chosen.some((c) => conflicts(c, e)))) continue;
    chosen.push(...f.edits);
    taken.push(f);
  }
  return taken;
}

/**
 * One fix's edits never overlap one another (as a rule's never do), though one may insert where
 * another begins: the later of two that overlap is dropped.
 */
function ownEdits(edits: Edit[]): Edit[] {
  const kept: Edit[] = [];
  for (const e of edits)
    if (!kept.some((k) => (k.start < e.end && e.start < k.end) || (k.start === e.start && k.end === e.end)))
      kept.push(e);
  return kept;
}

describe('applyFixesOnce on many fixes', () => {
  it('takes the fixes that checking every pair would take', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const text = 'x'.repeat(300);
    for (let round = 0; round < 500; round++) {
      const fixes: Edits[] = Array.from({ length: 1 + rand(40) }, () => ({
        safety: 'safe',
        message: 'm',
        edits: ownEdits(
          Array.from({ length: 1 + rand(3) }, () => {
            const start = rand(300);
            // Inserts (often of one text, at one point, as imports are) and replacements.
            const end = rand(3) === 0 ? start : Math.min(300, start + 1 + rand(20));
            return { start, end, text: start === end ? `i${rand(2)}` : 'r' };
          }),
        ),
      }));
      assert.deepEqual(applyFixesOnce(text, fixes).chosen, naiveChosen(text, fixes), `round ${round}`);
    }
  });
});

describe('fixText', () => {
  for (const [what, broken] of [
    ['an unclosed bracket', 'x = (\n'],
    ['an IndentationError', '  y = 1\n'],
    ['a `\\` before a comment', 'y = 1 \\ # c\n'],
    ['an unterminated string', 'y = "a\n'],
    ['a TabError', 'if y:\n\tz = 1\n        w = 2\n'],
  ]) {
    it(`drops a fix whose result has ${what} (the finding stays, unfixable) and changes nothing`, () => {
      const source = 'import mlflow\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n';
      const original = python.renderFix;
      // A renderer gone wrong.
      python.renderFix = (model) => [{ start: 0, end: 0, text: broken }].filter(() => model.text === source);
      try {
        const found = lintText('t.py', source).diagnostics.filter((d) => d.rule === 'unbatched-tags');
        assert.equal(found.length, 1);
        assert.equal(found[0].fix, null);
        const r = fixText('t.py', source);
        assert.equal(r.text, source);
        assert.equal(r.fixed, 0);
      } finally {
        python.renderFix = original;
      }
    });
  }

  it('applies the same fix when it is sound', () => {
    const source = 'import mlflow\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n';
    assert.equal(fixText('t.py', source).text, 'import mlflow\nmlflow.set_tags({"a": 1, "b": 2})\n');
  });

  it("indents new blocks by the step of the file's blocks, not by a bracket continuation before them", () => {
    const source = [
      'import mlflow',
      'config = dict(lr=0.1,',
      '              epochs=3)',
      'for step, batch in enumerate(loader):',
      '  loss = train_step(batch)',
      '  mlflow.log_metric("loss", loss, step=step)',
      '',
    ].join('\n');
    const fixed = fixText('t.py', source, {}, true).text;
    assert.match(fixed, /\n {2}if step % \d+ == 0:\n {4}mlflow\.log_metric\("loss", loss, step=step\)\n/);
  });
});
