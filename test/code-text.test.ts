// The pre-check looks for MLflow only in a Python file's code (python/code-text.ts): what it
// takes out must be what CPython and tree-sitter read as comments and string statements, and
// where it cannot be sure it must take out nothing.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type ParserType from 'tree-sitter';
import { lintText } from '../src/index.js';
import { nonCode, pythonCode } from '../src/languages/python/code-text.js';
import { exampleFiles, fixtureFiles } from './helpers.js';

const require = createRequire(import.meta.url);
const Parser = require('tree-sitter') as typeof ParserType;
const parser = new Parser();
parser.setLanguage(require('tree-sitter-python'));

/** What tree-sitter reads as comments and as statements that are plain strings. */
function nothingThere(text: string): [number, number][] {
  const out: [number, number][] = [];
  const plain = (n: ParserType.SyntaxNode): boolean =>
    n.type === 'string'
      ? !n.namedChildren.some((c) => c.type === 'interpolation')
      : n.type === 'concatenated_string' && n.namedChildren.every((c) => c.type === 'comment' || plain(c));
  const visit = (n: ParserType.SyntaxNode): void => {
    if (n.type === 'comment') out.push([n.startIndex, n.endIndex]);
    else if (n.type === 'expression_statement') {
      const kids = n.namedChildren.filter((c) => c.type !== 'comment');
      if (kids.length === 1 && plain(kids[0])) out.push([n.startIndex, n.endIndex]);
    }
    for (const c of n.children) visit(c);
  };
  visit(parser.parse(text).rootNode);
  return out;
}

const show = (path: string, text: string, parseEverything: boolean) =>
  lintText(path, text, { parseEverything }).diagnostics.map((d) => `${d.code}@${d.range.start.line} ${d.message}`);

/** Variants of a file that break how its strings and comments read: a quote, a `#`, a bracket, a `\` put in. */
function mutants(text: string): string[] {
  const out: string[] = [];
  const marks = [
    '"',
    "'",
    '"""',
    '#',
    '(',
    ')',
    '\\',
    'f"{',
    '\n"""x"""\n',
    't"{',
    'f"\\{',
    '\r',
    '`',
    'c:',
    '1or',
    'bu"',
    'match \\\n:',
  ];
  const step = Math.max(1, Math.floor(text.length / 40));
  let k = 0;
  for (let at = 0; at < text.length; at += step, k++) {
    const m = marks[k % marks.length];
    out.push(text.slice(0, at) + m + text.slice(at));
  }
  return out;
}

describe('the code of a Python text, for the pre-check', () => {
  it('leaves out comments and docstrings, and keeps every string that does something', () => {
    const out = (text: string) => /mlflow/i.test(pythonCode(text));
    const gone: string[] = [
      'x = 1  # logs to mlflow\n',
      '"""Trains with MLflow."""\nimport torch\n',
      'def f():\n    """Example:\n\n        self.logger.experiment.log_metric(k, v)\n    """\n    return 1\n',
      'class A:\n    r"mlflow" \\\n    "docs"\n',
      'x = 1; "mlflow"\n',
      '"a" "mlflow"  # two parts, one statement\n',
      'x = "#"  # mlflow\n',
    ];
    const kept: string[] = [
      'accelerator = Accelerator(log_with="mlflow")\n',
      'tracking = importlib.import_module("mlflow")\n',
      '"mlflow".upper()\n',
      'x = "a" \\\n    "mlflow"\n',
      'def f(c: "MlflowClient"):\n    return c\n',
      'def f(): "mlflow"\n',
      'f"{mlflow.log_metric(\'k\', 1)}"\n',
      '"a" f"{mlflow}"\n',
      'x = "# not a comment: mlflow"\n',
      '"doc"; import mlflow\n',
      '"""doc"""\n.strip()\nimport mlflow\n',
      'print("mlflow")\n',
      'x = f"""{d["k"]} {y!r:>{width}}"""  # fine\nimport mlflow\n',
    ];
    for (const t of gone) assert.equal(out(t), false, t);
    for (const t of kept) assert.equal(out(t), true, t);
  });

  it('takes out nothing where it cannot be sure how the text reads', () => {
    const unsure = [
      's = "never closed\nimport mlflow  # x\n',
      's = """never closed\n# mlflow\n',
      'f(\n# mlflow\n',
      'x = 1 \\ y  # mlflow\n',
      'x = f"{d["k"]}"  # mlflow\n',
      'x = f"{a # c\n}"  # mlflow\n',
      ')\n# mlflow\n',
    ];
    for (const t of unsure) {
      assert.equal(nonCode(t), null, t);
      assert.equal(pythonCode(t), t, t);
    }
  });

  it('gives up, or reads as tree-sitter does, where tree-sitter and CPython part', () => {
    const body = "\n'''\n'''\nimport mlflow\nfor x in loader:\n    mlflow.log_param(\"lr\", x)\n'''\n# '''\n";
    // Found by review: each once made the pre-check skip a file with a finding.
    const texts = [
      `x = rf"\\{"'''"}"${body}`,
      `x = f"\\{"'''"}"${body}`,
      `x = t"{"'''"}"${body}`,
      `x = uf"{"'''"}"${body}`,
      `x = \`'''\`${body}`,
      "# c\r'''\nimport mlflow\nfor x in loader:\n    mlflow.log_param(\"lr\", x)\n# '''\n",
      'c: ""\r"MlflowClient"\nfor x in loader:\n    c.log_param("run", "lr", x)\n',
      'if True: c:\n"MlflowClient"\nfor x in loader:\n    c.log_param("run", "lr", x)\n',
      'case:\n"MlflowClient"\nfor x in loader:\n    case.log_param("run", "lr", x)\n',
      'c: 1or\n"MlflowClient"\nfor x in loader:\n    c.log_param("run", "lr", x)\n',
      'match \\\n:\n"MlflowClient"\nfor x in loader:\n    match.log_param("run", "lr", x)\n',
      'with """\ns\n"""\n: 1\n"""MlflowClient"""\n',
      // A `#` line inside a string is no comment to blank for the second parse (python/index.ts).
      "def f():\n    '''\n# '''\n    '''\nimport mlflow\nfor x in loader:\n    mlflow.log_param(\"lr\", x)\n'''\nx = = 1  # '''\n",
    ];
    const findings = (t: string, all: boolean) =>
      lintText('t.py', t, { parseEverything: all })
        .diagnostics.filter((d) => d.code !== 'MLF000')
        .map((d) => `${d.code}@${d.range.start.line}`);
    let found = 0;
    for (const t of texts) {
      const all = findings(t, true);
      found += all.length;
      assert.deepEqual(findings(t, false), all, JSON.stringify(t));
    }
    assert.ok(found >= 10, `${found} findings`);
  });

  it('takes out only what tree-sitter reads as comments and string statements, in every fixture, example and mutant', () => {
    const files = [...fixtureFiles().map((f) => f.file), ...exampleFiles()].filter((f) => f.endsWith('.py'));
    assert.ok(files.length > 20);
    let checked = 0;
    let mutated = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const [i, t] of [text, ...mutants(text)].entries()) {
        const cuts = nonCode(t);
        if (!cuts) continue;
        if (parser.parse(t).rootNode.hasError) {
          // Where tree-sitter recovers, what counts is that findings do not depend on the shortcut;
          // a file not analysed has no MLF000 (it is reported for the files mlflint analyses).
          const r = lintText(f, t);
          const analysed = !r.skipped && !r.deferred;
          const all = show(f, t, true).filter((d) => analysed || !d.startsWith('MLF000'));
          assert.deepEqual(show(f, t, false), all, `${f} variant ${i}`);
          mutated++;
          continue;
        }
        const there = nothingThere(t);
        for (let k = 0; k < cuts.length; k += 2) {
          const [a, b] = [cuts[k], cuts[k + 1]];
          assert.ok(
            there.some(([x, y]) => x <= a && b <= y),
            `${f} variant ${i}: ${JSON.stringify(t.slice(a, b))} is no comment or string statement`,
          );
          checked++;
        }
      }
    }
    assert.ok(checked > 500, `${checked} regions checked`);
    assert.ok(mutated > 50, `${mutated} broken variants compared`);
  });
});
