// CI formats: GitHub workflow commands, SARIF (validated against the official schema), JUnit,
// GitLab Code Quality, JSON Lines.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { Diagnostic } from '../src/index.js';
import { lintText } from '../src/index.js';
import { gitlab, jsonLines, junit } from '../src/reporters/ci.js';
import { escapeData, escapeProperty, github } from '../src/reporters/github.js';
import type { FileReport } from '../src/reporters/types.js';
import { ruleUrl as urlOf } from '../src/docs/urls.js';
import { findRule } from '../src/index.js';

const ruleUrl = (code: string): string | undefined => {
  const r = findRule(code);
  return r && urlOf(r);
};
import { concise, text } from '../src/reporters/text.js';
import { mlflint, project } from './helpers.js';

const require = createRequire(import.meta.url);

function diag(over: Partial<Diagnostic> & { line: number; col: number; endLine: number; endCol: number }): Diagnostic {
  const p = (line: number, column: number) => ({ line, column, offset: 0 });
  return {
    code: 'MLF102',
    rule: 'unbatched-metrics',
    severity: 'warning',
    message: 'm',
    help: null,
    related: [],
    fix: null,
    impact: null,
    range: { start: p(over.line, over.col), end: p(over.endLine, over.endCol) },
    ...over,
  } as Diagnostic;
}

describe('text: frames and help', () => {
  it('marks the call with ^ and each related place with -, leaves out the lines between, and says what to do', () => {
    const source =
      'import mlflow\n\nmlflow.log_param("lr", 0.1)\nx = 1\ny = 2\nz = 3\nmlflow.log_param("lr", schedule())\n';
    const diagnostics = lintText('a.py', source).diagnostics;
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['MLF204'],
    );
    const out = text([{ path: 'a.py', text: source, diagnostics }], { color: false, frames: true, quiet: true });
    assert.equal(
      out,
      [
        'a.py:7:1: MLF204 the param "lr" was already logged on line 3, maybe with another value',
        '  |',
        '3 | mlflow.log_param("lr", 0.1)',
        '  | --------------------------- logged first here',
        '...',
        '6 | z = 3',
        '7 | mlflow.log_param("lr", schedule())',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ MLF204',
        '  |',
        '  = help: Logging it again raises `MlflowException`: log a changing value as a metric, or use another key',
        '',
        '',
      ].join('\n'),
    );
    assert.equal(
      concise([{ path: 'a.py', text: source, diagnostics }], { color: false, frames: true, quiet: true }).split('\n')
        .length,
      2,
    );
  });
});

describe('--format github', () => {
  it('escapes data and properties as the Actions runner requires', () => {
    assert.equal(escapeData('50% done\r\nnext: a, b'), '50%25 done%0D%0Anext: a, b');
    assert.equal(escapeProperty('dir,with:colon%/a.py'), 'dir%2Cwith%3Acolon%25/a.py');
  });

  it('prints one command per finding, by severity, and omits columns for ranges over several lines', () => {
    const file: FileReport = {
      path: 'x',
      repoPath: 'src/we,ird:name%.py',
      text: '',
      diagnostics: [
        diag({ line: 3, col: 5, endLine: 3, endCol: 20, message: 'rate is 100%: a, b\nsecond line' }),
        diag({
          line: 7,
          col: 1,
          endLine: 9,
          endCol: 2,
          severity: 'error',
          code: 'MLF204',
          rule: 'param-overwrite',
          message: 'x',
        }),
        diag({ line: 12, col: 2, endLine: 12, endCol: 4, severity: 'info', message: 'note' }),
      ],
    };
    assert.equal(
      github([file]),
      [
        '::warning file=src/we%2Cird%3Aname%25.py,line=3,endLine=3,col=5,endColumn=20,title=mlflint (MLF102)::MLF102 rate is 100%25: a, b%0Asecond line',
        '::error file=src/we%2Cird%3Aname%25.py,line=7,endLine=9,title=mlflint (MLF204)::MLF204 x',
        '::notice file=src/we%2Cird%3Aname%25.py,line=12,endLine=12,col=2,endColumn=4,title=mlflint (MLF102)::MLF102 note',
        '',
      ].join('\n'),
    );
  });

  it('reports paths relative to the repository root, from a subdirectory too', () => {
    const dir = project(
      { 'pkg/sub/train.py': 'import mlflow\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n' },
      'mlflint-gh-',
    );
    spawnSync('git', ['init', '-q', dir]);
    const r = mlflint(['check', '--format', 'github', '.'], join(dir, 'pkg'));
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^::warning file=pkg\/sub\/train\.py,line=2,endLine=2,col=1,endColumn=23,title=mlflint \(MLF203\)::MLF203 /,
    );
  });
});

describe('--format sarif', () => {
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  );
  // The schema's patterns predate the `u` flag that ajv 8 uses by default.
  // Both packages are CommonJS with a `default` export.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  ajvFormats.default(ajv);
  const compiled = ajv.compile(schema);
  const validate = Object.assign((x: unknown): boolean => compiled(x), {
    get errors() {
      return compiled.errors;
    },
  });

  it('validates against the SARIF 2.1.0 schema for the bundled examples, with rules, fingerprints and fixes', () => {
    const r = mlflint(['check', '--format', 'sarif', 'examples']);
    assert.equal(r.status, 1, r.stderr);
    const log = JSON.parse(r.stdout);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'mlflint');
    assert.deepEqual(
      run.tool.driver.rules.map((x: { id: string }) => x.id),
      ['MLF000', 'MLF001', 'MLF101', 'MLF102', 'MLF201', 'MLF202', 'MLF203', 'MLF204', 'MLF301'],
    );
    for (const rule of run.tool.driver.rules) assert.match(rule.helpUri, /README\.md#mlf\d{3}-[a-z-]+$/);
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'MLF102');
    assert.equal(res.level, 'warning');
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'examples/sklearn_train.py');
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.deepEqual(res.locations[0].physicalLocation.region, {
      startLine: 22,
      startColumn: 9,
      endLine: 22,
      endColumn: 75,
    });
    assert.match(res.partialFingerprints.primaryLocationLineHash, /^[0-9a-f]{16}:1$/);
    assert.match(
      res.fixes[0].artifactChanges[0].replacements[0].insertedContent.text,
      /mlflow\.log_metrics\(\n\s+\{\n/,
    );
    const overwrite = run.results.find((x: { ruleId: string }) => x.ruleId === 'MLF204');
    assert.equal(overwrite.level, 'error');
    // The earlier write of the param is the finding's second location.
    assert.deepEqual(overwrite.relatedLocations, [
      {
        id: 0,
        message: { text: 'logged first here' },
        physicalLocation: {
          artifactLocation: { uri: 'examples/sklearn_train.py', uriBaseId: '%SRCROOT%' },
          region: { startLine: 15, startColumn: 9, endLine: 15, endColumn: 49 },
        },
      },
    ]);
    assert.match(overwrite.message.text, /already logged on line 15.*\. Logging it again raises/);
    // The validator is not a rubber stamp: a broken log fails it.
    res.level = 'fatal';
    assert.equal(validate(log), false);
  });

  it('validates for an empty run', () => {
    const dir = project({ 'ok.py': 'import mlflow\nmlflow.log_params({"a": 1})\n' }, 'mlflint-sarif-');
    const r = mlflint(['check', '--format', 'sarif', '.'], dir);
    assert.equal(r.status, 0);
    const log = JSON.parse(r.stdout);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.deepEqual(log.runs[0].results, []);
  });
});

describe('--format junit, gitlab, json-lines', () => {
  const text =
    'import mlflow\nmlflow.set_tag("<a&b>", 1)\nmlflow.set_tag("b", 2)\nmlflow.set_tag("c", 2)\nx = 1\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n';
  const files: FileReport[] = [{ path: 'src/t.py', text, diagnostics: lintText('t.py', text).diagnostics }];

  it('junit: one failing test case per finding, XML-escaped; a passing case when clean', () => {
    const out = junit(files);
    assert.match(
      out,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="mlflint" tests="2" failures="2" errors="0">/,
    );
    assert.equal((out.match(/<testcase /g) ?? []).length, 2);
    assert.equal((out.match(/<failure /g) ?? []).length, 2);
    assert.ok(!/<a&b>/.test(out));
    assert.match(
      junit([{ path: 'a.py', text: '', diagnostics: [] }]),
      /<testcase name="No findings" classname="mlflint"\/>/,
    );
  });

  it('gitlab: Code Quality issues with distinct fingerprints and a severity', () => {
    const issues = JSON.parse(gitlab(files));
    assert.equal(issues.length, 2);
    for (const i of issues) {
      assert.deepEqual(Object.keys(i), ['description', 'check_name', 'fingerprint', 'severity', 'location']);
      assert.equal(i.check_name, 'mlflint/unbatched-tags');
      assert.equal(i.severity, 'minor');
      assert.equal(i.location.path, 'src/t.py');
    }
    assert.notEqual(issues[0].fingerprint, issues[1].fingerprint);
    assert.deepEqual(
      issues.map((i: { location: { lines: { begin: number } } }) => i.location.lines.begin),
      [2, 6],
    );
  });

  it('json-lines: one JSON object per line, the same objects as --format json', () => {
    const lines = jsonLines(files, ruleUrl)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    const viaCli = mlflint(['check', '--format', 'json-lines', '--stdin-filename', 'src/t.py'], { input: text });
    assert.deepEqual(
      viaCli.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
      lines,
    );
  });
});
