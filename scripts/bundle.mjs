// The `mlflint` binary as one file (dist/bin/cli.cjs, run by the launcher dist/bin/mlflint.js
// with V8's code cache), its worker (dist/bin/worker.js) and its language server
// (dist/bin/server.js, loaded only by `mlflint server`): Node loads one module instead of a
// hundred, which is most of a one-file check's time. The grammars stay outside: they are native,
// and loaded only when a file needs them.
import { buildSync } from 'esbuild';
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
  entryPoints: {
    mlflint: 'dist/src/cli/launch.js',
    worker: 'dist/src/cli/worker.js',
    server: 'dist/src/server/server.js',
  },
  format: 'esm',
  // The CommonJS packages bundled in (commander, ignore) call require for Node's own modules.
  banner: {
    js: "import { createRequire as __mlflintRequire } from 'node:module'; const require = __mlflintRequire(import.meta.url);",
  },
});
// A script, not a module: only a script's compiled code can be cached (see src/cli/launch.ts).
buildSync({
  ...common,
  entryPoints: { cli: 'dist/src/cli/index.js' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': '__mlflintUrl' },
  banner: { js: "const __mlflintUrl = require('node:url').pathToFileURL(__filename).href;" },
});
