// Ruff's flags, as Ruff spells them, through the built binary.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mlflint, project } from './helpers.js';

const TAGS = 'import mlflow\n\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n';
const FINDING =
  'a.py:3:1: MLF203 [*] 2 back-to-back `mlflow.set_tag` calls (2 requests → 1 in all)\n  = help: Merge into one `set_tags` call';

describe('mlflint check: Ruff flags', () => {
  it('--output-format, with --format as its alias and `full` as text', () => {
    const dir = project({ 'a.py': TAGS });
    const json = mlflint(['check', '--output-format', 'json', '.'], dir);
    assert.equal((JSON.parse(json.stdout) as unknown[]).length, 1);
    assert.equal(mlflint(['check', '--format', 'json', '.'], dir).stdout, json.stdout);
    assert.equal(mlflint(['check', '--output-format', 'full', '.'], dir).stdout, mlflint(['check', '.'], dir).stdout);
    const bad = mlflint(['check', '--output-format', 'xml', '.'], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /argument 'xml' is invalid/);
  });

  it('-q prints the findings without the summary, -s prints nothing, and both keep the exit code', () => {
    const dir = project({ 'a.py': TAGS, 'clean.py': 'import mlflow\n' });
    const quiet = mlflint(['check', '-q', 'a.py'], dir);
    assert.equal(quiet.stdout, `${FINDING}\n`);
    assert.equal(quiet.status, 1);
    const silent = mlflint(['check', '--silent', 'a.py'], dir);
    assert.deepEqual([silent.stdout, silent.status], ['', 1]);
    assert.deepEqual(
      [mlflint(['check', '--quiet', 'clean.py'], dir).stdout, mlflint(['check', '-q', 'clean.py'], dir).status],
      ['', 0],
    );
  });

  it('--fix-only fixes and says only what it fixed; --exit-non-zero-on-fix exits 1 when it fixed something', () => {
    const dir = project({ 'a.py': TAGS });
    const only = mlflint(['check', '--fix-only', '.'], dir);
    assert.deepEqual([only.stdout, only.status], ['Fixed 1 finding.\n', 0]);
    assert.equal(readFileSync(join(dir, 'a.py'), 'utf8'), 'import mlflow\n\nmlflow.set_tags({"a": 1, "b": 2})\n');
    const again = project({ 'a.py': TAGS });
    const fixed = mlflint(['check', '--fix', '--exit-non-zero-on-fix', '.'], again);
    assert.equal(fixed.status, 1);
    assert.equal(fixed.stdout, 'Fixed 1 finding. All checks passed!\n');
    assert.equal(mlflint(['check', '--fix', '--exit-non-zero-on-fix', '.'], again).status, 0);
  });

  it('--show-fixes lists what --fix fixed, per file and rule, on stderr', () => {
    const dir = project({
      'a.py': `${TAGS}mlflow.log_param("x", 1)\nmlflow.log_param("y", 2)\n`,
      'clean.py': 'import mlflow\n',
    });
    const r = mlflint(['check', '--fix', '--show-fixes', '.'], dir);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'Fixed 2 findings. All checks passed!\n');
    assert.equal(
      r.stderr,
      'Fixed 2 findings:\n- a.py:\n    1 × MLF202 (unbatched-params)\n    1 × MLF203 (unbatched-tags)\n\n',
    );
    assert.equal(mlflint(['check', '--fix', '--show-fixes', '.'], dir).stderr, '');
  });

  it('a file that names MLflow and calls no tracking API (linted late, for its receivers) is fixed and counted once', () => {
    const dir = project({ 'u.py': 'import mlflow\n\nx = 1  # noqa: MLF101\n' });
    const r = mlflint(['check', '--no-cache', '--fix', '--show-fixes', '--extend-select', 'MLF001', 'u.py'], dir);
    assert.equal(r.stdout, 'Fixed 1 finding. All checks passed!\n');
    assert.equal(r.stderr, 'Fixed 1 finding:\n- u.py:\n    1 × MLF001 (unused-noqa)\n\n');
    assert.equal(readFileSync(join(dir, 'u.py'), 'utf8'), 'import mlflow\n\nx = 1\n');
  });

  it('--show-files lists what would be checked; --exclude, --extend-exclude, --force-exclude and --no-respect-gitignore change it', () => {
    const dir = project({ 'src/a.py': TAGS, 'gen/b.py': TAGS, 'venv/c.py': TAGS, '.gitignore': 'gen/\n' });
    const files = (...args: string[]) =>
      mlflint(['check', '--show-files', ...args], dir)
        .stdout.trim()
        .split('\n')
        .filter(Boolean);
    assert.deepEqual(files(), ['src/a.py']);
    assert.deepEqual(files('--no-respect-gitignore'), ['gen/b.py', 'src/a.py']);
    assert.deepEqual(files('--no-respect-gitignore', '--extend-exclude', 'gen/'), ['src/a.py']);
    // --exclude replaces the default excludes (venv/), --extend-exclude adds to them.
    assert.deepEqual(files('--exclude', 'src/'), ['venv/c.py']);
    // A file named on the command line is always linted, unless --force-exclude.
    assert.deepEqual(files('--extend-exclude', 'src/a.py', 'src/a.py'), ['src/a.py']);
    assert.deepEqual(files('--force-exclude', '--extend-exclude', 'src/a.py', 'src/a.py'), []);
  });

  it('`-` reads stdin as Python, or under --stdin-filename', () => {
    const dir = project({});
    const r = mlflint(['check', '-', '-q'], { cwd: dir, input: TAGS });
    assert.equal(r.stdout, `${FINDING.replace('a.py', 'stdin.py')}\n`);
    assert.equal(r.status, 1);
    assert.match(
      mlflint(['check', '-', '--stdin-filename', 'train.py', '-q'], { cwd: dir, input: TAGS }).stdout,
      /^train\.py:3:1: MLF203/,
    );
  });

  it('--color always|never overrides the terminal check; FORCE_COLOR forces it, NO_COLOR wins over it', () => {
    const dir = project({ 'a.py': TAGS });
    const esc = /\x1b\[/;
    assert.match(mlflint(['check', '--color', 'always', '.'], dir).stdout, esc);
    assert.doesNotMatch(
      mlflint(['check', '--color', 'never', '.'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout,
      esc,
    );
    assert.match(mlflint(['check', '.'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout, esc);
    assert.doesNotMatch(mlflint(['check', '.'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout, esc);
    assert.doesNotMatch(mlflint(['check', '.'], dir).stdout, esc);
  });

  it('rule --all explains every rule; rule with neither a name nor --all exits 2', () => {
    const dir = project({});
    const all = mlflint(['rule', '--all'], dir);
    assert.equal(all.status, 0);
    const listed = JSON.parse(mlflint(['rules', '--format', 'json'], dir).stdout) as { code: string; name: string }[];
    for (const r of listed) assert.ok(all.stdout.includes(`# ${r.name} (${r.code})`), r.code);
    assert.equal(mlflint(['rule'], dir).status, 2);
  });

  it('conflicting flags are usage errors, as in Ruff', () => {
    for (const [a, b] of [
      ['--diff', '--statistics'],
      ['--diff', '--fix-only'],
      ['--add-noqa', '--fix'],
      ['--add-noqa', '--diff'],
      ['--show-files', '--show-settings=a.py'],
    ]) {
      const r = mlflint(['check', a, b, 'examples']);
      assert.equal(r.status, 2, `${a} ${b}`);
      assert.match(
        r.stderr,
        /^mlflint: error: option '--[a-z-]+( <file>)?' cannot be used with option '--[a-z-]+( <file>)?'\n$/,
      );
      assert.equal(r.stdout, '');
    }
  });

  it('did you mean: for rule codes and names, on the command line, in `mlflint rule` and in noqa comments', () => {
    assert.equal(
      mlflint(['check', '--select', 'MLF1O1', 'examples']).stderr,
      'mlflint: error: unknown rule selector `MLF1O1` (did you mean `MLF101`?)\n',
    );
    assert.equal(
      mlflint(['check', '--ignore', 'metric-in-tight-lop', 'examples']).stderr,
      'mlflint: error: unknown rule selector `metric-in-tight-lop` (did you mean `metric-in-tight-loop`?)\n',
    );
    const rule = mlflint(['rule', 'unbatched-param']);
    assert.equal(rule.status, 2);
    assert.equal(rule.stderr, 'mlflint: error: unknown rule `unbatched-param` (did you mean `unbatched-params`?)\n');
    const noqa = mlflint(['check', '--stdin-filename', 'a.py'], {
      input: 'import mlflow\nmlflow.log_param("a", 1)  # noqa: MLF2O1\n',
    });
    assert.match(
      noqa.stderr,
      /^mlflint: a\.py:2:27: warning: unknown rule `MLF2O1` in a suppression comment \(did you mean `MLF201`\?\)$/m,
    );
  });
});
