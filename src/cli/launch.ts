#!/usr/bin/env node
// The `mlflint` binary (dist/bin/mlflint.js): it runs the CLI's bundle (dist/bin/cli.cjs) with
// V8's code cache, as Node 22's compile cache would. Compiling the bundle and the functions a run
// calls is a seventh of a one-file check; with the cache, a run after the first skips it. The
// cache sits in the temporary directory (never in the package, which may be read-only), keyed by
// Node's version and the bundle's hash; V8 rejects data of another build or corrupt data, and
// a rejected, corrupt or missing entry is written again after the next check. MLFLINT_COMPILE_CACHE
// names another directory, or with `0` turns the cache off.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { IMPORT } from './launch-import.js';

const MONTH_MS = 30 * 24 * 3600 * 1000;
const bundle = fileURLToPath(new URL('./cli.cjs', import.meta.url));
const setting = process.env.MLFLINT_COMPILE_CACHE;
/**
 * The bundle's hash, written in by scripts/bundle.mjs: V8 checks only the length of the source
 * the data was made for, and npm gives every file of a tarball the same time.
 */
declare const __MLFLINT_BUNDLE_HASH__: string | undefined;
const built = typeof __MLFLINT_BUNDLE_HASH__ === 'string' ? __MLFLINT_BUNDLE_HASH__ : null;
const dir = setting === '0' ? null : setting || join(tmpdir(), 'mlflint-compile-cache');
const entry = dir && join(dir, `${process.version}-${built ?? unbuiltKey()}.v8`);
let cachedData: Buffer | undefined;
try {
  if (entry) cachedData = readFileSync(entry);
} catch {
  // First run, or the directory cannot be read: compiled as without a cache.
}
// The shebang is a comment only on a file's first line: the wrapper comes before it.
const source = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  cachedData,
});
// A script run from cached code has no loader for `import()`: this module's is lent to it.
Object.defineProperty(globalThis, IMPORT, { value: (specifier: string) => import(specifier) });
// Written after a `check` (what pre-commit runs), so that the functions a check calls are in it too.
if (entry && (!cachedData || script.cachedDataRejected) && process.argv[2] === 'check')
  process.once('beforeExit', () => {
    try {
      mkdirSync(dirname(entry), { recursive: true });
      const part = `${entry}.${process.pid}`;
      writeFileSync(part, script.createCachedData());
      renameSync(part, entry);
      // Other builds' entries (an upgrade leaves its predecessor's) go after a month.
      for (const name of readdirSync(dirname(entry)))
        if (name.endsWith('.v8') && Date.now() - statSync(join(dirname(entry), name)).mtimeMs > MONTH_MS)
          rmSync(join(dirname(entry), name), { force: true });
    } catch {
      // A cache that cannot be written costs the next run its compile, nothing more.
    }
  });
const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(
  module.exports,
  createRequire(bundle),
  module,
  bundle,
  dirname(bundle),
);

/** Outside the bundle (the compiled tree), the bundle's size and time stand in for its hash. */
function unbuiltKey(): string {
  const st = statSync(bundle);
  return `${st.size}-${Math.floor(st.mtimeMs)}`;
}
