// Build dist/ when installed from a git checkout (pre-commit installs hooks that way). A packed
// or published copy already has dist/ and nothing runs. Output goes to stderr: `npm pack`
// stdout must stay the tarball name, which is why this is not a `prepare` script.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(new URL('../dist/bin/mlflint.js', import.meta.url))) {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.exit(0);
  }
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const b = spawnSync(process.execPath, [fileURLToPath(new URL('bundle.mjs', import.meta.url))], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  process.exit(b.status ?? 1);
}
