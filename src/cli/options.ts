// The options of each file of a run: the command line's, layered over the nearest config file's.
import { dirname, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { registry, settingOptions, type LintOptions } from '../index.js';
import { severities, type Config } from '../config/config.js';
import { formatterLineLength } from '../config/line-length.js';
import type { CheckFlags } from './flags.js';
import { UsageError } from './usage.js';

/** Below this many files per worker, starting workers costs more than it saves. */
export const MIN_FILES_PER_WORKER = 40;

export function threadCount(given: string | undefined): number | 'auto' {
  if (given === undefined || given === 'auto') return 'auto';
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--threads ${given}: expected a whole number of threads, 1 or more, or \`auto\``);
  return n;
}

/** A file's lint options: the command line's, over the nearest config file's. */
export function optionsFor(abs: string, flags: CheckFlags, config: Config | null): LintOptions {
  const { base, perFile } = baseOptions(flags, config);
  const laid = withLineLength(base, config?.settings['line-length'] ?? formatterLineLength(dirname(abs)));
  if (!perFile.length || !config) return laid;
  const rel = relative(config.dir, abs).split(sep).join('/');
  const ignoreHere = rel.startsWith('..')
    ? []
    : perFile.filter(([matcher]) => matcher.ignores(rel)).flatMap(([, codes]) => codes);
  return ignoreHere.length ? { ...laid, ignore: [...(laid.ignore ?? []), ...ignoreHere] } : laid;
}

/** The same options object for the same line length, so that each is keyed (optionsKey) once. */
const byLineLength = new WeakMap<LintOptions, Map<number | null, LintOptions>>();
function withLineLength(base: LintOptions, lineLength: number | null): LintOptions {
  if (lineLength === null) return base;
  let m = byLineLength.get(base);
  if (!m) byLineLength.set(base, (m = new Map()));
  let o = m.get(lineLength);
  if (!o) m.set(lineLength, (o = { ...base, lineLength }));
  return o;
}

/** What a config file's settings and the command line give every file under it: worked out once per config. */
const baseMemo = new WeakMap<CheckFlags, Map<Config | null, { base: LintOptions; perFile: [Ignore, string[]][] }>>();

function baseOptions(flags: CheckFlags, config: Config | null): { base: LintOptions; perFile: [Ignore, string[]][] } {
  let byConfig = baseMemo.get(flags);
  if (!byConfig) baseMemo.set(flags, (byConfig = new Map()));
  const hit = byConfig.get(config);
  if (hit) return hit;
  const st = config?.settings ?? {};
  const perFile = Object.entries(st['per-file-ignores'] ?? {}).map(([glob, codes]): [Ignore, string[]] => [
    ignore().add(glob),
    codes,
  ]);
  const { severity, off } = severities(st);
  // As in Ruff, the command line is a layer over the config file: its `--select` starts over,
  // its `--extend-select` can enable what the config ignores. Per-file ignores and `off` come last.
  const chosen = registry.layered([
    { select: st.select, extendSelect: st['extend-select'], ignore: st.ignore },
    { select: flags.select, extendSelect: flags.extendSelect, ignore: flags.ignore },
  ]);
  const base: LintOptions = {
    select: chosen.select,
    ignore: [...(chosen.ignore ?? []), ...off],
    ignoreNoqa: flags.ignoreNoqa,
    parseEverything: flags.parseEverything,
    severity,
    ...settingOptions(st),
  };
  const out = { base, perFile };
  byConfig.set(config, out);
  return out;
}
