// mlflint rule → ESLint rule. Every rule runs mlflint's engine on the file's text once (cached
// per SourceCode) and reports its own findings, so ESLint and `mlflint check` cannot drift.
// Safe fixes become `fix`, unsafe ones `suggest`.
import { ESLintUtils } from '@typescript-eslint/utils';
import type { AnyRule } from '../engine/define-rule.js';
import { ruleAnchor } from '../docs/render-rule.js';
import { lintText, type Diagnostic } from '../index.js';
import { HOMEPAGE } from '../reporters/index.js';
import { isVerified } from '../engine/verify-fixes.js';

const cache = new WeakMap<object, Diagnostic[]>();

const createRule = ESLintUtils.RuleCreator((name) => `${HOMEPAGE}/blob/main/README.md#${name}`);

interface Ctx {
  filename: string;
  sourceCode: { text: string; getLocFromIndex(i: number): { line: number; column: number } };
  report(d: object): void;
}

function diagnosticsFor(context: Ctx): Diagnostic[] {
  const sc = context.sourceCode;
  let found = cache.get(sc);
  if (!found) {
    // Python files reach ESLint under any name; mlflint picks the language by extension.
    const name = /\.(py|pyi)$/.test(context.filename) || !/\.[cm]?[jt]sx?$/.test(context.filename) ? context.filename.replace(/(\.pyi?)?$/, (m) => m || '.py') : context.filename;
    try {
      found = lintText(name, sc.text).diagnostics;
    } catch (e) {
      // A bug on one file must not end ESLint's run and cost every other file its findings.
      process.emitWarning(`${context.filename}: internal error, file not analysed: ${(e as Error).message}`, 'MlflintWarning');
      found = [];
    }
    cache.set(sc, found);
  }
  return found;
}

export function toEslintRule(rule: AnyRule) {
  return createRule({
    name: ruleAnchor(rule),
    meta: {
      type: rule.severity === 'error' ? 'problem' : 'suggestion',
      docs: { description: rule.summary },
      messages: { finding: '{{message}}', fix: '{{fix}}' },
      schema: [],
      ...(rule.fix?.safety === 'safe' ? { fixable: 'code' as const } : {}),
      ...(rule.fix ? { hasSuggestions: true } : {}),
    },
    defaultOptions: [],
    create(context) {
      const ctx = context as unknown as Ctx;
      return {
        Program() {
          for (const d of diagnosticsFor(ctx)) {
            if (d.rule !== rule.name) continue;
            // A fix not yet proven (it conflicts with another) is offered in ESLint's next pass.
            const fix = isVerified(d.fix) ? d.fix : null;
            const edits = fix?.edits ?? [];
            const apply = (fixer: { replaceTextRange(r: [number, number], t: string): unknown }) => edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text));
            ctx.report({
              loc: { start: ctx.sourceCode.getLocFromIndex(d.range.start.offset), end: ctx.sourceCode.getLocFromIndex(d.range.end.offset) },
              messageId: 'finding',
              data: { message: d.message },
              ...(fix?.safety === 'safe' ? { fix: apply } : {}),
              ...(fix?.safety === 'unsafe' ? { suggest: [{ messageId: 'fix', data: { fix: fix.message }, fix: apply }] } : {}),
            });
          }
        },
      };
    },
  });
}
