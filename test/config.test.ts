// Configuration files through the built binary: discovery, nearest wins, extend, each key, and
// the message for each kind of bad file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingPlaces, mlflint as run, project } from './helpers.js';

const CODE = 'import mlflow\n\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\nmlflow.log_param("x", 1)\nmlflow.log_param("y", 2)\n\nfor step in range(1000):\n    mlflow.log_metric("loss", step)\n';
const mlflint = (args: string[], cwd: string) => run(args, { cwd });
const codes = findingPlaces;

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
    assert.deepEqual(codes(mlflint(['check', '--format', 'concise', '.'], dir)), [
      'a.py:5:1: MLF202', 'a.py:9:5: MLF101',
      'dot/c.py:3:1: MLF203',
      'js/d.py:5:1: MLF202',
      'plain/e.py:5:1: MLF202', 'plain/e.py:9:5: MLF101',
      'toml/b.py:9:5: MLF101',
    ]);
    // --isolated: no config at all.
    assert.equal(codes(mlflint(['check', '--isolated', '--format', 'concise', '.'], dir)).length, 15);
    // --config: one file for every linted file.
    assert.deepEqual(codes(mlflint(['check', '--config', 'toml/mlflint.toml', '--format', 'concise', 'a.py', 'dot'], dir)), ['a.py:9:5: MLF101', 'dot/c.py:9:5: MLF101']);
  });

  it('extend inherits, per-file-ignores, severity (off too), log-every, exclude, and the command line wins', () => {
    const dir = project({
      'base.toml': 'ignore = ["MLF203"]\nlog-every = 25\n',
      'mlflint.toml': 'extend = "base.toml"\nextend-exclude = ["generated/"]\n[per-file-ignores]\n"tests/*.py" = ["MLF202"]\n[severity]\nMLF101 = "error"\nunbatched-params = "off"\n',
      'train.py': CODE,
      'tests/t.py': CODE,
      'generated/g.py': CODE,
    });
    const r = mlflint(['check', '--format', 'json', '.'], dir);
    const found = JSON.parse(r.stdout) as { path: string; code: string; severity: string }[];
    assert.deepEqual(found.map((f) => `${f.path} ${f.code} ${f.severity}`), ['tests/t.py MLF101 error', 'train.py MLF101 error']);
    const diff = mlflint(['check', '--diff', '--unsafe-fixes', 'train.py'], dir).stdout;
    assert.match(diff, /\+ {4}if step % 25 == 0:/);
    assert.deepEqual(codes(mlflint(['check', '--select', 'MLF203', '--format', 'concise', 'train.py'], dir)), ['train.py:3:1: MLF203']);
    const settings = JSON.parse(mlflint(['check', '--show-settings', 'tests/t.py'], dir).stdout) as { config: string; sources: Record<string, string> };
    assert.equal(settings.config, 'mlflint.toml');
    assert.deepEqual(settings.sources, { ignore: 'base.toml', 'log-every': 'base.toml', 'extend-exclude': 'mlflint.toml', 'per-file-ignores': 'mlflint.toml', severity: 'mlflint.toml' });
  });

  for (const [what, file, text, message] of [
    ['an unknown key, with the closest one', 'pyproject.toml', '[tool.mlflint]\nlog-evry = 5\n', /^mlflint: error: pyproject\.toml: unknown key `tool\.mlflint\.log-evry` \(did you mean `log-every`\?\); the keys are select, /],
    ['a wrong type', 'mlflint.toml', 'log-every = "often"\n', /^mlflint: error: mlflint\.toml: `log-every` must be a whole number of steps, 1 or more, got "often"$/m],
    ['an unknown rule', 'mlflint.toml', 'select = ["MLF101", "MLF999"]\n', /^mlflint: error: mlflint\.toml: `select` must be rule codes, prefixes or names \(`MLF999` is not one; see `mlflint rules`\), got \["MLF101","MLF999"\]$/m],
    ['a bad severity', 'mlflint.toml', '[severity]\nMLF101 = "loud"\n', /`severity` must be one of "error", "warning", "info", "off" for each rule \(got "loud" for `MLF101`\)/],
    ['invalid TOML', 'mlflint.toml', 'select = [\n', /^mlflint: error: mlflint\.toml: not valid TOML: /],
    ['invalid JSON', 'package.json', '{"mlflint": ', /^mlflint: error: package\.json: not valid JSON: /],
    ['an extend cycle', 'mlflint.toml', 'extend = "mlflint.toml"\n', /`extend` goes round in a circle \(mlflint\.toml → mlflint\.toml\)/],
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
