// `--fix`, `--unsafe-fixes`, `--diff` through the built binary: what is written, and how.
import assert from 'node:assert/strict';
import { chmodSync, linkSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mlflint, project } from './helpers.js';

const TAGS = 'import mlflow\n\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n';
const TAGS_FIXED = 'import mlflow\n\nmlflow.set_tags({"a": 1, "b": 2})\n';
const LOOP =
  'import mlflow\n\nfor step, batch in enumerate(train_loader):\n    mlflow.log_metric("loss", fit(batch), step=step)\n';

describe('mlflint check --fix', () => {
  it('applies safe fixes, reports what remains, and exits 0 when everything was fixed', () => {
    const dir = project({ 'train.py': TAGS });
    const r = mlflint(['check', '--fix'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Fixed 1 finding\. All checks passed!/);
    assert.equal(readFileSync(join(dir, 'train.py'), 'utf8'), TAGS_FIXED);
  });

  it('leaves unsafe fixes alone without --unsafe-fixes, says they exist, and exits 1', () => {
    const dir = project({ 'train.py': LOOP });
    const r = mlflint(['check', '--fix'], dir);
    assert.equal(r.status, 1);
    assert.equal(readFileSync(join(dir, 'train.py'), 'utf8'), LOOP);
    assert.match(r.stdout, /1 more fix available with `--unsafe-fixes`\./);
    const shown = mlflint(['check', '--unsafe-fixes'], dir);
    assert.match(shown.stdout, /MLF101 \[\*\] /);
    const all = mlflint(['check', '--fix', '--unsafe-fixes'], dir);
    assert.equal(all.status, 0, all.stdout);
    assert.equal(
      readFileSync(join(dir, 'train.py'), 'utf8'),
      'import mlflow\n\nfor step, batch in enumerate(train_loader):\n    if step % 100 == 0:\n        mlflow.log_metric("loss", fit(batch), step=step)\n',
    );
  });

  it('is idempotent: a second --fix changes nothing', () => {
    const dir = project({ 'train.py': TAGS + LOOP.replace('import mlflow\n', '') });
    mlflint(['check', '--fix', '--unsafe-fixes'], dir);
    const once = readFileSync(join(dir, 'train.py'), 'utf8');
    const again = mlflint(['check', '--fix', '--unsafe-fixes', '--format', 'json'], dir);
    assert.equal(readFileSync(join(dir, 'train.py'), 'utf8'), once);
    assert.deepEqual(JSON.parse(again.stdout), []);
  });

  it('keeps CRLF line endings, a UTF-8 BOM and the file mode, and leaves no temporary file', () => {
    const crlf = TAGS.replace(/\n/g, '\r\n');
    const dir = project({ 'crlf.py': crlf, 'bom.py': `\ufeff${TAGS}` });
    chmodSync(join(dir, 'crlf.py'), 0o755);
    chmodSync(join(dir, 'bom.py'), 0o600);
    assert.equal(mlflint(['check', '--fix'], dir).status, 0);
    assert.equal(readFileSync(join(dir, 'crlf.py'), 'utf8'), TAGS_FIXED.replace(/\n/g, '\r\n'));
    assert.equal(readFileSync(join(dir, 'bom.py'), 'utf8'), `\ufeff${TAGS_FIXED}`);
    assert.equal(statSync(join(dir, 'crlf.py')).mode & 0o777, 0o755);
    assert.equal(statSync(join(dir, 'bom.py')).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).sort(), ['bom.py', 'crlf.py']);
  });

  it('never touches a region with a syntax error, and fixes the rest', () => {
    const src =
      'import mlflow\n\ndef broken():\n    mlflow.set_tag("x", 1)\n    mlflow.set_tag("y", = 2)\n\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n';
    const dir = project({ 'broken.py': src });
    mlflint(['check', '--fix'], dir);
    const out = readFileSync(join(dir, 'broken.py'), 'utf8');
    assert.ok(out.includes('mlflow.set_tag("x", 1)\n    mlflow.set_tag("y", = 2)'), out);
    assert.ok(out.endsWith('mlflow.set_tags({"a": 1, "b": 2})\n'), out);
  });

  it('--stdin-filename with --fix prints the fixed source on stdout and the report on stderr', () => {
    const r = mlflint(['check', '--fix', '--stdin-filename', 'train.py'], { cwd: tmpdir(), input: TAGS });
    assert.equal(r.status, 0);
    assert.equal(r.stdout, TAGS_FIXED);
  });
});

describe('mlflint check --diff', () => {
  it('prints a unified diff, writes nothing, and exits 1', () => {
    const dir = project({ 'train.py': TAGS });
    const r = mlflint(['check', '--diff'], dir);
    assert.equal(r.status, 1);
    assert.equal(readFileSync(join(dir, 'train.py'), 'utf8'), TAGS);
    assert.match(r.stdout, /^--- train\.py$/m);
    assert.match(r.stdout, /^\+\+\+ train\.py$/m);
    assert.match(r.stdout, /^-mlflow\.set_tag\("a", 1\)$/m);
    assert.match(r.stdout, /^\+mlflow\.set_tags\(\{"a": 1, "b": 2\}\)$/m);
    assert.match(r.stderr, /Would fix 1 finding\./);
  });

  it('exits 0 and prints nothing when there is nothing to fix', () => {
    const dir = project({ 'train.py': TAGS_FIXED });
    const r = mlflint(['check', '--diff'], dir);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '');
  });
});

describe('mlflint check --fix: how a fix is written', () => {
  it('follows a symlink: the target is fixed once and the link stays a link', () => {
    const dir = project({ 'real/train.py': TAGS });
    symlinkSync(join(dir, 'real', 'train.py'), join(dir, 'link.py'));
    const r = mlflint(['check', '--fix', '.'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Fixed 1 finding\./);
    assert.ok(lstatSync(join(dir, 'link.py')).isSymbolicLink());
    assert.equal(readFileSync(join(dir, 'real', 'train.py'), 'utf8'), TAGS_FIXED);
  });

  it('keeps hard links together', () => {
    const dir = project({ 'train.py': TAGS });
    linkSync(join(dir, 'train.py'), join(dir, 'other.txt'));
    const r = mlflint(['check', '--fix', 'train.py'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(readFileSync(join(dir, 'other.txt'), 'utf8'), TAGS_FIXED);
    assert.equal(statSync(join(dir, 'train.py')).nlink, 2);
  });

  it('reports a read-only file instead of rewriting it, counts no fix and exits 2', () => {
    const dir = project({ 'train.py': TAGS });
    chmodSync(join(dir, 'train.py'), 0o444);
    const r = mlflint(['check', '--fix', 'train.py'], dir);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(r.stderr, 'mlflint: train.py: fix not written: the file is read-only\n');
    assert.doesNotMatch(r.stdout, /Fixed/);
    assert.match(r.stdout, /MLF203/);
    assert.equal(readFileSync(join(dir, 'train.py'), 'utf8'), TAGS);
    assert.equal(statSync(join(dir, 'train.py')).mode & 0o777, 0o444);
  });
});
