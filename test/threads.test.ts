// Worker threads change how long a run takes, never what it says: the same findings in the same
// order, the same warnings, the same diff and the same fixed files as one thread.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Job } from '../src/cli/job.js';
import { autoWorkers } from '../src/cli/check.js';
import { Pool } from '../src/cli/pool.js';
import { exampleFiles, fixtureFiles, mlflint, project } from './helpers.js';

/** Every fixture and example, twice over under other names, with files from another file's receivers. */
function corpus(): Record<string, string> {
  const files: Record<string, string> = {};
  const sources = [...fixtureFiles().map((f) => f.file), ...exampleFiles()];
  sources.forEach((f, i) => {
    const ext = f.slice(f.lastIndexOf('.'));
    files[`a/f${i}${ext}`] = readFileSync(f, 'utf8');
    files[`b/g${i}${ext}`] = readFileSync(f, 'utf8');
  });
  files['tracking.py'] = 'from mlflow import MlflowClient\n\nclient = MlflowClient()\n';
  files['uses.py'] =
    'from tracking import client\n\ndef fit(loader, run_id):\n    for step, b in enumerate(loader):\n        client.log_metric(run_id, "loss", b, step=step)\n';
  files['warn.py'] = 'import mlflow\nmlflow.log_param("a", 1)  # noqa: MLF2O1\n';
  return files;
}

describe('--threads', () => {
  const files = corpus();

  it('reports the same as one thread, in the same order', () => {
    const dir = project(files);
    const one = mlflint(['check', '--threads', '1', '--output-format', 'json', '.'], { cwd: dir });
    const two = mlflint(['check', '--threads', '2', '--output-format', 'json', '.'], { cwd: dir });
    assert.ok(Object.keys(files).length > 100);
    assert.equal(one.status, 1);
    assert.ok((JSON.parse(one.stdout) as unknown[]).length > 200);
    assert.deepEqual([two.status, two.stdout, two.stderr], [one.status, one.stdout, one.stderr]);
    assert.match(one.stderr, /warn\.py:2:27: warning: unknown rule `MLF2O1`/);
    assert.match(one.stdout, /"path": "uses\.py"/);
    const diffOne = mlflint(['check', '--threads', '1', '--diff', '--unsafe-fixes', '.'], { cwd: dir });
    const diffTwo = mlflint(['check', '--threads', '2', '--diff', '--unsafe-fixes', '.'], { cwd: dir });
    assert.ok(diffOne.stdout.length > 1000);
    assert.deepEqual(
      [diffTwo.status, diffTwo.stdout, diffTwo.stderr],
      [diffOne.status, diffOne.stdout, diffOne.stderr],
    );
  });

  it('fixes the same files the same way', () => {
    const fixed = (threads: string) => {
      const dir = project(files);
      const r = mlflint(
        ['check', '--threads', threads, '--fix', '--unsafe-fixes', '--show-fixes', '--output-format', 'concise', '.'],
        { cwd: dir },
      );
      return {
        r: [r.status, r.stdout, r.stderr],
        files: Object.keys(files).map((f) => readFileSync(join(dir, f), 'utf8')),
      };
    };
    const one = fixed('1');
    const two = fixed('2');
    assert.deepEqual(two, one);
    assert.notDeepEqual(one.files, Object.values(files));
  });

  it('when no worker can start, the main thread does every job, none is lost', async () => {
    const dir = project({ 'broken-worker.mjs': 'throw new Error("cannot start");\n' });
    const pool = new Pool(2, pathToFileURL(join(dir, 'broken-worker.mjs')));
    const text = 'import mlflow\nfor step in range(1000):\n    mlflow.log_metric("loss", step)\n';
    const jobs: Job[] = [0, 1, 2, 3, 4].map((i) => ({
      abs: join(dir, `t${i}.py`),
      text,
      options: {},
      mode: 'lint',
      unsafe: false,
    }));
    try {
      const results = await Promise.all(jobs.map((j) => pool.run(j)));
      assert.deepEqual(
        results.map((r) => r.diagnostics.map((d) => d.code)),
        jobs.map(() => ['MLF101']),
      );
      assert.equal(pool.size, 0);
    } finally {
      await pool.close();
    }
  });

  it('auto: the same report and messages, in the same order, as one thread', () => {
    const dir = project(files);
    const args = ['check', '-v', '--no-cache', '--output-format', 'json', '.'];
    const one = mlflint([...args, '--threads', '1'], { cwd: dir });
    const auto = mlflint([...args, '--threads', 'auto'], { cwd: dir });
    const two = mlflint([...args, '--threads', '2'], { cwd: dir });
    // Only the summary's time (and thread count) differs: the second pass too goes in file order.
    const untimed = (s: string) => s.replace(/ in [\d.]+ s:/, ' in … s:').replace(/, on \d+ threads/, '');
    assert.deepEqual([auto.status, auto.stdout, untimed(auto.stderr)], [one.status, one.stdout, untimed(one.stderr)]);
    assert.deepEqual([two.status, two.stdout, untimed(two.stderr)], [one.status, one.stdout, untimed(one.stderr)]);
    assert.match(one.stderr, /linted: uses\.py \(again/);
  });

  it('auto: workers for a run with much to parse, on two cores only for a few MB', () => {
    // files to parse, their characters, cores → workers
    const cases: [number, number, number, number][] = [
      [180, 1_700_000, 2, 1],
      [460, 5_400_000, 2, 2],
      [460, 5_400_000, 8, 8],
      [180, 1_700_000, 8, 4],
      [30, 9_000_000, 8, 1],
      [100, 200_000, 1, 1],
    ];
    for (const [n, chars, cores, want] of cases)
      assert.equal(autoWorkers(n, chars, cores), want, `${n} ${chars} ${cores}`);
  });

  it('a bad --threads is a usage error', () => {
    const r = mlflint(['check', '--threads', 'many', 'examples']);
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      'mlflint: error: --threads many: expected a whole number of threads, 1 or more, or `auto`\n',
    );
  });
});
