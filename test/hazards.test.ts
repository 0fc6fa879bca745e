// The hazards that broke files or killed runs in mlflint 0.1.0, each through the built binary
// (and ESLint where it applies): fixes that must still compile under CPython with no new
// undefined name, inputs that must not end the run, and reports that must say what happened.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { oraclePython } from './fuzz/run.js';
import { BIN, eslint, findingPlaces, mlflint, project, writeEslintConfig } from './helpers.js';

const PYTHON = oraclePython();
const NEEDS = 'python3 with pyflakes is needed (Debian: pyflakes3; .ci/run installs it)';
if (!PYTHON && process.env.CI) throw new Error(NEEDS);

/** CPython's verdict on each file, and the names pyflakes finds undefined. */
function judge(dir: string, names: string[]): Record<string, { error: string | null; undefined: string[] }> {
  const script = [
    'import ast, json, sys',
    'from pyflakes import checker, messages',
    'out = {}',
    'for name in sys.argv[2:]:',
    '    data = open(sys.argv[1] + "/" + name, "rb").read()',
    '    try:',
    '        compile(data, name, "exec", dont_inherit=True)',
    '        found = checker.Checker(ast.parse(data), filename=name).messages',
    '        out[name] = {"error": None, "undefined": sorted({m.message_args[0] for m in found if isinstance(m, messages.UndefinedName)})}',
    '    except SyntaxError as e:',
    '        out[name] = {"error": f"{type(e).__name__}: {e}", "undefined": []}',
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync(PYTHON as string, ['-c', script, dir, ...names], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const HAZARDS: Record<string, string> = {
  // An import between `from mlflow import log_param, \` and its continuation line.
  'continued_import.py': [
    'from mlflow import log_param, \\',
    '    log_metric',
    'from mlflow.tracking import MlflowClient',
    '',
    'client = MlflowClient()',
    '',
    'def f(run_id, history):',
    '    for k, v in history.items():',
    '        client.log_metric(run_id, k, v)',
    '',
  ].join('\n'),
  // A `(` in a comment, on an import inside a function.
  'comment_paren.py': [
    'def train(run_id, metrics):',
    '    import mlflow.tracking  # see (docs',
    '    client = mlflow.tracking.MlflowClient()',
    '    for k, v in metrics.items():',
    '        client.log_metric(run_id, k, v)',
    '',
  ].join('\n'),
  // Comments and `\` in loop headers and call arguments, and a one-line loop body.
  'headers.py': [
    'import mlflow',
    '',
    'def a(tags, params, d, model):',
    '    for k, v in tags.items():  # type: ignore',
    '        mlflow.set_tag(k, v)',
    '    for k, v in zip(  # pairs',
    '            params, params):',
    '        mlflow.log_param(k, v)',
    '    for k, v in \\',
    '            d.items():',
    '        mlflow.log_metric(k, \\',
    '            v)',
    '    for step in range(1000): mlflow.log_metric("loss", model(step))',
    '',
  ].join('\n'),
  // Aliased imports: the fix must use the names the file binds.
  'aliases.py': [
    'import time as _time',
    'from mlflow.entities import Metric as M',
    'from mlflow import log_param, log_params as lp',
    'from mlflow.tracking import MlflowClient',
    '',
    'client = MlflowClient()',
    '',
    'def f(run_id, history):',
    '    for k, v in history.items():',
    '        client.log_metric(run_id, k, v)',
    '    log_param("a", 1)',
    '    log_param("b", 2)',
    '',
  ].join('\n'),
  // A module docstring that mentions an import, `__future__`, and import text in a string.
  'docstring.py': [
    '"""Train.',
    '',
    'import time',
    '"""',
    'from __future__ import annotations',
    'NOTE = "import time; from mlflow.entities import Metric"',
    'from mlflow.tracking import MlflowClient',
    '',
    'def f(run_id, history):',
    '    client = MlflowClient()',
    '    for k, v in history.items():',
    '        client.log_metric(run_id, k, v)',
    '',
  ].join('\n'),
  // No import at module level: the import goes after the docstring, not above it.
  'docstring_only.py': [
    '"""Only a docstring."""',
    '',
    'def f(run_id, history):',
    '    from mlflow.tracking import MlflowClient',
    '    client = MlflowClient()',
    '    for k, v in history.items():',
    '        client.log_metric(run_id, k, v)',
    '',
  ].join('\n'),
  // Imports far down a file that starts with `from __future__`.
  'late_imports.py': [
    'from __future__ import annotations',
    'import mlflow',
    ...Array.from({ length: 420 }, (_, i) => `x${i} = ${i}`),
    'from mlflow.tracking import MlflowClient',
    'client = MlflowClient()',
    '',
    'def f(run_id, h):',
    '    for k, v in h.items():',
    '        client.log_metric(run_id, k, v)',
    '',
  ].join('\n'),
};

describe('fixes on the hazards of 0.1.0', { skip: PYTHON ? false : NEEDS }, () => {
  const names = Object.keys(HAZARDS);

  it('every fixed file compiles under CPython and has no undefined name, and the fixes were made', () => {
    const dir = project(HAZARDS);
    const r = mlflint(['check', '--fix', '--unsafe-fixes', '--exit-zero', '.'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const verdict = judge(dir, names);
    for (const n of names) assert.deepEqual(verdict[n], { error: null, undefined: [] }, n);
    const read = (n: string) => readFileSync(join(dir, n), 'utf8');
    for (const n of names) assert.notEqual(read(n), HAZARDS[n], `${n} was not fixed`);
    assert.match(
      read('continued_import.py'),
      /^import time\n\nfrom mlflow import log_param, \\\n {4}log_metric\nfrom mlflow\.entities import Metric\nfrom mlflow\.tracking import MlflowClient\n/,
    );
    assert.match(read('comment_paren.py'), /^from mlflow\.entities import Metric\nimport time\ndef train/);
    assert.match(read('headers.py'), /^ {4}mlflow\.set_tags\(tags\) {2}# type: ignore$/m);
    // A comment inside the header: no one-line fix can keep it, so that loop stays as it was.
    assert.match(read('headers.py'), /for k, v in zip\( {2}# pairs\n/);
    assert.match(read('headers.py'), /for step in range\(1000\): mlflow\.log_metric/);
    // A `\` in the header and in the arguments: read from the tree, the loop is one call.
    assert.match(read('headers.py'), /^ {4}mlflow\.log_metrics\(d\)$/m);
    assert.match(
      read('aliases.py'),
      /timestamp_ms = int\(_time\.time\(\) \* 1000\)\n {4}client\.log_batch\(\n {8}run_id, metrics=\[M\(k, v, timestamp_ms, 0\)/,
    );
    assert.match(read('aliases.py'), /^ {4}lp\(\{"a": 1, "b": 2\}\)$/m);
    assert.match(
      read('docstring.py'),
      /^"""Train\.\n\nimport time\n"""\nfrom __future__ import annotations\nfrom mlflow\.entities import Metric\nimport time\nNOTE = /,
    );
    assert.match(
      read('docstring_only.py'),
      /^"""Only a docstring\."""\nfrom mlflow\.entities import Metric\nimport time\n/,
    );
    assert.match(
      read('late_imports.py'),
      /^from __future__ import annotations\nimport time\n\nimport mlflow\nfrom mlflow\.entities import Metric\nx0 = 0\n/,
    );
    // Idempotent.
    assert.equal(mlflint(['check', '--diff', '--unsafe-fixes', '.'], dir).stdout, '');
  });

  it('a loop it cannot fix keeps its finding, which is not counted as fixable', () => {
    const dir = project({ 'headers.py': HAZARDS['headers.py'] });
    const r = mlflint(['check', '--format', 'json', '.'], dir);
    const found = JSON.parse(r.stdout) as { line: number; code: string; fix: unknown }[];
    const zipLoop = found.find((f) => f.line === 8);
    assert.equal(zipLoop?.code, 'MLF202');
    assert.equal(zipLoop?.fix, null);
    assert.equal(found.find((f) => f.line === 13)?.fix, null);
  });

  it('ESLint --fix goes through the same check: the same files compile and mean the same', () => {
    const dir = project(HAZARDS);
    writeEslintConfig(dir);
    const e = eslint(dir, ['--fix', '.']);
    assert.ok(e.status === 0 || e.status === 1, e.stderr);
    const verdict = judge(dir, names);
    for (const n of names) assert.deepEqual(verdict[n], { error: null, undefined: [] }, n);
    assert.match(readFileSync(join(dir, 'headers.py'), 'utf8'), /^ {4}mlflow\.set_tags\(tags\) {2}# type: ignore$/m);
  });

  it('a CRLF file keeps CRLF everywhere after a dict-loop fix', () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const dir = project({ 'a.py': crlf(HAZARDS['headers.py']), 'b.py': crlf(HAZARDS['docstring.py']) });
    mlflint(['check', '--fix', '--unsafe-fixes', '--exit-zero', '.'], dir);
    for (const n of ['a.py', 'b.py']) {
      const text = readFileSync(join(dir, n), 'utf8');
      assert.notEqual(text, crlf(HAZARDS[n === 'a.py' ? 'headers.py' : 'docstring.py']));
      assert.doesNotMatch(text, /[^\r]\n|\r(?!\n)/, n);
    }
  });
});

const LOGS = 'import mlflow\n\nfor step in range(1000):\n    mlflow.log_metric("loss", step)\n';
/** A first line that imports MLflow and logs (so the file is analysed), one line like `import mlflow`. */
const LOGS_TAG = 'import mlflow; mlflow.set_tag("k", "v")\n';

describe('inputs that ended the run in 0.1.0', () => {
  const deep: Record<string, string> = {
    // It logs, so it is analysed (MLF000 is reported for the files mlflint analyses).
    'nested_blocks.py': `${LOGS_TAG}${Array.from({ length: 520 }, (_, i) => `${'    '.repeat(i)}if x:`).join('\n')}\n${'    '.repeat(520)}"s"\n`,
    // The tracking call is the innermost of the chain, so every call around it is walked.
    'chain.py': `import mlflow\nx = mlflow.log_metric("a", 1)${'.m()'.repeat(1000)}\n`,
    // Calls no rule reads are skipped whole, however deep: nothing is left unanalysed.
    'unread_chain.py': `import mlflow\nx = a${'.m()'.repeat(1000)}\n`,
    'lambdas.py': `import mlflow\nmlflow.log_param("a", 1)\nf = ${'lambda: '.repeat(2000)}1\n`,
    // Files that call a tracking API: the others are not lowered (nor parsed, when they name no MLflow).
    'calls.ts': `import Mlflow from 'mlflow-js';\nawait mlflow.logParam(runId, 'a', '1');\nconst x = ${'f('.repeat(1000)}1${')'.repeat(1000)};\n`,
    'ifs.ts': `import Mlflow from 'mlflow-js';\nawait mlflow.logParam(runId, 'a', '1');\n${'if (a) {'.repeat(1000)}x();${'}'.repeat(1000)}\n`,
    'uncalled_lambdas.py': `import mlflow\nf = ${'lambda: '.repeat(2000)}1\n`,
    'train.py': LOGS,
  };

  it('deep nesting: CPython-limit errors are findings, code too deep to walk is a warning, the other files are linted', () => {
    const dir = project(deep);
    const r = mlflint(['check', '--format', 'concise', '.'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|RangeError|Assertion/);
    assert.match(r.stdout, /^nested_blocks\.py:102:1: MLF000 SyntaxError: too many levels of indentation$/m);
    assert.match(r.stdout, /^train\.py:4:5: MLF101 /m);
    for (const n of ['chain.py', 'lambdas.py', 'calls.ts', 'ifs.ts']) {
      assert.match(
        r.stderr,
        new RegExp(
          `^mlflint: ${n.replace('.', '\\.')}:\\d+:\\d+: warning: code nested more than 300 levels deep was not analysed$`,
          'm',
        ),
      );
    }
    assert.doesNotMatch(r.stderr, /unread_chain\.py/);
    assert.doesNotMatch(r.stderr, /uncalled_lambdas\.py/);
  });

  it('deep Python nesting through ESLint: a finding, not a crash', () => {
    const dir = project({
      'nested_blocks.py': deep['nested_blocks.py'],
      'chain.py': deep['chain.py'],
      'train.py': LOGS,
    });
    writeEslintConfig(dir);
    const e = eslint(dir, ['--format', 'json', '.']);
    assert.equal(e.status, 1, e.stderr);
    const results = JSON.parse(e.stdout) as {
      filePath: string;
      messages: { ruleId: string; line: number; fatal?: boolean }[];
    }[];
    const by = (n: string) => results.find((f) => f.filePath.endsWith(n))?.messages ?? [];
    assert.deepEqual(
      by('nested_blocks.py').map((m) => `${m.line}:${m.ruleId}`),
      ['102:mlflint/syntax-error'],
    );
    assert.deepEqual(by('chain.py'), []);
    assert.deepEqual(
      by('train.py').map((m) => m.ruleId),
      ['mlflint/metric-in-tight-loop'],
    );
  });

  it('links to a FIFO and to /dev/zero, and a 50 MB file, are reported and skipped at once', () => {
    const dir = project({ 'train.py': LOGS });
    spawnSync('mkfifo', [join(dir, 'pipe')]);
    symlinkSync(join(dir, 'pipe'), join(dir, 'fifo.py'));
    symlinkSync('/dev/zero', join(dir, 'zero.py'));
    writeFileSync(join(dir, 'huge.py'), '');
    truncateSync(join(dir, 'huge.py'), 50 * 1024 * 1024);
    const r = spawnSync(process.execPath, [BIN, 'check', '.'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(r.signal, null, 'the run hung');
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      [
        'mlflint: fifo.py: not a regular file; skipped',
        'mlflint: huge.py: larger than 10 MB (50.0 MB); skipped',
        'mlflint: zero.py: not a regular file; skipped',
        '',
      ].join('\n'),
    );
    assert.match(r.stdout, /^train\.py:4:5: MLF101 /m);
  });
});

describe('reports that misled in 0.1.0', () => {
  it('IndentationError, TabError, a `\\` before a comment and Python 2 syntax are MLF000 findings at their line', () => {
    const dir = project({
      // Each logs, so each is analysed (MLF000 is reported for the files mlflint analyses).
      'indent.py': `${LOGS_TAG}\ndef f():\n    x = 1\n      y = 2\n`,
      'dedent.py': `${LOGS_TAG}\nif True:\n        x = 1\n    y = 2\n`,
      'tabs.py': `${LOGS_TAG}\nif True:\n\tx = 1\n        y = 2\n`,
      'backslash.py': `${LOGS_TAG}x = 1 + \\ # c\n    2\n`,
      'py2.py': `${LOGS_TAG}print "hello"\n`,
      'block.py': `${LOGS_TAG}\nfor i in x:\n# nothing\n\ny = 1\n`,
    });
    const r = mlflint(['check', '--format', 'concise', '.'], dir);
    assert.equal(r.status, 1);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.includes('MLF000')),
      [
        'backslash.py:2:9: MLF000 SyntaxError: unexpected character after line continuation character',
        'block.py:6:1: MLF000 SyntaxError: expected an indented block',
        'dedent.py:5:1: MLF000 SyntaxError: unindent does not match any outer indentation level',
        'indent.py:5:1: MLF000 SyntaxError: unexpected indent',
        "py2.py:2:1: MLF000 SyntaxError: Missing parentheses in call to 'print'",
        'tabs.py:5:1: MLF000 SyntaxError: inconsistent use of tabs and spaces in indentation',
      ],
    );
    assert.doesNotMatch(r.stdout, /All checks passed/);
  });

  it('valid code that tree-sitter or a naive tokenizer misreads gets no MLF000, and its findings stay', () => {
    const dir = project({
      // A comment at column 0 between a decorator and its def; a `\\` alone in an indented block; `.02`.
      'decorated.py':
        'import mlflow\n\nclass A:\n    @property\n# {\n    def e(self):\n        return 1\n\nfor step in range(1000):\n    mlflow.log_metric("lr", .02)\n',
      'continued.py':
        'import mlflow\n\ndef f():\n    x = 1\n\\\n    for step in range(1000):\n        mlflow.log_metric("x", x)\n',
    });
    const r = mlflint(['check', '--format', 'concise', '.'], dir);
    assert.deepEqual(findingPlaces(r), ['continued.py:7:9: MLF101', 'decorated.py:10:5: MLF101']);
  });

  it('an unclosed `(` mid-loop is reported where it is, and the loop is still analysed', () => {
    const dir = project({
      'train.py': 'import mlflow\n\nfor step in range(1000):\n    mlflow.log_metric("a", step)\n    x = foo(1,\n',
    });
    const r = mlflint(['check', '--format', 'concise', '.'], dir);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .slice(0, 2)
        .map((l) => l.split(' ').slice(0, 2).join(' ')),
      ['train.py:4:5: MLF101', 'train.py:5:12: MLF000'],
    );
  });

  it('a directory that cannot be read is reported, and the run exits 2', () => {
    const dir = project({ 'train.py': LOGS, 'locked/inner.py': LOGS });
    chmodSync(join(dir, 'locked'), 0o000);
    // Root reads any directory: the run goes as nobody, to whom the mode applies.
    chmodSync(dir, 0o755);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(process.execPath, [BIN, 'check', '.'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      ...asNobody,
    });
    chmodSync(join(dir, 'locked'), 0o755);
    assert.equal(r.stderr, 'mlflint: locked: cannot read directory: EACCES; skipped\n');
    assert.equal(r.status, 2);
    assert.match(r.stdout, /^train\.py:4:5: MLF101 /m);
  });

  it('-o naming a directory ends with one line and exit 2', () => {
    const dir = project({ 'train.py': LOGS, 'out/keep': '' });
    const r = mlflint(['check', '-o', 'out', '.'], dir);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'mlflint: error: cannot write out: EISDIR\n');
  });
});
