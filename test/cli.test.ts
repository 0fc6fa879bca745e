// The built `mlflint` binary, run as a subprocess: exit codes, formats, stdin, discovery.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BIN, mlflint, project, ROOT } from './helpers.js';

const BAD = 'import mlflow\n\nmlflow.log_param("a", 1)\nmlflow.log_param("b", 2)\n';
const CLEAN = 'import mlflow\n\nmlflow.log_params({"a": 1, "b": 2})\n';

describe('mlflint check: exit codes', () => {
  it('exits 0 on clean code and prints a summary', () => {
    const dir = project({ 'train.py': CLEAN });
    const r = mlflint(['check', '.'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /All checks passed!/);
  });

  it('exits 1 with findings, 0 with --exit-zero', () => {
    const dir = project({ 'train.py': BAD });
    const r = mlflint(['check'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^train\.py:3:1: MLF202 \[\*\] 2 back-to-back `mlflow\.log_param` calls \(2 requests → 1 in all\)\n {2}= help: Merge into one `log_params` call$/m,
    );
    assert.match(r.stdout, /Found 1 finding \(1 warning\)\./);
    assert.equal(mlflint(['check', '--exit-zero'], { cwd: dir }).status, 0);
  });

  it('exits 2 on a missing path, an unknown flag, an unknown rule and a bad format', () => {
    const missing = mlflint(['check', 'no/such/dir']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no\/such\/dir: no such file or directory/);
    assert.equal(mlflint(['check', '--no-such-flag']).status, 2);
    for (const target of ['examples', 'examples/sklearn_train.py']) {
      const sel = mlflint(['check', '--select', 'MLF999', target]);
      assert.equal(sel.status, 2);
      assert.equal(
        sel.stderr,
        'mlflint: error: unknown rule selector `MLF999` (expected a code such as MLF101, a prefix such as MLF1, or a rule name; see `mlflint rules`)\n',
      );
      assert.equal(sel.stdout, '');
    }
    const fmt = mlflint(['check', '--format', 'xml', 'examples']);
    assert.equal(fmt.status, 2);
    assert.match(fmt.stderr, /xml/);
  });

  it('reports binary and non-UTF-8 files on stderr, lints the rest, and exits 2', () => {
    const dir = project({
      'bin.py': Buffer.from([0x00, 0x01, 0x02, 0x6d]),
      'latin1.py': Buffer.from('x = "caf\xe9"\n', 'latin1'),
      'train.py': BAD,
    });
    const r = mlflint(['check', '--format', 'json'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bin\.py: binary file/);
    assert.match(r.stderr, /latin1\.py: not valid UTF-8/);
    assert.equal(JSON.parse(r.stdout).length, 1);
  });

  it('reports an unreadable file (a dangling symlink) and goes on', () => {
    const dir = project({ 'train.py': BAD });
    symlinkSync(join(dir, 'gone.py'), join(dir, 'link.py'));
    const r = mlflint(['check', '--format', 'json'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /link\.py: cannot read: ENOENT/);
    assert.equal(JSON.parse(r.stdout).length, 1);
  });

  it('analyses a file with a syntax error and reports the error without crashing', () => {
    const dir = project({ 'broken.py': 'import mlflow\nx = = 1\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n' });
    const r = mlflint(['check', '--format', 'json'], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    const codes = JSON.parse(r.stdout).map((f: { code: string; line: number }) => `${f.code}@${f.line}`);
    assert.deepEqual(codes, ['MLF000@2', 'MLF203@3']);
  });
});

describe('mlflint check: formats', () => {
  it('prints the documented JSON shape with relative forward-slash paths and character columns', () => {
    const dir = project({
      'pkg/sub/train.py':
        'import mlflow\n\ndef f():\n    s = "é€😀"; mlflow.log_param("a", 1)\n    mlflow.log_param("b", 2)\n',
    });
    const r = mlflint(['check', '--format', 'json', 'pkg'], { cwd: dir });
    assert.equal(r.status, 1);
    const [f] = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(f), [
      'path',
      'line',
      'column',
      'endLine',
      'endColumn',
      'code',
      'rule',
      'severity',
      'message',
      'help',
      'url',
      'fix',
      'impact',
      'related',
    ]);
    assert.equal(f.url, 'https://github.com/mlflint/mlflint/blob/main/README.md#mlf202-unbatched-params');
    assert.equal(f.path, 'pkg/sub/train.py');
    assert.equal(f.line, 4);
    // `    s = "é€😀"; ` is 15 characters (the emoji is one character, two UTF-16 units).
    assert.equal(f.column, 16);
    assert.equal(f.endColumn, 16 + 'mlflow.log_param("a", 1)'.length);
    assert.equal(f.code, 'MLF202');
    assert.equal(f.rule, 'unbatched-params');
    assert.equal(f.severity, 'warning');
    assert.equal(f.fix.safety, 'safe');
    assert.equal(f.fix.message, 'Merge into one `log_params` call');
    assert.deepEqual(f.fix.edits, [
      { start: { line: 4, column: 16 }, end: { line: 5, column: 29 }, content: 'mlflow.log_params({"a": 1, "b": 2})' },
    ]);
    assert.equal(f.help, 'Merge into one `log_params` call');
    assert.deepEqual(f.impact, {
      unit: 'call',
      per: 'call of `f`',
      now: 2,
      after: { perUnit: 1, once: 0, text: '1 per call of `f`' },
    });
    assert.deepEqual(f.related, []);
  });

  it('--also-write writes more reports of the same run; a bad value is a usage error', () => {
    const dir = project({ 'train.py': 'import mlflow\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n' });
    const r = mlflint(
      [
        'check',
        '--no-cache',
        '--format',
        'github',
        '--also-write',
        'json=out.json',
        '--also-write',
        'sarif=out.sarif',
        'train.py',
      ],
      { cwd: dir },
    );
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^::warning file=train\.py,line=2,/);
    assert.deepEqual(
      JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')),
      JSON.parse(mlflint(['check', '--no-cache', '--format', 'json', 'train.py'], { cwd: dir }).stdout),
    );
    assert.equal(JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')).runs[0].results.length, 1);
    for (const bad of ['json', 'xml=out.xml', 'json=']) {
      const b = mlflint(['check', '--also-write', bad, 'train.py'], { cwd: dir });
      assert.equal(b.status, 2, bad);
      assert.match(b.stderr, /^mlflint: error: invalid (value|format) '[^']*' for --also-write/m);
    }
  });

  it('prints an empty JSON array for a clean run', () => {
    const dir = project({ 'train.py': CLEAN });
    const r = mlflint(['check', '--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  it('concise prints one line per finding and no frame', () => {
    const r = mlflint(['check', '--format', 'concise', 'examples/sklearn_train.py']);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(-2), [
      'Found 5 findings (1 error, 4 warnings).',
      '[*] 4 fixable with the `--fix` option.',
    ]);
    assert.ok(
      lines.slice(0, -2).every((l) => /^examples\/sklearn_train\.py:\d+:\d+: MLF\d{3} /.test(l)),
      r.stdout,
    );
  });

  it('writes the report to --output-file', () => {
    const dir = project({ 'train.py': BAD });
    const r = mlflint(['check', '--format', 'json', '-o', 'out.json'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))[0].code, 'MLF202');
  });

  it('--statistics counts findings per rule', () => {
    const r = mlflint(['check', '--statistics', 'examples']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^2\tMLF101\tmetric-in-tight-loop\t2 unsafe fixes$/m);
    assert.match(r.stdout, /^2\tMLF203\tunbatched-tags\t\[\*\] 2 fixable$/m);
    assert.match(r.stdout, /^1\tMLF204\tparam-overwrite$/m);
    // Requests per step, per loop iteration and per call are never added to each other.
    const units = r.stdout.slice(r.stdout.indexOf('Tracking requests'));
    assert.equal(
      units,
      [
        'Tracking requests, now → after every fix on offer (with --unsafe-fixes), added up per unit:',
        '  per training step: 2 → 0.02',
        '  per iteration of the loops they run in: 2 → 0, and 2 once, out of the loops',
        '  per item of the dicts they loop over: 1 → 0, and 1 once, out of the loops',
        '  per call of the functions they run in: 10 → 4',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(mlflint(['check', '--statistics', '--format', 'json', 'examples']).stdout);
    assert.deepEqual(json.requests.step, { findings: 2, now: 2, after: 0.02, once: 0, named: 0 });
  });
});

describe('mlflint check: selection, suppression, stdin', () => {
  const dir = project({
    'train.py':
      'import mlflow\n\nfor epoch in range(3):\n    mlflow.log_param("lr", 0.1)\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n',
  });
  const codes = (args: string[]): string[] =>
    JSON.parse(mlflint(['check', '--format', 'json', ...args], { cwd: dir }).stdout).map(
      (f: { code: string }) => f.code,
    );

  it('selects and ignores by code, name and prefix', () => {
    assert.deepEqual(codes([]), ['MLF201', 'MLF203']);
    assert.deepEqual(codes(['--select', 'MLF201']), ['MLF201']);
    assert.deepEqual(codes(['--select', 'unbatched-tags']), ['MLF203']);
    assert.deepEqual(codes(['--ignore', 'MLF2']), []);
    assert.deepEqual(codes(['--select', 'MLF1', '--extend-select', 'MLF203']), ['MLF203']);
  });

  it('honours # noqa, # noqa: CODES and --ignore-noqa', () => {
    const d = project({
      'a.py':
        'import mlflow\nmlflow.set_tag("a", 1)  # noqa: MLF203\nmlflow.set_tag("b", 2)\nfor e in x:\n    mlflow.set_tag("c", e)  # noqa\nmlflow.log_param("p", 1)  # noqa: unbatched-tags\nmlflow.log_param("q", 2)\n',
    });
    const r = JSON.parse(mlflint(['check', '--format', 'json'], { cwd: d }).stdout);
    // The `unbatched-tags` code on the log_param line silences nothing: MLF001 says so.
    assert.deepEqual(
      r.map((f: { code: string; line: number }) => `${f.code}@${f.line}`),
      ['MLF202@6', 'MLF001@6'],
    );
    const all = JSON.parse(mlflint(['check', '--format', 'json', '--ignore-noqa'], { cwd: d }).stdout);
    assert.deepEqual(
      all.map((f: { code: string; line: number }) => `${f.code}@${f.line}`),
      ['MLF203@2', 'MLF201@5', 'MLF202@6'],
    );
  });

  it('skips a file with # mlflint: disable-file', () => {
    const d = project({ 'a.py': `# mlflint: disable-file\n${BAD}` });
    assert.equal(mlflint(['check'], { cwd: d }).status, 0);
  });

  it('reads stdin with --stdin-filename', () => {
    const r = mlflint(['check', '--stdin-filename', 'pkg/train.py', '--format', 'json'], { input: BAD });
    assert.equal(r.status, 1);
    const [f] = JSON.parse(r.stdout);
    assert.equal(f.path, 'pkg/train.py');
    assert.equal(f.code, 'MLF202');
    const clean = mlflint(['check', '--stdin-filename', 'x.py', '-'], { input: CLEAN });
    assert.equal(clean.status, 0);
    assert.equal(mlflint(['check', '--stdin-filename', 'x.txt'], { input: CLEAN }).status, 2);
  });
});

describe('mlflint check: file discovery', () => {
  it('honours .gitignore, skips node_modules/.venv/venv, and always lints explicit files', () => {
    const dir = project({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'generated/\n*_gen.py\n',
      'src/train.py': BAD,
      'src/model_gen.py': BAD,
      'generated/out.py': BAD,
      'node_modules/pkg/x.py': BAD,
      '.venv/lib/y.py': BAD,
      'venv/lib/z.py': BAD,
      'src/.gitignore': 'local.py\n',
      'src/local.py': BAD,
      'notes.txt': 'not python',
    });
    const paths = (args: string[]): string[] =>
      [
        ...new Set(
          JSON.parse(mlflint(['check', '--format', 'json', ...args], { cwd: dir }).stdout).map(
            (f: { path: string }) => f.path,
          ),
        ),
      ].sort() as string[];
    assert.deepEqual(paths([]), ['src/train.py']);
    assert.deepEqual(paths(['src']), ['src/train.py']);
    assert.deepEqual(paths(['src/model_gen.py', 'generated/out.py']), ['generated/out.py', 'src/model_gen.py']);
  });
});

describe('mlflint rule / rules', () => {
  // The section headings under the title are renderRule's, written for every rule whatever it
  // holds: the title says which rule was found.
  it('explains a rule by code or name', () => {
    for (const id of ['MLF101', 'metric-in-tight-loop']) {
      const r = mlflint(['rule', id]);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^# metric-in-tight-loop \(MLF101\)\n/);
    }
    const unknown = mlflint(['rule', 'nope']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown rule `nope`/);
  });

  it('lists rules as text and JSON', () => {
    const text = mlflint(['rules']);
    assert.equal(text.status, 0);
    assert.match(text.stdout, /^MLF101 {2}metric-in-tight-loop/m);
    const json = JSON.parse(mlflint(['rules', '--format', 'json']).stdout);
    assert.deepEqual(
      json.map((r: { code: string }) => r.code),
      ['MLF000', 'MLF001', 'MLF101', 'MLF102', 'MLF201', 'MLF202', 'MLF203', 'MLF204', 'MLF301'],
    );
    assert.deepEqual(Object.keys(json[1]), ['code', 'name', 'severity', 'summary', 'languages', 'fix']);
  });

  it('prints --help and --version with exit 0', () => {
    assert.equal(mlflint(['--help']).status, 0);
    const v = mlflint(['--version']);
    assert.equal(v.status, 0);
    assert.equal(v.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});

describe('mlflint check on a terminal', () => {
  // `script` (util-linux, part of every Debian system) gives the binary a real pseudo-terminal.
  const onTty = (extra: Record<string, string>): string => {
    const env = { ...process.env, ...extra };
    for (const k of ['NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS', 'NODE_TEST_CONTEXT'])
      if (!(k in extra)) delete env[k];
    const r = spawnSync(
      'script',
      [
        '-qec',
        `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} check examples/sklearn_train.py`,
        '/dev/null',
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env,
      },
    );
    assert.equal(r.status, 1, r.stderr);
    return r.stdout.replace(/\r/g, '');
  };

  it('shows code frames and colours on a TTY', () => {
    const out = onTty({});
    assert.match(out, /\x1b\[/);
    assert.match(out.replace(/\x1b\[\d+m/g, ''), /11 \|\s+mlflow\.set_tag\("mlflow_version", mlflow\.__version__\)/);
  });

  it('never colours with NO_COLOR, but still shows frames', () => {
    const out = onTty({ NO_COLOR: '1' });
    assert.doesNotMatch(out, /\x1b\[/);
    assert.match(out, /\^{10,} MLF203/);
  });

  it('shows no frames and no colours when stdout is not a terminal', () => {
    const r = mlflint(['check', 'examples/sklearn_train.py'], { env: { NO_COLOR: '' } });
    assert.doesNotMatch(r.stdout, /\x1b\[|\s\|\s/);
  });
});

describe('mlflint check: receivers defined in another file of the run', () => {
  const TRACKING = [
    'import mlflow',
    'from mlflow import MlflowClient',
    '',
    'client = MlflowClient()',
    '',
    'class BaseTrainer:',
    '    def __init__(self):',
    '        self.client = MlflowClient()',
    '',
  ].join('\n');
  const TRAIN = [
    'from pkg.tracking import client, BaseTrainer',
    'import pkg.tracking as tr',
    '',
    '',
    'def train(loader, run_id):',
    '    for batch in loader:',
    '        client.log_metric(run_id, "loss", fit(batch))',
    '',
    '',
    'class Trainer(BaseTrainer):',
    '    def fit(self, loader, run_id):',
    '        for batch in loader:',
    '            self.client.log_metric(run_id, "loss", 1)',
    '            tr.client.set_tag(run_id, "stage", "fit")',
    '',
  ].join('\n');

  it('resolves an imported client, a client module attribute and a base class attribute', () => {
    const dir = project({ 'pkg/__init__.py': '', 'pkg/tracking.py': TRACKING, 'pkg/train.py': TRAIN });
    const r = mlflint(['check', '--format', 'json', '--exit-zero', '.'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const found = (JSON.parse(r.stdout) as { path: string; line: number; rule: string }[]).map(
      (d) => `${d.path}:${d.line} ${d.rule}`,
    );
    assert.deepEqual(found, [
      'pkg/train.py:7 metric-in-tight-loop',
      'pkg/train.py:13 metric-in-tight-loop',
      'pkg/train.py:14 param-in-loop',
    ]);
  });

  it('trusts no name that two files of one module name disagree on', () => {
    const OTHER = 'import comet_ml\n\nclient = comet_ml.Experiment()\n';
    const dir = project({
      'a/tracking.py': TRACKING,
      'b/tracking.py': OTHER,
      'train.py': TRAIN.replace('pkg.tracking', 'tracking'),
    });
    const r = mlflint(['check', '--format', 'json', '--exit-zero', 'train.py', 'a', 'b'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const found = (JSON.parse(r.stdout) as { line: number }[]).map((d) => d.line);
    assert.ok(!found.includes(7), `the imported client is ambiguous: ${r.stdout}`);
  });

  it('a file linted alone cannot see them', () => {
    const dir = project({ 'pkg/tracking.py': TRACKING, 'pkg/train.py': TRAIN });
    const r = mlflint(['check', 'pkg/train.py'], { cwd: dir });
    assert.equal(r.status, 0, r.stdout);
  });
});

describe('mlflint check: a run that could not read everything', () => {
  it('never says "All checks passed!" when a file was skipped, and exits 2', () => {
    const dir = project({ 'ok.py': CLEAN, 'blob.py': Buffer.from([0, 1, 2, 3]) });
    const r = mlflint(['check', '.'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'mlflint: blob.py: binary file (contains NUL bytes); skipped\n');
    assert.equal(r.stdout.trim(), 'No findings in the files checked; 1 file failed (see above).');
  });

  it('an output file that cannot be written ends with one line and exit 2', () => {
    const dir = project({ 'train.py': BAD });
    const r = mlflint(['check', '-o', 'no/such/dir/report.txt', '.'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'mlflint: error: cannot write no/such/dir/report.txt: ENOENT\n');
  });
});

describe('mlflint check: stdout that goes away', () => {
  it('a closed pipe or a full disk ends with one line and exit 2, not a trace', () => {
    const full = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" check examples --exit-zero > /dev/full`], {
      encoding: 'utf8',
    });
    assert.equal(full.status, 2);
    assert.equal(full.stderr, 'mlflint: error: cannot write the report: ENOSPC\n');
    const pipe = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${BIN}" check examples fixtures --exit-zero | head -c 1 > /dev/null`],
      { encoding: 'utf8', cwd: ROOT },
    );
    assert.doesNotMatch(pipe.stderr, /at |node:events|Unhandled/, pipe.stderr);
  });
});
