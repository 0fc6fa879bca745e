// Configuration files: `[tool.mlflint]` in pyproject.toml, mlflint.toml / .mlflint.toml, or a
// "mlflint" key in package.json. The nearest one to a linted file wins; `extend` inherits from
// another file explicitly. Every key is checked: a bad one ends the run naming the file, the
// key, the value and what is allowed.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { closest, registry, selectorMatches, type Severity } from '../index.js';

export class ConfigError extends Error {}

/** A path as messages show it: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : file;
}

export interface Settings {
  select?: string[];
  'extend-select'?: string[];
  ignore?: string[];
  'per-file-ignores'?: Record<string, string[]>;
  exclude?: string[];
  'extend-exclude'?: string[];
  severity?: Record<string, Severity | 'off'>;
  'log-every'?: number;
  'line-length'?: number;
  'tight-loop-names'?: string[];
  'extra-receivers'?: Record<string, 'module' | 'client'>;
}

export interface Config {
  /** The file the settings were read from (the nearest one), and the directory paths are relative to. */
  file: string;
  dir: string;
  settings: Settings;
  /** Which file each key came from (`extend` chains). */
  sources: Record<string, string>;
}

type Check = (v: unknown) => string | null;
const stringList: Check = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : 'a list of strings';
const selectors: Check = (v) => {
  const bad = stringList(v);
  if (bad) return bad;
  const unknown = (v as string[]).find((s) => !registry.isKnown(s));
  return unknown === undefined ? null : `rule codes, prefixes or names (${registry.unknown(unknown)})`;
};
const SEVERITIES = ['error', 'warning', 'info', 'off'];
/** A name, `self.attr`, a dotted import path, or a call such as `get_client()`. */
const RECEIVER = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(\(\))?$/;

const KEYS: Record<string, Check> = {
  select: selectors,
  'extend-select': selectors,
  ignore: selectors,
  'per-file-ignores': (v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return 'a table of glob = [codes]';
    for (const codes of Object.values(v))
      if (selectors(codes)) return `a table of glob = [codes] (${selectors(codes)})`;
    return null;
  },
  exclude: stringList,
  'extend-exclude': stringList,
  severity: (v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v))
      return `a table of rule = ${SEVERITIES.map((s) => `"${s}"`).join(' | ')}`;
    for (const [rule, level] of Object.entries(v)) {
      if (!registry.isKnown(rule)) return `a table keyed by rule codes or names (${registry.unknown(rule)})`;
      if (typeof level !== 'string' || !SEVERITIES.includes(level))
        return `one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')} for each rule (got ${JSON.stringify(level)} for \`${rule}\`)`;
    }
    return null;
  },
  'log-every': (v) => (Number.isInteger(v) && (v as number) >= 1 ? null : 'a whole number of steps, 1 or more'),
  'line-length': (v) =>
    Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 320
      ? null
      : 'a whole number of characters from 1 to 320',
  'tight-loop-names': (v) => {
    const bad = stringList(v);
    if (bad) return bad;
    for (const p of v as string[]) {
      try {
        new RegExp(p);
      } catch {
        return `regular expressions (\`${p}\` is not one)`;
      }
    }
    return null;
  },
  'extra-receivers': (v) => {
    const shape =
      'a table of receiver = "module" | "client" (a name such as `tracker`, an attribute such as `self.client`, or the dotted path it is imported from, such as `utils.tracking.client`)';
    if (!v || typeof v !== 'object' || Array.isArray(v)) return shape;
    for (const [receiver, kind] of Object.entries(v)) {
      if (!RECEIVER.test(receiver)) return `${shape}; \`${receiver}\` is not a name or dotted path`;
      if (kind !== 'module' && kind !== 'client') return `${shape}; got ${JSON.stringify(kind)} for \`${receiver}\``;
    }
    return null;
  },
};

/** The mlflint table of a config file, or null when the file has none (a pyproject.toml without `[tool.mlflint]`). */
function table(file: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${shown(file)}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: Record<string, unknown>;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : (parseToml(text) as Record<string, unknown>);
  } catch (e) {
    throw new ConfigError(
      `${shown(file)}: not valid ${file.endsWith('.json') ? 'JSON' : 'TOML'}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const name = file.split(/[\\/]/).pop() ?? '';
  const found =
    name === 'pyproject.toml'
      ? (data.tool as Record<string, unknown> | undefined)?.mlflint
      : name === 'package.json'
        ? data.mlflint
        : data;
  if (found === undefined) return null;
  if (!found || typeof found !== 'object' || Array.isArray(found))
    throw new ConfigError(`${shown(file)}: the mlflint settings must be a table`);
  return found as Record<string, unknown>;
}

const prefix = (file: string): string =>
  file.endsWith('pyproject.toml') ? 'tool.mlflint.' : file.endsWith('package.json') ? 'mlflint.' : '';

/** Read, check and resolve one config file and what it extends. */
export function loadConfig(file: string, seen: string[] = []): Config {
  const abs = resolve(file);
  if (seen.includes(abs))
    throw new ConfigError(
      `${shown(abs)}: \`extend\` goes round in a circle (${[...seen, abs].map(shown).join(' → ')})`,
    );
  const raw = table(abs);
  if (!raw)
    throw new ConfigError(
      `${shown(abs)}: has no mlflint settings${abs.endsWith('pyproject.toml') ? ' (no [tool.mlflint] table)' : ''}`,
    );
  const settings: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  if (raw.extend !== undefined) {
    if (typeof raw.extend !== 'string')
      throw new ConfigError(
        `${shown(abs)}: \`${prefix(abs)}extend\` must be a path, got ${JSON.stringify(raw.extend)}`,
      );
    const parent = loadConfig(isAbsolute(raw.extend) ? raw.extend : join(dirname(abs), raw.extend), [...seen, abs]);
    Object.assign(settings, parent.settings);
    Object.assign(sources, parent.sources);
  }
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'extend') continue;
    const check = KEYS[key];
    if (!check) {
      const near = closest(key, [...Object.keys(KEYS), 'extend']);
      throw new ConfigError(
        `${shown(abs)}: unknown key \`${prefix(abs)}${key}\`${near ? ` (did you mean \`${near}\`?)` : ''}; the keys are ${Object.keys(KEYS).join(', ')}, extend`,
      );
    }
    const wanted = check(value);
    if (wanted)
      throw new ConfigError(`${shown(abs)}: \`${prefix(abs)}${key}\` must be ${wanted}, got ${JSON.stringify(value)}`);
    settings[key] = value;
    sources[key] = abs;
  }
  return { file: abs, dir: dirname(abs), settings: settings as Settings, sources };
}

const NAMES = ['.mlflint.toml', 'mlflint.toml', 'pyproject.toml', 'package.json'];
/** The files a configuration is read from, nearest first within a directory. */
export const CONFIG_FILES: readonly string[] = NAMES;

/** The nearest config file at or above `dir`, with its settings; memoised per directory. */
export class ConfigFinder {
  private readonly byDir = new Map<string, Config | null>();

  find(dir: string): Config | null {
    const d = resolve(dir);
    const known = this.byDir.get(d);
    if (known !== undefined) return known;
    let found: Config | null = null;
    for (const name of NAMES) {
      const file = join(d, name);
      if (existsSync(file) && table(file)) {
        found = loadConfig(file);
        break;
      }
    }
    if (!found && dirname(d) !== d) found = this.find(dirname(d));
    this.byDir.set(d, found);
    return found;
  }
}

/**
 * A config's `severity` table, resolved: the level of each rule code (the last selector that
 * names it sets it) and the selectors set `off` (which leave their rules out, wherever they are).
 */
export function severities(st: Settings): { severity: Record<string, Severity>; off: string[] } {
  const severity: Record<string, Severity> = {};
  const off: string[] = [];
  for (const [selector, level] of Object.entries(st.severity ?? {})) {
    if (level === 'off') off.push(selector);
    else for (const r of registry.rules) if (selectorMatches(selector, r)) severity[r.code] = level;
  }
  return { severity, off };
}
