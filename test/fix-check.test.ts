// The fix check parses only the statements a fix touches (languages/python/fix-check.ts), or in
// TypeScript the declarations (languages/typescript/fix-check.ts). It may say "clean" only when a
// full count of the fixed text finds no problem: checked here against the full count on every
// fixture's and example's own fixes, and on thousands of seeded edits, most of which break the file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { applyFixesOnce, lintText, type Edit } from '../src/index.js';
import type { LanguageAdapter } from '../src/languages/adapter.js';
import { python } from '../src/languages/python/index.js';
import { typescript } from '../src/languages/typescript/index.js';
import { rng } from './fuzz/mutate.js';
import { exampleFiles, fixtureFiles } from './helpers.js';

const pyFiles = (): string[] =>
  [...fixtureFiles().map((f) => f.file), ...exampleFiles()].filter((f) => f.endsWith('.py'));

const tsFiles = (): string[] =>
  [...fixtureFiles().map((f) => f.file), ...exampleFiles()].filter((f) => /\.[cm]?[jt]sx?$/.test(f));

/** The quick check's answer, and the full count's, for `text` with `edits` made. */
function both(
  path: string,
  text: string,
  edits: Edit[],
  adapter: LanguageAdapter = python,
): { quick: boolean; full: number } | null {
  const model = adapter.parse(path, text);
  if (!model.parsesCleanAfter) return null;
  const out = applyFixesOnce(text, [{ edits }]);
  return {
    quick: model.parsesCleanAfter(out.text, out.edits),
    full: adapter.countSyntaxProblems(path, out.text),
  };
}

/** The fixtures' and examples' own fixes: how many files were checked, and how many said clean (each proven by the full count). */
function ownFixes(files: string[], adapter: LanguageAdapter): { checked: number; clean: number } {
  let clean = 0;
  let checked = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const fixes = lintText(f, text, { fixCheckParses: 0 }).diagnostics.flatMap((d) => (d.fix ? [d.fix] : []));
    if (!fixes.length) continue;
    const r = both(f, text, applyFixesOnce(text, fixes).edits, adapter);
    if (!r) continue;
    checked++;
    if (r.quick) {
      clean++;
      assert.equal(r.full, 0, `${f}: said clean, the full parse finds ${r.full}`);
    }
  }
  return { checked, clean };
}

/**
 * 3,000 seeded edits of the files (one to three inserts, deletions and replacements at any
 * offset, in source order): none may be said clean where the full count finds a problem.
 */
function seededEdits(files: string[], pieces: string[], seed: number, adapter: LanguageAdapter) {
  const next = rng(seed);
  const texts = files.map((f) => ({ f, text: readFileSync(f, 'utf8') }));
  let broken = 0;
  let saidClean = 0;
  for (let n = 0; n < 3000; n++) {
    const { f, text } = texts[Math.floor(next() * texts.length)];
    const edits: Edit[] = [];
    let at = 0;
    for (let k = 1 + Math.floor(next() * 3); k > 0 && at < text.length; k--) {
      const start = at + Math.floor(next() * (text.length - at));
      const end = Math.min(text.length, start + (next() < 0.5 ? 0 : Math.floor(next() * 12)));
      edits.push({ start, end, text: next() < 0.2 ? '' : pieces[Math.floor(next() * pieces.length)] });
      at = end + 1;
    }
    const r = both(f, text, edits, adapter);
    if (!r) continue;
    if (r.full > 0) broken++;
    if (r.quick) {
      saidClean++;
      assert.equal(r.full, 0, `${f} with ${JSON.stringify(edits)}: said clean, the full parse finds ${r.full}`);
    }
  }
  return { broken, saidClean };
}

const PIECES = [
  '(',
  ')',
  ':',
  '\n',
  '\n    ',
  '    ',
  '"',
  "'''",
  '\\\n',
  'x = 1\n',
  'if a:\n',
  ' else',
  '#',
  ',',
  'pass',
];

describe('fix check on the touched statements', () => {
  it("says clean of the fixtures' own fixes only when a full parse agrees, and says it for nearly all", () => {
    const { checked, clean } = ownFixes(pyFiles(), python);
    assert.ok(checked >= 15, `only ${checked} files with fixes`);
    assert.ok(clean >= checked * 0.9, `clean said for ${clean} of ${checked}`);
  });

  it('never says clean of a seeded edit that breaks the file', () => {
    const { broken, saidClean } = seededEdits(pyFiles(), PIECES, 20261207, python);
    assert.ok(broken > 1000 && saidClean > 300, `${broken} broken, ${saidClean} said clean`);
  });

  const E = (start: number, end: number, text: string): Edit => ({ start, end, text });
  const cases: [string, string, Edit[], boolean][] = [
    ['a statement on its block header line', 'if x: f()\ny = 1\n', [{ start: 6, end: 9, text: 'g(' }], false],
    ['a statement after a semicolon', 'a = 1; b = 2\nc = 3\n', [{ start: 11, end: 12, text: '(' }], false],
    ['an import between statements', '"""doc"""\n\nx = 1\n', [{ start: 10, end: 10, text: 'import mlflow\n' }], true],
    [
      'an indented call wrapped in a guard',
      'def f():\n    g()\n    h()\n',
      [{ start: 13, end: 13, text: 'if s % 10 == 0:\n        ' }],
      true,
    ],
    ['a block left without its body', 'for i in r:\n    g()\nx = 1\n', [{ start: 12, end: 20, text: '' }], false],
    [
      'a future import pushed down',
      'from __future__ import annotations\n',
      [{ start: 0, end: 0, text: 'import os\n' }],
      false,
    ],
    ['a dedent that leaves the block', 'def f():\n    g()\n    h()\n', [{ start: 14, end: 18, text: 'x\ny' }], false],
    // Each part is parsed alone: joined, one part's open end would be closed by the next.
    ['a bracket closed two lines down', 'a\nimport b\nc\n', [E(0, 1, 'f('), E(11, 12, ')')], false],
    ['a continuation across an untouched line', 'a\nimport b\nc\n', [E(1, 1, ' + \\'), E(11, 12, 'd')], false],
    ['a decorator over an untouched line', 'a\nb\nc\n', [E(0, 1, '@d'), E(4, 5, 'def g(): pass')], false],
    ['an else across an untouched line', 'a\nb\nc\n', [E(0, 1, 'if x:\n    y'), E(4, 5, 'else:\n    z')], false],
    ['a decorator over a block', 'a\nif c:\n    b\n', [E(0, 1, '@d'), E(12, 13, 'e')], false],
    ['a case clause turned statement', 'match v:\n    case 1:\n        pass\n', [E(13, 33, 'x = 1')], false],
    [
      'a part opening on a comment left of its block',
      'if a:\n    w\n# c\n    x\nelse:\n    y\n',
      [E(12, 21, '# c\n    x\nz')],
      false,
    ],
    ['a module part left indented', 'match v:\n    case 1:\n        pass\nwhile t:\n    x\n', [E(34, 43, '')], false],
    ['an indented decorator before a def', 'def f():\n    a\ndef g():\n    pass\n', [E(15, 15, '    @d\n')], false],
    ['a statement added to a case body', 'match v:\n    case 1:\n        pass\n', [E(33, 33, '\n        x = 1')], true],
  ];
  for (const [name, text, edits, clean] of cases)
    it(`${name}: ${clean ? 'clean' : 'left to the full parse'}`, () => {
      const r = both('t.py', text, edits);
      assert.ok(r);
      assert.equal(r.quick, clean, JSON.stringify(r));
      if (r.quick) assert.equal(r.full, 0);
    });
});

const TS_PIECES = [
  '(',
  ')',
  '{',
  '}',
  ';',
  '\n',
  '`',
  "'",
  '/*',
  '//',
  'x = 1;',
  'if (a)',
  ' else ',
  '<',
  '>',
  ',',
  '=>',
  // A body closed early, the last `}` then another construct's (found by review).
  '} x = {',
  '} type T = {',
  '} x = class {',
  '} y = function(){',
  '} function g(){',
];

describe('fix check on the touched declarations (TypeScript)', () => {
  it("says clean of the fixtures' own fixes only when a full parse agrees", () => {
    const { checked, clean } = ownFixes(tsFiles(), typescript);
    assert.ok(checked >= 5 && clean >= 2, `clean said for ${clean} of ${checked}`);
  });

  it('never says clean of a seeded edit that breaks the file', () => {
    const { broken, saidClean } = seededEdits(tsFiles(), TS_PIECES, 20261208, typescript);
    assert.ok(broken > 1000 && saidClean > 200, `${broken} broken, ${saidClean} said clean`);
  });

  const E = (start: number, end: number, text: string): Edit => ({ start, end, text });
  const fit = 'export class T {\n  fit() {\n    a();\n  }\n}\n';
  const cases: [string, string, Edit[], boolean][] = [
    ['a call guarded inside a method', fit, [E(31, 35, 'if (s % 10 === 0) a();')], true],
    ['a brace left open inside a method', fit, [E(31, 35, 'if (s) {')], false],
    ['an import added at the top', fit, [E(0, 0, "import x from 'x';\n")], false],
    ['code outside any declaration', 'a();\nb();\n', [E(0, 4, 'c();')], false],
    ['an arrow function held by a const', 'const f = () => {\n  a();\n};\n', [E(20, 24, 'b();')], false],
    [
      'two functions changed',
      'function f() {\n  a();\n}\nfunction g() {\n  b();\n}\n',
      [E(17, 21, 'c();'), E(41, 45, 'd();')],
      true,
    ],
    [
      'a template left open in one of two',
      'function f() {\n  a();\n}\nfunction g() {\n  b();\n}\n',
      [E(17, 21, '`')],
      false,
    ],
    // Each parses clean alone, but is no longer one declaration ending with its body (found by review).
    ['a body closed early, an object literal after it', 'function f(){ a } f()', [E(14, 15, '} x = {')], false],
    ['a class body closed early', 'class A { a } f()', [E(10, 11, '} x = {')], false],
    ['a regex read as division after it', 'function f(){ a }\n/a/.test(s)', [E(14, 15, '} x = class {')], false],
    ['a type alias after it', 'function f(){ a } export {}', [E(14, 15, '} type T = {')], false],
    ['quotes taken away', 'function f(){ "} x = {" } f()', [E(14, 15, ''), E(22, 23, '')], false],
    ['a body split in two functions', 'function f(){ a }\nf()', [E(14, 15, '} function g(){')], false],
  ];
  for (const [name, text, edits, clean] of cases)
    it(`${name}: ${clean ? 'clean' : 'left to the full parse'}`, () => {
      const r = both('t.ts', text, edits, typescript);
      assert.ok(r);
      assert.equal(r.quick, clean, JSON.stringify(r));
      if (r.quick) assert.equal(r.full, 0);
    });
});
