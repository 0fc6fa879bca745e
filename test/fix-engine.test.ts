// The fix engine on its own: non-overlapping passes, and the refusal to write worse code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixesOnce } from '../src/engine/apply-fixes.js';
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
