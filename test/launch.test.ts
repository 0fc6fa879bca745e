// The binary's launcher (src/cli/launch.ts): the CLI bundle run with V8's code cache. A cache
// entry that is missing, corrupt or cannot be written changes nothing but the time a run takes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mlflint, project, scratch } from './helpers.js';

const TAGS = 'import mlflow\n\nmlflow.set_tag("a", 1)\nmlflow.set_tag("b", 2)\n';

describe('the launcher', () => {
  it('writes one cache entry after a first check, and later runs report the same from it', () => {
    const dir = project({ 'train.py': TAGS });
    const cache = scratch('mlflint-cc-');
    const env = { MLFLINT_COMPILE_CACHE: cache };
    // Only a check writes it: it holds what a check compiles, not what `rule` or `--version` do.
    assert.equal(mlflint(['rule', 'MLF101'], { cwd: dir, env }).status, 0);
    assert.deepEqual(readdirSync(cache), []);
    const first = mlflint(['check', '--no-cache', 'train.py'], { cwd: dir, env });
    assert.equal(first.status, 1, first.stderr);
    assert.match(first.stdout, /train\.py:3:1: MLF203 /);
    const entries = readdirSync(cache);
    assert.equal(entries.length, 1, entries.join(', '));
    // Named by Node's version and the bundle's hash (V8 itself checks only the source's length).
    assert.match(entries[0], /^v\d+\.\d+\.\d+-[0-9a-f]{16}\.v8$/);
    const written = readFileSync(join(cache, entries[0]));
    assert.ok(written.length > 10_000, `${written.length} bytes of cached code`);
    const again = mlflint(['check', '--no-cache', 'train.py'], { cwd: dir, env });
    assert.deepEqual(again, first);
    assert.deepEqual(readdirSync(cache), entries, 'an accepted entry is not written again');
    // Another build's entry, unused for two months, goes when an entry is next written; a recent one stays.
    const old = join(cache, 'v0.0.0-1-1.v8');
    const recent = join(cache, 'v0.0.0-2-2.v8');
    writeFileSync(old, 'old');
    writeFileSync(recent, 'recent');
    const twoMonths = (Date.now() - 60 * 24 * 3600 * 1000) / 1000;
    utimesSync(old, twoMonths, twoMonths);
    rmSync(join(cache, entries[0]));
    assert.deepEqual(mlflint(['check', '--no-cache', 'train.py'], { cwd: dir, env }), first);
    assert.deepEqual(readdirSync(cache).sort(), [entries[0], 'v0.0.0-2-2.v8'].sort());
  });

  it('a corrupt entry is ignored and written again; a cache that cannot be written, or is off, changes nothing', () => {
    const dir = project({ 'train.py': TAGS });
    const cache = scratch('mlflint-cc-');
    const env = { MLFLINT_COMPILE_CACHE: cache };
    const expected = mlflint(['check', '--no-cache', 'train.py'], { cwd: dir, env });
    const [entry] = readdirSync(cache);
    writeFileSync(join(cache, entry), 'not V8 code');
    assert.deepEqual(mlflint(['check', '--no-cache', 'train.py'], { cwd: dir, env }), expected);
    assert.notEqual(readFileSync(join(cache, entry), 'utf8'), 'not V8 code', 'the corrupt entry was replaced');
    // A file where the directory should be: nothing can be written there.
    const blocked = join(cache, 'a-file');
    writeFileSync(blocked, '');
    const unwritable = mlflint(['check', '--no-cache', 'train.py'], {
      cwd: dir,
      env: { MLFLINT_COMPILE_CACHE: blocked },
    });
    assert.deepEqual(unwritable, expected);
    const off = scratch('mlflint-cc-');
    assert.deepEqual(
      mlflint(['check', '--no-cache', 'train.py'], { cwd: dir, env: { MLFLINT_COMPILE_CACHE: '0', TMPDIR: off } }),
      expected,
    );
    assert.deepEqual(
      readdirSync(off),
      [],
      'with the cache off nothing is written, not even in the temporary directory',
    );
  });
});
