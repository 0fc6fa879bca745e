#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { packageInfo as pkg } from '../package-info.js';
import { FORMATS } from '../reporters/index.js';
import { check, type Io } from './check.js';
import { listRules, showRule } from './rules.js';
import { IMPORT } from './launch-import.js';

const list = (v: string, prev: string[] = []): string[] => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

// A reader that goes away (`mlflint check | head`) or a full disk ends the run with one line, not a trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  const why = e.code === 'EPIPE' ? 'EPIPE (the reader closed the pipe)' : (e.code ?? e.message);
  process.stderr.write(`mlflint: error: cannot write the report: ${why}\n`);
  process.exit(2);
});

const io: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin,
  isTTY: !!process.stdout.isTTY,
  stderrIsTTY: !!process.stderr.isTTY && !process.env.CI,
};

/**
 * `import()`, lent by the launcher (src/cli/launch.ts): the bundle runs as a script from V8's code
 * cache, where a dynamic import of its own has no loader to call.
 */
const importModule = (specifier: string): Promise<unknown> => {
  const lent = (globalThis as Record<symbol, ((s: string) => Promise<unknown>) | undefined>)[IMPORT];
  return lent ? lent(specifier) : import(specifier);
};

/** The server beside this file: the bundle's (dist/bin), the compiled tree's (dist/src) or the source under tsx. */
function serverModule(): string {
  if (import.meta.url.endsWith('.ts')) return new URL('../server/server.ts', import.meta.url).href;
  const bundled = new URL('./server.mjs', import.meta.url);
  return (existsSync(fileURLToPath(bundled)) ? bundled : new URL('../server/server.js', import.meta.url)).href;
}

function program(): Command {
  const p = new Command('mlflint')
    .description('Find MLflow logging patterns that flood a tracking server')
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `mlflint: ${s}` : s) });

  p.command('check')
    .description('lint files and directories (default: .)')
    .argument('[paths...]', 'files or directories to lint')
    .option('--select <codes>', 'rules to enable: codes, prefixes (MLF1) or names, comma-separated', list)
    .option('--extend-select <codes>', 'rules to enable in addition to the selected ones', list)
    .option('--ignore <codes>', 'rules to disable', list)
    .addOption(new Option('--output-format <format>', 'output format (`full` is `text`)').choices([...FORMATS, 'full']))
    .addOption(new Option('--format <format>', 'alias of --output-format').choices([...FORMATS, 'full']))
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option(
      '--also-write <format=file>',
      "also write the same run's report in another format to a file (repeatable: `--also-write json=mlflint.json --also-write sarif=mlflint.sarif`)",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--exit-zero', 'exit 0 even when there are findings')
    .addOption(new Option('--statistics', 'count findings per rule').conflicts(['diff']))
    .option('--ignore-noqa', 'ignore `# noqa` comments')
    .option('--stdin-filename <name>', 'read source from stdin and report it under this name')
    .option('--fix', 'apply safe fixes')
    .option('--unsafe-fixes', 'also apply unsafe fixes (with --fix), or show them as available')
    .option('--diff', 'print the fixes as a unified diff and write nothing (exit 1 when there is one)')
    .addOption(
      new Option('--fix-only', 'apply fixes and report only what was fixed (implies --fix)').conflicts(['diff']),
    )
    .option('--exit-non-zero-on-fix', 'exit 1 when a fix was applied, even if no finding remains')
    .option('--show-fixes', 'with --fix, list what was fixed per file and rule (on stderr)')
    .option('-q, --quiet', 'print the findings only, without the summary')
    .option('-s, --silent', 'print nothing; the exit code still says whether there were findings')
    .option('--show-files', 'list the files that would be checked, and exit')
    .option(
      '--exclude <patterns>',
      'gitignore-style patterns to leave out, instead of the default excludes (comma-separated)',
      list,
    )
    .option('--extend-exclude <patterns>', 'patterns to leave out in addition', list)
    .option('--force-exclude', 'apply the excludes to files named on the command line too (for pre-commit)')
    .option('--respect-gitignore', 'honour .gitignore files (the default)')
    .option('--no-respect-gitignore', 'lint files that .gitignore leaves out')
    .option('--no-cache', 'do not read or write the cache of results')
    .option('--cache-dir <dir>', 'where the cache is kept (default: .mlflint_cache)')
    .option('-v, --verbose', 'say which files were linted, skipped and cached, and how long the run took (on stderr)')
    .option('--threads <n>', 'worker threads: a number, or `auto` (the cores, on runs with much to parse)', 'auto')
    .option('--config <file>', 'use this config file (pyproject.toml, mlflint.toml, package.json) for every file')
    .option('--isolated', 'ignore every config file')
    // As in Ruff: these change what a run does, so two of them at once is a usage error.
    .addOption(
      new Option(
        '--add-noqa',
        'add `# noqa: <codes>` to every line with a finding, so only new code is held to the rules',
      ).conflicts(['fix', 'fixOnly', 'diff', 'statistics', 'showFiles', 'stdinFilename']),
    )
    .addOption(
      new Option(
        '--show-settings <file>',
        'print the settings that apply to a file and where each came from, and exit',
      ).conflicts(['showFiles']),
    )
    .addOption(new Option('--color <when>', 'colour the output').choices(['auto', 'always', 'never']).default('auto'))
    .action(async (paths: string[], opts) => {
      const { outputFormat, format, cache, ...rest } = opts;
      const chosen = outputFormat ?? format ?? 'text';
      process.exitCode = await check(
        paths,
        { ...rest, noCache: cache === false, format: chosen === 'full' ? 'text' : chosen, version: pkg.version },
        io,
      );
    });

  p.command('clean')
    .description('remove the cache of results (.mlflint_cache, or --cache-dir)')
    .option('--cache-dir <dir>', 'the cache to remove')
    .action(async (opts: { cacheDir?: string }) => {
      const { cleanCache } = await import('./clean.js');
      process.exitCode = cleanCache(opts.cacheDir, io);
    });

  p.command('server')
    .description('run the language server (LSP) for editors, over stdin and stdout')
    .option('--stdio', 'talk over stdin and stdout (the only transport; editors pass it)')
    // vscode-languageclient passes the editor's pid; the protocol library watches it and exits with it.
    .addOption(new Option('--clientProcessId <pid>', "the editor's process id").hideHelp())
    .addOption(new Option('--node-ipc').hideHelp())
    .addOption(new Option('--socket <port>').hideHelp())
    .addOption(new Option('--pipe <name>').hideHelp())
    .action(async (opts: { nodeIpc?: boolean; socket?: string; pipe?: string }) => {
      const other = opts.nodeIpc ? '--node-ipc' : opts.socket ? '--socket' : opts.pipe ? '--pipe' : null;
      if (other) {
        process.stderr.write(`mlflint: error: ${other} is not supported: the server talks over stdio (--stdio)\n`);
        process.exitCode = 2;
        return;
      }
      // Its own bundle (dist/bin/server.mjs): a `check` loads none of the protocol's code.
      const { startServer } = (await importModule(serverModule())) as typeof import('../server/server.js');
      startServer();
    });

  p.command('rule')
    .description('explain a rule, or with --all every rule')
    .argument('[rule]', 'rule code or name')
    .option('--all', 'explain every rule')
    .action((id: string | undefined, opts: { all?: boolean }) => {
      process.exitCode = showRule(opts.all ? null : (id ?? ''), io);
    });

  p.command('rules')
    .description('list rules')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { format: 'text' | 'json' }) => {
      process.exitCode = listRules(opts.format, io);
    });
  return p;
}

// Not a top-level await: the bundle is a script (see src/cli/launch.ts), which has none.
void (async () => {
  try {
    await program().parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every other usage problem exits 2, like Ruff.
      process.exitCode =
        e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    } else {
      process.stderr.write(`mlflint: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    }
  }
})();
