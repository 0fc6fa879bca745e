// Broken input never crashes the analysis, and every finding points inside the file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { lintText } from '../src/index.js';
import { fixtureFiles } from './helpers.js';

const JUNK = [
  '(',
  ')',
  ':',
  '\n',
  '    ',
  'for ',
  'if ',
  '%',
  'mlflow.',
  '"',
  "'",
  '[',
  ']',
  'def ',
  'with ',
  ',',
  '=',
  'lambda ',
  '\t',
  '\\',
  '😀',
  '#',
  '"""',
];

describe('mutated fixtures', () => {
  it('lint without throwing and report ranges inside the text', () => {
    const sources = fixtureFiles()
      .filter((f) => f.name.endsWith('.py'))
      .map((f) => readFileSync(f.file, 'utf8'));
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let findings = 0;
    for (let i = 0; i < 600; i++) {
      let text = sources[i % sources.length];
      for (let e = 0; e < 1 + Math.floor(rnd() * 6); e++) {
        const at = Math.floor(rnd() * text.length);
        text =
          rnd() < 0.5
            ? text.slice(0, at) + text.slice(at + Math.floor(rnd() * 20))
            : text.slice(0, at) + JUNK[Math.floor(rnd() * JUNK.length)] + text.slice(at);
      }
      const lines = text.split('\n');
      for (const d of lintText('mutated.py', text).diagnostics) {
        findings++;
        const { start, end } = d.range;
        assert.ok(start.line >= 1 && start.line <= lines.length, `line ${start.line} of ${lines.length}`);
        assert.ok(
          start.column >= 1 && start.offset <= end.offset && end.offset <= text.length,
          JSON.stringify(d.range),
        );
        assert.ok(start.column <= [...lines[start.line - 1]].length + 1, 'column past the end of its line');
      }
    }
    assert.ok(findings > 100, `only ${findings} findings: the mutations destroyed too much to test anything`);
  });
});
