// The cache through the built binary: an unchanged run reads results instead of parsing, and
// anything a result depends on (the file, its settings, the receivers of other files, mlflint's
// version) makes it be computed again. A corrupt entry is rebuilt; --no-cache writes nothing.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkIn, mlflint, project } from './helpers.js';

const FILES = {
  'train.py': 'import mlflow\n\nfor step in range(10):\n    mlflow.log_metric("loss", step)\n',
  'tags.py': 'import mlflow\n\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n',
  'tracking.py': 'from mlflow import MlflowClient\n\nclient = MlflowClient()\n',
  'uses.py':
    'from tracking import client\n\ndef fit(loader, run_id):\n    for step, b in enumerate(loader):\n        client.log_metric(run_id, "loss", b, step=step)\n',
  'other.py': 'import torch\n',
};
/** What -v says of each file: `cached`, `linted` or `skipped`. */
const how = (stderr: string) =>
  Object.fromEntries(
    [...stderr.matchAll(/^mlflint: (cached|linted|skipped)[^:]*: (\S+)( \(again)?/gm)].map((m) => [
      `${m[2]}${m[3] ? '#2' : ''}`,
      m[1],
    ]),
  );

describe('cache', () => {
  it('an unchanged run comes from the cache and says the same; a changed file is linted again', () => {
    const dir = project(FILES);
    const first = mlflint(['check', '-v', '--output-format', 'json', '.'], dir);
    // uses.py names no MLflow: it is looked at again once tracking.py's client is known. other.py
    // is not: its imports name no module that holds one.
    assert.deepEqual(how(first.stderr), {
      'other.py': 'skipped',
      'tags.py': 'linted',
      'tracking.py': 'linted',
      'train.py': 'linted',
      'uses.py': 'skipped',
      'uses.py#2': 'linted',
    });
    assert.equal(
      readFileSync(join(dir, '.mlflint_cache', '.gitignore'), 'utf8'),
      '# Automatically created by mlflint.\n*\n',
    );
    assert.ok(existsSync(join(dir, '.mlflint_cache', 'CACHEDIR.TAG')));
    const second = mlflint(['check', '-v', '--output-format', 'json', '.'], dir);
    assert.equal(second.stdout, first.stdout);
    assert.deepEqual(how(second.stderr), {
      'other.py': 'skipped',
      'tags.py': 'cached',
      'tracking.py': 'cached',
      'train.py': 'cached',
      'uses.py': 'skipped',
      'uses.py#2': 'cached',
    });
    assert.match(
      second.stderr,
      /^mlflint: 5 files in [\d.]+ s: 0 linted, 1 skipped \(nothing a rule looks for\), 0 not lowered \(no tracking call\), 4 from the cache/m,
    );
    writeFileSync(join(dir, 'train.py'), FILES['train.py'].replace('range(10)', 'range(20)'));
    assert.equal(how(mlflint(['check', '-v', '.'], dir).stderr)['train.py'], 'linted');
  });

  it("another file's receivers, the settings and the version are part of the key", async () => {
    const dir = project(FILES);
    const codes = (r: { stdout: string }) =>
      (JSON.parse(r.stdout) as { path: string; code: string }[]).map((f) => `${f.path} ${f.code}`);
    assert.ok(codes(mlflint(['check', '--output-format', 'json', '.'], dir)).includes('uses.py MLF101'));
    // The client is no longer a client: uses.py, unchanged, must lose its finding.
    writeFileSync(join(dir, 'tracking.py'), 'client = object()\n');
    assert.ok(!codes(mlflint(['check', '--output-format', 'json', '.'], dir)).includes('uses.py MLF101'));
    writeFileSync(join(dir, 'mlflint.toml'), 'ignore = ["MLF203"]\n');
    const r = mlflint(['check', '-v', '--output-format', 'json', '.'], dir);
    assert.equal(how(r.stderr)['tags.py'], 'linted');
    assert.ok(!codes(r).includes('tags.py MLF203'));
    const { stderr } = await checkIn(dir, { format: 'json', verbose: true, version: '99.0.0' });
    assert.equal(how(stderr)['train.py'], 'linted', 'another version of mlflint computes its own results');
  });

  it("a file changed behind its metadata's back (same size, modification time put back) is linted again", async () => {
    const dir = project(FILES);
    // Files changed in the last two seconds are compared by their text; these are older.
    await new Promise((r) => setTimeout(r, 2100));
    mlflint(['check', '.'], dir);
    assert.equal(how(mlflint(['check', '-v', '.'], dir).stderr)['train.py'], 'cached');
    const file = join(dir, 'train.py');
    const { atime, mtime } = statSync(file);
    writeFileSync(file, FILES['train.py'].replace('range(10)', 'loader(1)'));
    utimesSync(file, atime, mtime);
    const r = mlflint(['check', '-v', '--output-format', 'concise', '.'], dir);
    assert.equal(how(r.stderr)['train.py'], 'linted');
    assert.match(r.stdout, /^train\.py:4:5: MLF101 /m);
  });

  it('a corrupt entry is rebuilt; --no-cache writes nothing; --cache-dir and mlflint clean', () => {
    const dir = project(FILES);
    const first = mlflint(['check', '--output-format', 'json', '.'], dir);
    const cache = join(dir, '.mlflint_cache');
    const indexes = readdirSync(cache).filter((f) => f.startsWith('index-'));
    assert.equal(indexes.length, 1);
    for (const f of indexes) writeFileSync(join(cache, f), '{"entries": {"torn');
    const again = mlflint(['check', '-v', '--output-format', 'json', '.'], dir);
    assert.equal(again.stdout, first.stdout);
    assert.equal(how(again.stderr)['train.py'], 'linted');
    assert.equal(how(mlflint(['check', '-v', '.'], dir).stderr)['train.py'], 'cached');

    const fresh = project(FILES);
    mlflint(['check', '--no-cache', '.'], fresh);
    assert.ok(!existsSync(join(fresh, '.mlflint_cache')));
    mlflint(['check', '--cache-dir', 'elsewhere', '.'], fresh);
    assert.ok(existsSync(join(fresh, 'elsewhere', 'CACHEDIR.TAG')));
    assert.ok(!existsSync(join(fresh, '.mlflint_cache')));
    const clean = mlflint(['clean', '--cache-dir', 'elsewhere'], fresh);
    assert.equal(clean.status, 0);
    assert.ok(!existsSync(join(fresh, 'elsewhere')));
    mlflint(['check', '.'], fresh);
    assert.equal(mlflint(['clean'], fresh).stderr, 'Removed .mlflint_cache\n');
    assert.ok(!existsSync(join(fresh, '.mlflint_cache')));
  });
});
