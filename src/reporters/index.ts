import { gitlab, jsonLines, junit } from './ci.js';
import { github } from './github.js';
import { json } from './json.js';
import { sarif } from './sarif.js';
import { concise, text } from './text.js';
import type { FileReport, ReportOptions } from './types.js';

export type { FileReport, ReportOptions } from './types.js';

export const reporters = {
  text,
  concise,
  json: (files: FileReport[], opts: ReportOptions) => json(files, opts.tool.ruleUrl),
  'json-lines': (files: FileReport[], opts: ReportOptions) => jsonLines(files, opts.tool.ruleUrl),
  github: (files: FileReport[]) => github(files),
  sarif: (files: FileReport[], opts: ReportOptions) => sarif(files, opts.tool),
  junit: (files: FileReport[]) => junit(files),
  gitlab: (files: FileReport[]) => gitlab(files),
} satisfies Record<string, (files: FileReport[], opts: ReportOptions) => string>;

export type Format = keyof typeof reporters;
export const FORMATS = Object.keys(reporters) as Format[];

/** Formats that list every linted file, not only the ones with findings. */
export const ALL_FILES: readonly Format[] = ['json', 'json-lines', 'sarif', 'junit', 'gitlab', 'github'];
export { statistics } from './statistics.js';
