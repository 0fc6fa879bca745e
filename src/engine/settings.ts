// The settings a rule reads, by the names the config file, `mlflint rule` and the ESLint rules'
// options all use.
import type { ExtraReceivers } from '../model/types.js';

export const SETTINGS = {
  'log-every': {
    summary: 'the interval a step-interval fix writes (`if step % <log-every> == 0:`); default 100',
    schema: { type: 'integer', minimum: 1 },
  },
  'tight-loop-names': {
    summary:
      'regular expressions (case-insensitive) for more iterable names that mean a per-step loop, such as `^shard_`',
    schema: { type: 'array', items: { type: 'string' } },
  },
  'extra-receivers': {
    summary:
      'receivers the analysis cannot reach, as `name = "module" | "client"`: a name (`tracker`), an attribute (`self.client`) or the dotted path it is imported from (`utils.tracking.client`); in TypeScript/JavaScript every one stands for a client',
    schema: { type: 'object', additionalProperties: { type: 'string', enum: ['module', 'client'] } },
  },
} as const;

export type SettingName = keyof typeof SETTINGS;

export interface SettingValues {
  'log-every'?: number;
  'tight-loop-names'?: string[];
  'extra-receivers'?: ExtraReceivers;
}

/** The settings a rule reads: those it names, and `extra-receivers` for every rule that looks at calls. */
export function settingsOf(rule: { settings?: readonly SettingName[]; query: string }): SettingName[] {
  return [...(rule.settings ?? []), ...(rule.query === 'call' ? (['extra-receivers'] as const) : [])];
}

/** Setting values as lint options. */
export function settingOptions(v: SettingValues): {
  logEvery?: number;
  tightLoopNames?: string[];
  extraReceivers?: ExtraReceivers;
} {
  return { logEvery: v['log-every'], tightLoopNames: v['tight-loop-names'], extraReceivers: v['extra-receivers'] };
}
