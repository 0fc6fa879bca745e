import { json } from './json.js';
import { concise, text } from './text.js';
import type { FileReport, ReportOptions } from './types.js';

export type { FileReport, ReportOptions } from './types.js';

export const reporters = {
  text,
  concise,
  json: (files: FileReport[]) => json(files),
} satisfies Record<string, (files: FileReport[], opts: ReportOptions) => string>;

export type Format = keyof typeof reporters;
export const FORMATS = Object.keys(reporters) as Format[];
