#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { packageInfo as pkg } from '../package-info.js';
import { FORMATS } from '../reporters/index.js';
import { check, type Io } from './check.js';
import { listRules, showRule } from './rules.js';


const list = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

// A reader that goes away (`mlflint check | head`) or a full disk ends the run with one line, not a trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  const why = e.code === 'EPIPE' ? 'EPIPE (the reader closed the pipe)' : e.code ?? e.message;
  process.stderr.write(`mlflint: error: cannot write the report: ${why}\n`);
  process.exit(2);
});

const io: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin,
  isTTY: !!process.stdout.isTTY,
};

function program(): Command {
  const p = new Command('mlflint')
    .description('Find MLflow logging patterns that flood a tracking server')
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  p.command('check')
    .description('lint files and directories (default: .)')
    .argument('[paths...]', 'files or directories to lint')
    .option('--select <codes>', 'rules to enable: codes, prefixes (MLF1) or names, comma-separated', list)
    .option('--extend-select <codes>', 'rules to enable in addition to the selected ones', list)
    .option('--ignore <codes>', 'rules to disable', list)
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option('--exit-zero', 'exit 0 even when there are findings')
    .option('--statistics', 'count findings per rule')
    .option('--ignore-noqa', 'ignore `# noqa` comments')
    .option('--stdin-filename <name>', 'read source from stdin and report it under this name')
    .option('--fix', 'apply safe fixes')
    .option('--unsafe-fixes', 'also apply unsafe fixes (with --fix), or show them as available')
    .option('--diff', 'print the fixes as a unified diff and write nothing (exit 1 when there is one)')
    .action(async (paths: string[], opts) => {
      process.exitCode = await check(paths, { ...opts, version: pkg.version }, io);
    });

  p.command('rule')
    .description('explain a rule')
    .argument('<rule>', 'rule code or name')
    .action((id: string) => {
      process.exitCode = showRule(id, io);
    });

  p.command('rules')
    .description('list rules')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { format: 'text' | 'json' }) => {
      process.exitCode = listRules(opts.format, io);
    });
  return p;
}

try {
  await program().parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version exit 0; every other usage problem exits 2, like Ruff.
    process.exitCode = e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
  } else {
    process.stderr.write(`mlflint: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  }
}
