// mlflint rule → ESLint rule. Every rule runs mlflint's engine on the file's text once (cached
// per SourceCode) and reports its own findings, so ESLint and `mlflint check` cannot drift.
// Safe fixes become `fix`, unsafe ones `suggest`.
import { ESLintUtils } from '@typescript-eslint/utils';
import { ruleAnchor } from '../docs/render-rule.js';
import { dirname } from 'node:path';
import { formatterLineLength } from '../config/line-length.js';
import {
  isVerified,
  lintText,
  oneLine,
  SETTINGS,
  settingOptions,
  settingsOf,
  type AnyRule,
  type Diagnostic,
  type SettingValues,
} from '../index.js';
import { readmeUrl } from '../docs/urls.js';
import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';

// Per SourceCode, per settings: rules configured alike share one run.
const cache = new WeakMap<object, Map<string, Diagnostic[]>>();

const createRule = ESLintUtils.RuleCreator(readmeUrl);

interface EslintContext {
  filename: string;
  options: SettingValues[];
  settings: { mlflint?: SettingValues };
  sourceCode: { text: string; getLocFromIndex(i: number): { line: number; column: number } };
  report(d: object): void;
}

/** A rule's settings: ESLint's shared `settings.mlflint`, then the rule's own options. */
function settingsFor(rule: AnyRule, context: EslintContext): SettingValues {
  const merged: Record<string, unknown> = {};
  const own = new Set<string>(settingsOf(rule));
  for (const from of [context.settings?.mlflint ?? {}, context.options[0] ?? {}]) {
    for (const [k, v] of Object.entries(from)) if (own.has(k)) merged[k] = v;
  }
  for (const p of (merged['tight-loop-names'] as string[] | undefined) ?? []) {
    try {
      new RegExp(p);
    } catch {
      // ESLint shows a thrown error as a configuration problem of the rule, and stops.
      throw new Error(`mlflint/${rule.name}: \`tight-loop-names\` must be regular expressions (\`${p}\` is not one)`);
    }
  }
  return merged;
}

function diagnosticsFor(context: EslintContext, settings: SettingValues): Diagnostic[] {
  const sc = context.sourceCode;
  const key = JSON.stringify(settings);
  let byKey = cache.get(sc);
  if (!byKey) cache.set(sc, (byKey = new Map()));
  let found = byKey.get(key);
  if (!found) {
    // Python files reach ESLint under any name; mlflint picks the language by extension.
    const name =
      /\.(py|pyi)$/.test(context.filename) || !/\.[cm]?[jt]sx?$/.test(context.filename)
        ? context.filename.replace(/(\.pyi?)?$/, (m) => m || '.py')
        : context.filename;
    try {
      // ESLint applies its own disable directives (and reports the unused ones).
      // Fixes are laid out at the line length the project's formatter uses, as the CLI lays them out.
      const lineLength = formatterLineLength(dirname(context.filename)) ?? undefined;
      found = lintText(name, sc.text, { ...settingOptions(settings), lineLength, eslintDirectives: false }).diagnostics;
    } catch (e) {
      // A bug on one file must not end ESLint's run and cost every other file its findings.
      process.emitWarning(
        `${context.filename}: internal error, file not analysed: ${(e as Error).message}`,
        'MlflintWarning',
      );
      found = [];
    }
    byKey.set(key, found);
  }
  return found;
}

/** One options object with the settings the rule reads, spelled as in the config file. */
function schemaOf(rule: AnyRule): JSONSchema4[] {
  const names = settingsOf(rule);
  if (!names.length) return [];
  return [
    {
      type: 'object',
      properties: Object.fromEntries(
        names.map((n) => [n, { ...SETTINGS[n].schema, description: SETTINGS[n].summary } as JSONSchema4]),
      ),
      additionalProperties: false,
    },
  ];
}

export function toEslintRule(rule: AnyRule) {
  return createRule({
    name: ruleAnchor(rule),
    meta: {
      type: rule.severity === 'error' ? 'problem' : 'suggestion',
      docs: { description: rule.summary },
      messages: { finding: '{{message}}', fix: '{{fix}}' },
      schema: schemaOf(rule),
      ...(rule.fix?.safety === 'safe' ? { fixable: 'code' as const } : {}),
      ...(rule.fix ? { hasSuggestions: true } : {}),
    },
    defaultOptions: [{}] as [SettingValues],
    create(context) {
      const ctx = context as unknown as EslintContext;
      const settings = settingsFor(rule, ctx);
      const run = (): void => {
        for (const d of diagnosticsFor(ctx, settings)) {
          if (d.rule !== rule.name) continue;
          // A fix not yet proven (it conflicts with another) is offered in ESLint's next pass.
          const fix = isVerified(d.fix) ? d.fix : null;
          const edits = fix?.edits ?? [];
          const apply = (fixer: { replaceTextRange(r: [number, number], t: string): unknown }) =>
            edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text));
          ctx.report({
            loc: {
              start: ctx.sourceCode.getLocFromIndex(d.range.start.offset),
              end: ctx.sourceCode.getLocFromIndex(d.range.end.offset),
            },
            messageId: 'finding',
            data: { message: oneLine(d) },
            ...(fix?.safety === 'safe' ? { fix: apply } : {}),
            ...(fix?.safety === 'unsafe'
              ? { suggest: [{ messageId: 'fix', data: { fix: fix.message }, fix: apply }] }
              : {}),
          });
        }
      };
      // The root: `Program` in JavaScript, `Module` in Python (see python-language.ts).
      return { Program: run, Module: run } as Record<string, () => void>;
    },
  });
}
