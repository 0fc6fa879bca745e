// The `mlflint` binary as one file (dist/bin/mlflint.js), its worker (dist/bin/worker.js) and its
// language server (dist/bin/server.js, loaded only by `mlflint server`):
// Node loads one module instead of a hundred, which is most of a one-file check's time.
// The grammars stay outside: they are native, and loaded only when a file needs them.
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
buildSync({
  absWorkingDir: root,
  entryPoints: {
    mlflint: 'dist/src/cli/index.js',
    worker: 'dist/src/cli/worker.js',
    server: 'dist/src/server/server.js',
  },
  outdir: 'dist/bin',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['tree-sitter', 'tree-sitter-python', 'tree-sitter-typescript'],
  // jsonc-parser's main build is UMD, which bundles with requires left unresolved: take its ES build.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // The CommonJS packages bundled in (commander, ignore) call require for Node's own modules.
  banner: {
    js: "import { createRequire as __mlflintRequire } from 'node:module'; const require = __mlflintRequire(import.meta.url);",
  },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
