// What `mlflint check` is given: its flags, and the streams it writes to.
import type { Format } from '../reporters/index.js';

export interface CheckFlags {
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
  format: Format;
  outputFile?: string;
  /** `--also-write format=file`: more reports of the same run. */
  alsoWrite?: string[];
  exitZero?: boolean;
  statistics?: boolean;
  stdinFilename?: string;
  ignoreNoqa?: boolean;
  fix?: boolean;
  unsafeFixes?: boolean;
  diff?: boolean;
  fixOnly?: boolean;
  exitNonZeroOnFix?: boolean;
  quiet?: boolean;
  silent?: boolean;
  showFiles?: boolean;
  color?: 'auto' | 'always' | 'never';
  exclude?: string[];
  extendExclude?: string[];
  forceExclude?: boolean;
  respectGitignore?: boolean;
  /** `--config FILE` replaces discovery; `--isolated` ignores every config file. */
  config?: string;
  isolated?: boolean;
  /** `--show-settings FILE`: print the settings that apply to FILE, and where each came from. */
  showSettings?: string;
  /** `--add-noqa`: suppress every finding in place instead of reporting it. */
  addNoqa?: boolean;
  /** `--show-fixes`: after fixing, list what was fixed per file and rule. */
  showFixes?: boolean;
  /** mlflint's version, for SARIF. */
  version?: string;
  /** `--threads N|auto`: worker threads for long runs. */
  threads?: string;
  /** `-v`: each file linted, skipped or cached, and the time taken. */
  verbose?: boolean;
  /** `--no-cache`, `--cache-dir DIR`. */
  noCache?: boolean;
  cacheDir?: string;
  /**
   * Take no shortcut: parse every file, even one that names nothing a rule looks for, walk every
   * expression, lint every importer again (not a flag: the soundness tests' reference run).
   */
  parseEverything?: boolean;
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<Buffer>;
  isTTY: boolean;
  /** stderr is a terminal outside CI: a progress line may be shown there. */
  stderrIsTTY?: boolean;
}
