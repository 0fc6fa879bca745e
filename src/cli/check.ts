import { writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { adapterFor, lintText, supportedExtensions, UsageError, type LintOptions } from '../index.js';
import { reporters, type FileReport, type Format } from '../reporters/index.js';
import { discover, PathError } from './files.js';
import { decodeSource, readSource } from './read-source.js';
import { statistics } from './statistics.js';

export interface CheckFlags {
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
  format: Format;
  outputFile?: string;
  exitZero?: boolean;
  statistics?: boolean;
  stdinFilename?: string;
  ignoreNoqa?: boolean;
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<Buffer>;
  isTTY: boolean;
}

function display(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return (rel && !rel.startsWith('..') ? rel : abs).split(sep).join('/');
}

export async function check(paths: string[], flags: CheckFlags, io: Io): Promise<number> {
  const options: LintOptions = { select: flags.select, extendSelect: flags.extendSelect, ignore: flags.ignore, ignoreNoqa: flags.ignoreNoqa };
  let ioError = false;
  const files: FileReport[] = [];
  const lintOne = (abs: string, shown: string, text: string): void => {
    files.push({ path: shown, text, diagnostics: lintText(abs, text, options).diagnostics });
  };
  try {
    if (flags.stdinFilename !== undefined && (paths.length === 0 || (paths.length === 1 && paths[0] === '-'))) {
      const name = flags.stdinFilename;
      if (!adapterFor(name)) throw new UsageError(`--stdin-filename ${name}: unsupported file type (expected one of ${supportedExtensions().join(', ')})`);
      const src = decodeSource(await io.readStdin());
      if (!src.ok) {
        io.stderr(`mlflint: ${name}: ${src.reason}; skipped\n`);
        return 2;
      }
      lintOne(resolve(name), display(resolve(name)), src.text);
    } else {
      const targets = discover(paths.length ? paths : ['.'], supportedExtensions());
      for (const abs of targets) {
        if (!adapterFor(abs)) {
          io.stderr(`mlflint: ${display(abs)}: unsupported file type; skipped\n`);
          continue;
        }
        const src = readSource(abs);
        if (!src.ok) {
          io.stderr(`mlflint: ${display(abs)}: ${src.reason}; skipped\n`);
          ioError = true;
          continue;
        }
        try {
          lintOne(abs, display(abs), src.text);
        } catch (e) {
          // One file that trips a bug must not cost the user the findings of the others.
          io.stderr(`mlflint: ${display(abs)}: internal error, file skipped: ${(e as Error).stack ?? e}\n`);
          ioError = true;
        }
        // node-tree-sitter frees native trees only when the event loop turns.
        await new Promise((r) => setImmediate(r));
      }
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof PathError) {
      io.stderr(`mlflint: error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const shown = files.filter((f) => f.diagnostics.length > 0);
  // https://no-color.org: any non-empty NO_COLOR disables colour.
  const color = io.isTTY && !flags.outputFile && !process.env.NO_COLOR;
  const report = flags.statistics
    ? statistics(files, flags.format)
    : reporters[flags.format](flags.format === 'json' ? files : shown, { color, frames: flags.format === 'text' && io.isTTY && !flags.outputFile });
  if (flags.outputFile) writeFileSync(flags.outputFile, report);
  else io.stdout(report);
  const findings = files.reduce((n, f) => n + f.diagnostics.length, 0);
  if (ioError) return 2;
  return findings > 0 && !flags.exitZero ? 1 : 0;
}
