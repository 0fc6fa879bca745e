// The `mlflint` binary as one file (dist/bin/cli.cjs, run by the launcher dist/bin/mlflint.js
// with V8's code cache), its worker (dist/bin/worker.mjs) and its language server
// (dist/bin/server.mjs, loaded only by `mlflint server`): Node loads one module instead of a
// hundred, which is most of a one-file check's time. The grammars stay outside: they are native,
// and loaded only when a file needs them.
import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = {
  absWorkingDir: root,
  outdir: 'dist/bin',
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['tree-sitter', 'tree-sitter-python', 'tree-sitter-typescript'],
  // jsonc-parser's main build is UMD, which bundles with requires left unresolved: take its ES build.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};
buildSync({
  ...common,
  entryPoints: { worker: 'dist/src/cli/worker.js', server: 'dist/src/server/server.js' },
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  // The CommonJS packages bundled in (commander, ignore) call require for Node's own modules.
  banner: {
    js: "import { createRequire as __mlflintRequire } from 'node:module'; const require = __mlflintRequire(import.meta.url);",
  },
});
// Scripts, not modules: Node starts a script without its module loader, and only a script's
// compiled code can be cached (see src/cli/launch.ts). The launcher keeps its name (the bin of
// package.json); dist/bin/package.json makes its `.js` a script.
const script = {
  ...common,
  format: 'cjs',
  define: { 'import.meta.url': '__mlflintUrl' },
  banner: { js: "const __mlflintUrl = require('node:url').pathToFileURL(__filename).href;" },
};
buildSync({ ...script, entryPoints: { cli: 'dist/src/cli/index.js' }, outExtension: { '.js': '.cjs' } });
const hash = createHash('sha256')
  .update(readFileSync(new URL('../dist/bin/cli.cjs', import.meta.url)))
  .digest('hex')
  .slice(0, 16);
buildSync({
  ...script,
  entryPoints: { mlflint: 'dist/src/cli/launch.js' },
  define: { ...script.define, __MLFLINT_BUNDLE_HASH__: JSON.stringify(hash) },
});
writeFileSync(new URL('../dist/bin/package.json', import.meta.url), '{ "type": "commonjs" }\n');
