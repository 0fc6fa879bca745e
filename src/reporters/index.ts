import { allRules } from '../engine/registry.js';
import { ruleAnchor } from '../docs/render-rule.js';
import { gitlab, jsonLines, junit } from './ci.js';
import { github } from './github.js';
import { json } from './json.js';
import { sarif } from './sarif.js';
import { concise, text } from './text.js';
import type { FileReport, ReportOptions } from './types.js';

export type { FileReport, ReportOptions } from './types.js';

export const HOMEPAGE = 'https://github.com/mlflint/mlflint';

/** A rule's docs: its section of the README. */
export const ruleUrl = (code: string): string | undefined => {
  const rule = allRules().find((r) => r.code === code);
  return rule ? `${HOMEPAGE}/blob/main/README.md#${ruleAnchor(rule)}` : undefined;
};

export const reporters = {
  text,
  concise,
  json: (files: FileReport[]) => json(files, ruleUrl),
  'json-lines': (files: FileReport[]) => jsonLines(files, ruleUrl),
  github: (files: FileReport[]) => github(files),
  sarif: (files: FileReport[], opts: ReportOptions) => sarif(files, {
    version: opts.version ?? '0.0.0',
    informationUri: HOMEPAGE,
    helpUri: (r) => ruleUrl(r.code) as string,
    rules: allRules(),
    root: opts.root ?? process.cwd(),
  }),
  junit: (files: FileReport[]) => junit(files),
  gitlab: (files: FileReport[]) => gitlab(files),
} satisfies Record<string, (files: FileReport[], opts: ReportOptions) => string>;

export type Format = keyof typeof reporters;
export const FORMATS = Object.keys(reporters) as Format[];

/** Formats that list every linted file, not only the ones with findings. */
export const ALL_FILES: readonly Format[] = ['json', 'json-lines', 'sarif', 'junit', 'gitlab', 'github'];
