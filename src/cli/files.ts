// Which files a `check` run reads: explicit files always, directories walked with .gitignore
// rules and the default excludes.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

const DEFAULT_EXCLUDES = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.ruff_cache',
  '.pytest_cache',
  '.mlflint_cache',
  '__pycache__',
  '__pypackages__',
  'site-packages',
  '.eggs',
  'dist',
  'build',
  '_build',
  '.ipynb_checkpoints',
]);

export class PathError extends Error {}

interface IgnoreLayer {
  dir: string;
  ig: Ignore;
}

function loadGitignore(dir: string): IgnoreLayer | null {
  const file = join(dir, '.gitignore');
  if (!existsSync(file)) return null;
  try {
    return { dir, ig: ignore().add(readFileSync(file, 'utf8')) };
  } catch {
    return null;
  }
}

/** .gitignore files of the directories above `dir`, up to the repository root. */
function ancestorLayers(dir: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  let d = dirname(dir);
  while (true) {
    const l = loadGitignore(d);
    if (l) layers.unshift(l);
    if (existsSync(join(d, '.git')) || dirname(d) === d) break;
    d = dirname(d);
  }
  return existsSync(join(dir, '.git')) ? [] : layers;
}

function ignored(layers: IgnoreLayer[], path: string, isDir: boolean): boolean {
  for (const l of layers) {
    const rel = relative(l.dir, path).split(sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (l.ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

export interface Discovered {
  files: string[];
  /** Directories that could not be read, with why: reported, and the run exits 2. */
  unreadable: { dir: string; reason: string }[];
}

/** A config file's excludes, relative to its directory. */
export interface ConfigExcludes {
  base: string;
  /** `exclude`: replaces the default excludes. */
  exclude?: string[];
  'extend-exclude'?: string[];
}

export interface DiscoverOptions {
  /** `--exclude`: gitignore-style patterns that replace the default excludes (and a config's `exclude`). */
  exclude?: string[];
  /** `--extend-exclude`: patterns excluded on top of those. */
  extendExclude?: string[];
  /** The excludes of the config file that governs a directory (the nearest one), if any. */
  configFor?: (dir: string) => ConfigExcludes | null;
  /** `--force-exclude`: the patterns apply to files named on the command line too. */
  forceExclude?: boolean;
  /** `--no-respect-gitignore` sets this false. */
  respectGitignore?: boolean;
}

interface PatternLayer {
  ig: Ignore;
  base: string;
  /** Whether there is a pattern at all: most runs have none, and a path made relative costs. */
  any: boolean;
}

const layerOf = (patterns: string[], base: string): PatternLayer => ({
  ig: ignore().add(patterns),
  base,
  any: patterns.length > 0,
});

const matches = (layer: PatternLayer, p: string, isDir: boolean): boolean => {
  if (!layer.any) return false;
  const rel = relative(layer.base, p).split(sep).join('/');
  return !!rel && !rel.startsWith('..') && layer.ig.ignores(isDir ? `${rel}/` : rel);
};

export function discover(paths: string[], extensions: string[], opts: DiscoverOptions = {}): Discovered {
  // Patterns are matched against the path relative to their base directory, like Ruff's: the
  // command line's to the working directory, a config file's to its own directory.
  const cli = layerOf([...(opts.exclude ?? []), ...(opts.extendExclude ?? [])], process.cwd());
  const byConfig = new Map<ConfigExcludes, { layer: PatternLayer; replacesDefaults: boolean }>();
  const configLayer = (dir: string) => {
    const c = opts.configFor?.(dir);
    if (!c) return null;
    let l = byConfig.get(c);
    if (!l) {
      // The command line's --exclude wins over the config's `exclude`; `extend-exclude` adds up.
      const patterns = [...(opts.exclude ? [] : (c.exclude ?? [])), ...(c['extend-exclude'] ?? [])];
      byConfig.set(c, (l = { layer: layerOf(patterns, c.base), replacesDefaults: !!c.exclude }));
    }
    return l;
  };
  // `config`: the layer of the directory p is in, when the caller has it (a walk asks once per directory).
  const excluded = (p: string, isDir: boolean, config = configLayer(dirname(p))): boolean => {
    const defaults = !opts.exclude && !config?.replacesDefaults;
    if (defaults && isDir && DEFAULT_EXCLUDES.has(p.split(sep).pop() ?? '')) return true;
    return matches(cli, p, isDir) || (!!config && matches(config.layer, p, isDir));
  };
  const gitignore = opts.respectGitignore !== false;
  const out: string[] = [];
  const unreadable: Discovered['unreadable'] = [];
  const seen = new Set<string>();
  const realOf = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      // A dangling link: read later, and reported there.
      return p;
    }
  };
  /** `real`: where the file really is, when the walk knows (a plain file in a directory it resolved). */
  const add = (p: string, real = realOf(p)): void => {
    // A file reached twice (through a symlink and directly) is linted and fixed once.
    if (!seen.has(real)) {
      seen.add(real);
      out.push(p);
    }
  };
  for (const given of paths) {
    const abs = resolve(given);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new PathError(`${given}: no such file or directory`);
    }
    if (!st.isDirectory()) {
      if (!(opts.forceExclude && excluded(abs, false))) add(abs);
      continue;
    }
    if (opts.forceExclude && excluded(abs, true)) continue;
    const walk = (dir: string, layers: IgnoreLayer[], realDir: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
          a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
        );
      } catch (e) {
        unreadable.push({ dir, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
        return;
      }
      // The listing says whether there is a .gitignore: no lookup per directory.
      const own = gitignore && entries.some((e) => e.name === '.gitignore') ? loadGitignore(dir) : null;
      const here = own ? [...layers, own] : layers;
      const config = configLayer(dir);
      // Both are resolved and an entry's name holds no separator: joined without normalising each path.
      const under = dir.endsWith(sep) ? dir : dir + sep;
      const realUnder = realDir.endsWith(sep) ? realDir : realDir + sep;
      for (const e of entries) {
        const p = under + e.name;
        if (e.isDirectory()) {
          if (excluded(p, true, config) || ignored(here, p, true)) continue;
          walk(p, here, realUnder + e.name);
        } else if ((e.isFile() || e.isSymbolicLink()) && extensions.some((x) => e.name.toLowerCase().endsWith(x))) {
          if (!excluded(p, false, config) && !ignored(here, p, false))
            add(p, e.isFile() ? realUnder + e.name : realOf(p));
        }
      }
    };
    walk(abs, gitignore ? ancestorLayers(abs) : [], realOf(abs));
  }
  return { files: out, unreadable };
}
