// Suppressions through the built binary: noqa on any line of a multi-line call, disable-file for
// some rules, warnings for directives that are not what they look like, and --add-noqa.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findingPlaces, mlflint, project } from './helpers.js';

describe('suppressions', () => {
  it('noqa on any line of a multi-line call, and disable-file=CODES for only those rules', () => {
    const dir = project({
      'a.py':
        '# mlflint: disable-file=MLF203, param-overwrite\nimport mlflow\n\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\nmlflow.log_param(  # noqa: MLF202\n    "x", 1)\nmlflow.log_param("y", 2)\nmlflow.log_param("z",\n    3)\nmlflow.log_param("w", 4)  # noqa: unbatched-params\nfor step in range(1000):\n    mlflow.log_metric("loss", step)\n',
    });
    const r = mlflint(['check', '--format', 'concise', '.'], dir);
    // The last directive silences nothing (the group is reported at its first call): MLF001.
    assert.deepEqual(findingPlaces(r), ['a.py:11:27: MLF001', 'a.py:13:5: MLF101']);
    assert.equal(r.stderr, '');
  });

  it('`# noqa MLF101` without a colon silences the line, as in Ruff, and says so; an unknown code is a warning', () => {
    const dir = project({
      'a.py':
        'import mlflow\nfor step in range(1000):\n    mlflow.log_metric("loss", step)  # noqa MLF101\n    mlflow.log_metric("acc", step)  # noqa: MLF999\n',
    });
    const r = mlflint(['check', '--format', 'concise', '.'], dir);
    assert.deepEqual(findingPlaces(r), ['a.py:4:5: MLF101', 'a.py:4:37: MLF001']);
    assert.equal(
      r.stderr,
      [
        'mlflint: a.py:3:38: warning: `# noqa MLF101` has no colon, so it silences every rule on this line; write `# noqa: MLF101`',
        'mlflint: a.py:4:37: warning: unknown rule `MLF999` in a suppression comment (see `mlflint rules`)',
        '',
      ].join('\n'),
    );
  });

  it('--add-noqa suppresses every finding in place, merges into a noqa there, keeps CRLF, and is idempotent', () => {
    const source = [
      'import mlflow',
      '',
      'mlflow.set_tag("a", 1)',
      'mlflow.set_tag("b", 2)',
      'mlflow.log_param(',
      '    "x", 1)',
      'mlflow.log_param("y", 2)',
      'for step in range(1000):',
      '    mlflow.log_metric("loss", step)  # noqa: MLF101',
      '    mlflow.log_metric("acc", \\',
      '        step)',
      '',
    ].join('\r\n');
    const dir = project({
      'a.py': source,
      'b.ts':
        "import { MlflowClient } from 'mlflow-js';\nconst c = new MlflowClient('x');\nfor (let step = 0; step < 1000; step++) {\n  c.logMetric(runId, 'loss', step);\n}\n",
    });
    const r = mlflint(['check', '--add-noqa', '.'], dir);
    assert.deepEqual([r.stdout, r.status], ['Added 5 noqa directives.\n', 0]);
    assert.equal(
      readFileSync(join(dir, 'a.py'), 'utf8'),
      [
        'import mlflow',
        '',
        'mlflow.set_tag("a", 1)  # noqa: MLF203',
        'mlflow.set_tag("b", 2)',
        'mlflow.log_param(',
        '    "x", 1)  # noqa: MLF202',
        'mlflow.log_param("y", 2)',
        'for step in range(1000):',
        '    mlflow.log_metric("loss", step)  # noqa: MLF101, MLF102',
        '    mlflow.log_metric("acc", \\',
        '        step)  # noqa: MLF101',
        '',
      ].join('\r\n'),
    );
    assert.match(
      readFileSync(join(dir, 'b.ts'), 'utf8'),
      /c\.logMetric\(runId, 'loss', step\); {2}\/\/ noqa: MLF101\n/,
    );
    assert.equal(mlflint(['check', '.'], dir).status, 0);
    assert.equal(mlflint(['check', '--add-noqa', '.'], dir).stdout, 'Added 0 noqa directives.\n');
  });

  it("other tools' codes in a noqa are theirs: not obeyed, not warned about, not reported unused, not removed", () => {
    const src =
      'import mlflow\n\nmlflow.set_tag("a", 1)  # noqa: F401\nmlflow.set_tag("b", 2)\nx = 1  # noqa: E501, PLR0913\ny = 2  # noqa\nz = 3  # noqa: E501 line too long\n';
    const dir = project({ 'a.py': src });
    const r = mlflint(['check', '--format', 'concise', '.'], dir);
    assert.deepEqual(findingPlaces(r), ['a.py:3:1: MLF203']);
    assert.equal(r.stderr, '');
    mlflint(['check', '--fix', '.'], dir);
    assert.equal(
      readFileSync(join(dir, 'a.py'), 'utf8'),
      src.replace(
        'mlflow.set_tag("a", 1)  # noqa: F401\nmlflow.set_tag("b", 2)\n',
        'mlflow.set_tags(\n    {\n        "a": 1,  # noqa: F401\n        "b": 2,\n    }\n)\n',
      ),
    );
  });
});
