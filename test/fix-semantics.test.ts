// Fixes keep what a run records: each runnable fixture is executed with python3 against a
// recording stand-in for mlflow (test/python/mlflow), before and after fixing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixText } from '../src/index.js';
import { fixtureFiles, ROOT, scratch } from './helpers.js';

interface Record {
  requests: number;
  metrics: [string, number, number][];
  params: { [k: string]: string };
  tags: { [k: string]: string };
  artifacts: [string, string][];
}

const STUB = join(ROOT, 'test', 'python');

function run(source: string, name: string): Record {
  const dir = scratch('mlflint-run-');
  const script = join(dir, name);
  const out = join(dir, 'record.json');
  writeFileSync(script, source);
  const r = spawnSync('python3', [script], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: STUB, MLFLINT_RECORD: out },
  });
  assert.equal(r.error, undefined, 'python3 is needed for this test (.ci/run installs it)');
  assert.equal(r.status, 0, `${name} failed:\n${r.stderr}`);
  const rec = JSON.parse(readFileSync(out, 'utf8')) as Record;
  rec.metrics.sort((a, b) => a[0].localeCompare(b[0]) || a[2] - b[2] || a[1] - b[1]);
  rec.artifacts.sort((a, b) => a.join('/').localeCompare(b.join('/')));
  return rec;
}

const data = (r: Record) => ({ metrics: r.metrics, params: r.params, tags: r.tags, artifacts: r.artifacts });

describe('fix semantics', () => {
  for (const fx of fixtureFiles().filter((f) => /^invalid_run(_[a-z]+)?\.py$/.test(f.name))) {
    const shown = fx.shown;
    const source = readFileSync(fx.file, 'utf8');
    const before = run(source, 'original.py');

    it(`${shown}: safe fixes record the same data with fewer requests`, () => {
      const safe = fixText(fx.file, source, {}, false);
      const after = run(safe.text, 'safe.py');
      assert.deepEqual(data(after), data(before));
      if (safe.fixed > 0)
        assert.ok(after.requests < before.requests, `${after.requests} requests after, ${before.requests} before`);
      else assert.equal(after.requests, before.requests);
    });

    it(`${shown}: unsafe fixes make fewer requests and record ${fx.rule === 'metric-in-tight-loop' ? 'a subset at the guarded steps' : 'the same data'}`, () => {
      const all = fixText(fx.file, source, {}, true);
      assert.ok(all.fixed > 0, 'no fix applied');
      const after = run(all.text, 'all.py');
      assert.ok(after.requests < before.requests, `${after.requests} requests after, ${before.requests} before`);
      if (fx.rule === 'metric-in-tight-loop') {
        const had = new Set(before.metrics.map((m) => JSON.stringify(m)));
        assert.ok(
          after.metrics.length > 0 && after.metrics.every((m) => had.has(JSON.stringify(m)) && m[2] % 100 === 0),
          JSON.stringify(after.metrics),
        );
        assert.deepEqual({ ...data(after), metrics: [] }, { ...data(before), metrics: [] });
      } else {
        assert.deepEqual(data(after), data(before));
      }
    });
  }
});
