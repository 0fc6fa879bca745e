// The fix engine on its own: non-overlapping passes, and the refusal to write worse code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixesOnce } from '../src/engine/apply-fixes.js';
import { fixText } from '../src/index.js';
import { python } from '../src/languages/python/index.js';

describe('applyFixesOnce', () => {
  it('applies non-overlapping fixes and skips the ones that overlap a fix already taken', () => {
    const r = applyFixesOnce('abcdef', [
      { safety: 'safe', message: '1', edits: [{ start: 0, end: 2, text: 'X' }] },
      { safety: 'safe', message: '2', edits: [{ start: 1, end: 3, text: 'Y' }] },
      { safety: 'safe', message: '3', edits: [{ start: 4, end: 5, text: 'Z' }] },
    ]);
    assert.deepEqual(r, { text: 'XcdZf', applied: 2 });
  });

  it('takes all edits of a fix or none, and keeps the order of inserts at one point', () => {
    const r = applyFixesOnce('abc', [
      { safety: 'safe', message: '1', edits: [{ start: 3, end: 3, text: '1' }, { start: 3, end: 3, text: '2' }, { start: 0, end: 1, text: 'A' }] },
      { safety: 'safe', message: '2', edits: [{ start: 2, end: 2, text: '!' }, { start: 0, end: 0, text: '?' }] },
    ]);
    assert.deepEqual(r, { text: 'Abc12', applied: 1 });
  });

  it('ignores edits outside the text', () => {
    assert.deepEqual(applyFixesOnce('abc', [{ safety: 'safe', message: 'x', edits: [{ start: 2, end: 9, text: '' }] }]), { text: 'abc', applied: 0 });
  });
});

describe('fixText', () => {
  it('refuses a result with more syntax errors than the input and changes nothing', () => {
    const source = 'import mlflow\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n';
    const original = python.renderFix;
    // A renderer gone wrong: its edit leaves an unclosed bracket.
    python.renderFix = (model) => [{ start: 0, end: 0, text: 'x = (\n' }].filter(() => model.text === source);
    try {
      const r = fixText('t.py', source);
      assert.equal(r.text, source);
      assert.equal(r.fixed, 0);
      assert.match(r.refused ?? '', /syntax errors/);
    } finally {
      python.renderFix = original;
    }
    assert.equal(fixText('t.py', source).text, 'import mlflow\nmlflow.set_tags({"a": 1, "b": 2})\n');
  });
});
