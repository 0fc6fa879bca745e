// Configuration files through the built binary: discovery, nearest wins, extend, each key, and
// the message for each kind of bad file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingPlaces, mlflint, project } from './helpers.js';

const CODE =
  'import mlflow\n\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\nmlflow.log_param("x", 1)\nmlflow.log_param("y", 2)\n\nfor step in range(1000):\n    mlflow.log_metric("loss", step)\n';

describe('configuration files', () => {
  it('[tool.mlflint], mlflint.toml, .mlflint.toml and package.json: the nearest one wins', () => {
    const dir = project({
      'pyproject.toml': '[project]\nname = "x"\n\n[tool.mlflint]\nignore = ["MLF203"]\n',
      'a.py': CODE,
      'toml/mlflint.toml': 'select = ["MLF101"]\n',
      'toml/b.py': CODE,
      'dot/.mlflint.toml': 'ignore = ["unbatched-params", "MLF101"]\n',
      'dot/c.py': CODE,
      'js/package.json': '{"name": "x", "mlflint": {"select": ["MLF202"]}}\n',
      'js/d.py': CODE,
      // A pyproject.toml without [tool.mlflint] is not a config: the parent's applies.
      'plain/pyproject.toml': '[project]\nname = "y"\n',
      'plain/e.py': CODE,
    });
    assert.deepEqual(findingPlaces(mlflint(['check', '--format', 'concise', '.'], dir)), [
      'a.py:5:1: MLF202',
      'a.py:9:5: MLF101',
      'dot/c.py:3:1: MLF203',
      'js/d.py:5:1: MLF202',
      'plain/e.py:5:1: MLF202',
      'plain/e.py:9:5: MLF101',
      'toml/b.py:9:5: MLF101',
    ]);
    // --isolated: no config at all.
    assert.equal(findingPlaces(mlflint(['check', '--isolated', '--format', 'concise', '.'], dir)).length, 15);
    // --config: one file for every linted file.
    assert.deepEqual(
      findingPlaces(mlflint(['check', '--config', 'toml/mlflint.toml', '--format', 'concise', 'a.py', 'dot'], dir)),
      ['a.py:9:5: MLF101', 'dot/c.py:9:5: MLF101'],
    );
  });

  it('extend inherits, per-file-ignores, severity (off too), log-every, exclude, and the command line wins', () => {
    const dir = project({
      'base.toml': 'ignore = ["MLF203"]\nlog-every = 25\n',
      'mlflint.toml':
        'extend = "base.toml"\nextend-exclude = ["generated/"]\n[per-file-ignores]\n"tests/*.py" = ["MLF202"]\n[severity]\nMLF101 = "error"\nunbatched-params = "off"\n',
      'train.py': CODE,
      'tests/t.py': CODE,
      'generated/g.py': CODE,
    });
    const r = mlflint(['check', '--format', 'json', '.'], dir);
    const found = JSON.parse(r.stdout) as { path: string; code: string; severity: string }[];
    assert.deepEqual(
      found.map((f) => `${f.path} ${f.code} ${f.severity}`),
      ['tests/t.py MLF101 error', 'train.py MLF101 error'],
    );
    const diff = mlflint(['check', '--diff', '--unsafe-fixes', 'train.py'], dir).stdout;
    assert.match(diff, /\+ {4}if step % 25 == 0:/);
    assert.deepEqual(findingPlaces(mlflint(['check', '--select', 'MLF203', '--format', 'concise', 'train.py'], dir)), [
      'train.py:3:1: MLF203',
    ]);
    const settings = JSON.parse(mlflint(['check', '--show-settings', 'tests/t.py'], dir).stdout) as {
      config: string;
      sources: Record<string, string>;
    };
    assert.equal(settings.config, 'mlflint.toml');
    assert.deepEqual(settings.sources, {
      ignore: 'base.toml',
      'log-every': 'base.toml',
      'extend-exclude': 'mlflint.toml',
      'per-file-ignores': 'mlflint.toml',
      severity: 'mlflint.toml',
    });
  });

  it('in one directory .mlflint.toml wins over mlflint.toml, which wins over pyproject.toml and package.json', () => {
    const files = {
      '.mlflint.toml': 'select = ["MLF101"]\n',
      'mlflint.toml': 'select = ["MLF202"]\n',
      'pyproject.toml': '[tool.mlflint]\nselect = ["MLF203"]\n',
      'package.json': '{"mlflint": {"select": ["MLF201"]}}\n',
      'a.py': CODE,
    };
    const order = ['.mlflint.toml', 'mlflint.toml', 'pyproject.toml', 'package.json'];
    const expected = ['a.py:9:5: MLF101', 'a.py:5:1: MLF202', 'a.py:3:1: MLF203', null];
    order.forEach((_, i) => {
      const present = Object.fromEntries(Object.entries(files).filter(([name]) => !order.slice(0, i).includes(name)));
      const found = findingPlaces(mlflint(['check', '--format', 'concise', '.'], project(present)));
      // package.json's select = MLF201 (param-in-loop) finds nothing in CODE.
      assert.deepEqual(found, expected[i] ? [expected[i]] : [], `with ${order[i]} the nearest`);
    });
  });

  it('extend-select adds to select, and ignore takes away; a --select on the command line starts over', () => {
    const dir = project({
      'mlflint.toml': 'select = ["MLF2"]\nextend-select = ["metric-in-tight-loop"]\nignore = ["MLF203"]\n',
      'a.py': CODE,
    });
    assert.deepEqual(findingPlaces(mlflint(['check', '--format', 'concise', '.'], dir)), [
      'a.py:5:1: MLF202',
      'a.py:9:5: MLF101',
    ]);
    assert.deepEqual(findingPlaces(mlflint(['check', '--select', 'MLF203', '--format', 'concise', '.'], dir)), [
      'a.py:3:1: MLF203',
    ]);
    assert.deepEqual(findingPlaces(mlflint(['check', '--extend-select', 'MLF203', '--format', 'concise', '.'], dir)), [
      'a.py:3:1: MLF203',
      'a.py:5:1: MLF202',
      'a.py:9:5: MLF101',
    ]);
  });

  it('exclude replaces the default excludes, and each config excludes under its own directory', () => {
    const dir = project({
      'mlflint.toml': 'exclude = ["legacy/"]\n',
      'a.py': CODE,
      'legacy/old.py': CODE,
      // `build/` is a default exclude: a config's `exclude` replaces the defaults, as in Ruff.
      'build/gen.py': CODE,
      'svc/mlflint.toml': 'extend-exclude = ["scratch_*.py"]\n',
      'svc/train.py': CODE,
      'svc/scratch_1.py': CODE,
      // The nearer config governs svc/: the root's `legacy/` does not reach it, the defaults do.
      'svc/legacy/kept.py': CODE,
      'svc/build/skipped.py': CODE,
    });
    const files = (args: string[]) =>
      mlflint(['check', '--show-files', ...args], dir)
        .stdout.trim()
        .split('\n');
    assert.deepEqual(files(['.']), ['a.py', 'build/gen.py', 'svc/legacy/kept.py', 'svc/train.py']);
    // The command line's --exclude replaces the config's `exclude` and the defaults; a config's extend-exclude still adds.
    assert.deepEqual(files(['--exclude', 'a.py', '.']), [
      'build/gen.py',
      'legacy/old.py',
      'svc/build/skipped.py',
      'svc/legacy/kept.py',
      'svc/train.py',
    ]);
    // A file named on the command line is linted unless --force-exclude (pre-commit passes every file).
    assert.deepEqual(files(['legacy/old.py', 'svc/scratch_1.py']), ['legacy/old.py', 'svc/scratch_1.py']);
    assert.deepEqual(
      mlflint(['check', '--show-files', '--force-exclude', 'legacy/old.py', 'svc/scratch_1.py', 'a.py'], dir).stdout,
      'a.py\n',
    );
  });

  it('tight-loop-names makes a loop over a matching iterable a per-step loop', () => {
    const code = 'import mlflow\n\nfor item in shard_reader:\n    mlflow.log_metric("loss", item.loss)\n';
    const dir = project({ 'a.py': code });
    assert.deepEqual(findingPlaces(mlflint(['check', '--format', 'concise', '.'], dir)), []);
    const tuned = project({ 'a.py': code, 'mlflint.toml': 'tight-loop-names = ["^shard_"]\n' });
    assert.deepEqual(findingPlaces(mlflint(['check', '--format', 'concise', '.'], tuned)), ['a.py:4:5: MLF101']);
  });

  it('extra-receivers: a name, an attribute or an import path the analysis cannot reach', () => {
    const code = [
      'from utils.tracking import client as c',
      'import utils.tracking as tr',
      '',
      'def train(tracker, loader, run_id):',
      '    for batch in loader:',
      '        tracker.log_metric("loss", batch.loss)',
      '        c.log_metric(run_id, "loss", batch.loss)',
      '        tr.client.log_metric(run_id, "acc", batch.acc)',
      '        # A module is not a client: no client call on it is recognised.',
      '        tracker.log_batch(run_id, metrics=[])',
      '',
      'class Trainer:',
      '    def fit(self, loader, run_id):',
      '        for batch in loader:',
      '            self.client.log_metric(run_id, "loss", batch.loss)',
      '            self.other.log_metric(run_id, "loss", batch.loss)',
      '',
    ].join('\n');
    assert.deepEqual(findingPlaces(mlflint(['check', '--format', 'concise', '.'], project({ 'train.py': code }))), []);
    const dir = project({
      'train.py': code,
      'pyproject.toml':
        '[tool.mlflint.extra-receivers]\ntracker = "module"\n"self.client" = "client"\n"tracking.client" = "client"\n',
      'web.ts':
        'export async function f(tracker: any, runId: string) {\n  for (let step = 0; step < 9; step++) await tracker.logMetric(runId, "loss", step);\n}\n',
    });
    assert.deepEqual(findingPlaces(mlflint(['check', '--format', 'concise', '.'], dir)), [
      'train.py:6:9: MLF101',
      'train.py:7:9: MLF101',
      'train.py:8:9: MLF101',
      'train.py:15:13: MLF101',
      'web.ts:2:46: MLF101',
    ]);
  });

  for (const [what, file, text, message] of [
    [
      'an unknown key, with the closest one',
      'pyproject.toml',
      '[tool.mlflint]\nlog-evry = 5\n',
      /^mlflint: error: pyproject\.toml: unknown key `tool\.mlflint\.log-evry` \(did you mean `log-every`\?\); the keys are select, /,
    ],
    [
      'a wrong type',
      'mlflint.toml',
      'log-every = "often"\n',
      /^mlflint: error: mlflint\.toml: `log-every` must be a whole number of steps, 1 or more, got "often"$/m,
    ],
    [
      'an unknown rule',
      'mlflint.toml',
      'select = ["MLF101", "MLF999"]\n',
      /^mlflint: error: mlflint\.toml: `select` must be rule codes, prefixes or names \(`MLF999` is not one; see `mlflint rules`\), got \["MLF101","MLF999"\]$/m,
    ],
    [
      'a bad severity',
      'mlflint.toml',
      '[severity]\nMLF101 = "loud"\n',
      /`severity` must be one of "error", "warning", "info", "off" for each rule \(got "loud" for `MLF101`\)/,
    ],
    ['invalid TOML', 'mlflint.toml', 'select = [\n', /^mlflint: error: mlflint\.toml: not valid TOML: /],
    ['invalid JSON', 'package.json', '{"mlflint": ', /^mlflint: error: package\.json: not valid JSON: /],
    [
      'a receiver that is not a name',
      'mlflint.toml',
      '[extra-receivers]\n"my client" = "client"\n',
      /`extra-receivers` must be a table of receiver = "module" \| "client" .*; `my client` is not a name or dotted path/,
    ],
    [
      'a receiver of an unknown kind',
      'mlflint.toml',
      '[extra-receivers]\ntracker = "logger"\n',
      /`extra-receivers` must be .*; got "logger" for `tracker`/,
    ],
    [
      'a tight-loop name that is not a regular expression',
      'mlflint.toml',
      'tight-loop-names = ["(shard"]\n',
      /`tight-loop-names` must be regular expressions \(`\(shard` is not one\)/,
    ],
    [
      'an extend cycle',
      'mlflint.toml',
      'extend = "mlflint.toml"\n',
      /`extend` goes round in a circle \(mlflint\.toml → mlflint\.toml\)/,
    ],
  ] as const) {
    it(`${what} exits 2 and names the file, the key and what is allowed`, () => {
      const dir = project({ [file]: text, 'a.py': CODE });
      const r = mlflint(['check', '.'], dir);
      assert.equal(r.status, 2);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n {4}at /);
      assert.equal(r.stdout, '');
    });
  }
});
