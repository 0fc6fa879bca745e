import {
  code,
  defineRule,
  parseNoqa,
  prose,
  type NoqaDirective,
  type UnusedSuppression,
} from '../src/engine/define-rule.js';

export default defineRule({
  code: 'MLF001',
  name: 'unused-noqa',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'A `noqa` directive silences nothing',
  query: 'file',
  last: true,
  docs: {
    what: prose`
      Reports an mlflint code or rule name in a \`# noqa:\` (\`// noqa:\`) directive that silenced
      no finding in this run, and one that names no rule (\`MLF999\`). A code of a rule that did not
      run (not selected) is not judged. Other tools share the directive, so their codes (\`F401\`,
      \`E501\`) and a blanket \`# noqa\` are never judged nor removed.
    `,
    why: prose`
      A stale \`noqa\` hides the next real finding on its line, and an unknown code silences nothing
      while it looks like it does. Removing them keeps every suppression deliberate.
    `,
    examples: [
      {
        lang: 'python',
        bad: code`
          import mlflow

          mlflow.log_params(params)  # noqa: MLF202
        `,
        good: code`
          import mlflow

          mlflow.log_params(params)
        `,
      },
      {
        lang: 'typescript',
        bad: code`
          import Mlflow from 'mlflow-js';

          const client = new Mlflow('http://localhost:5000');

          await client.logBatch(runId, [], params); // noqa: MLF202
        `,
        good: code`
          import Mlflow from 'mlflow-js';

          const client = new Mlflow('http://localhost:5000');

          await client.logBatch(runId, [], params);
        `,
      },
    ],
    fixSafety: prose`
      Safe: the fix removes only the unused codes, or the whole directive when none of it was used
      (the comment too, when the directive was all of it). What the run reports does not change.
    `,
  },
  run(ctx) {
    return ctx.unusedSuppressions().flatMap((u) => {
      const d = parseNoqa(u.comment.text);
      return d?.codes ? [{ at: u.comment.range, unused: u.unused, text: withoutUnused(u, d) }] : [];
    });
  },
  message(found) {
    const what = `unused \`noqa\` code${found.unused.length === 1 ? '' : 's'}: ${found.unused.map((c) => `\`${c}\``).join(', ')}`;
    return what[0].toUpperCase() + what.slice(1);
  },
  fix: {
    safety: 'safe',
    title: () => 'Remove the unused `noqa` codes',
    intent: (found, ctx) => {
      const comment = ctx.model.comments.find((c) => c.range === found.at);
      return comment ? { kind: 'edit-comment', comment, text: found.text } : null;
    },
  },
});

/** The comment without the unused codes; null when nothing of it is left. */
function withoutUnused(u: UnusedSuppression, d: NoqaDirective): string | null {
  const t = u.comment.text;
  if (!u.all) {
    const kept = (d.codes ?? []).filter((c) => !u.unused.includes(c));
    return `${t.slice(0, d.start)}${d.marker} noqa: ${kept.join(', ')}${t.slice(d.end)}`;
  }
  const rest = (t.slice(0, d.start).trimEnd() + t.slice(d.end)).trim();
  // What followed the directive (a reason) stays a comment.
  return !rest ? null : rest.startsWith(d.marker) ? rest : `${d.marker} ${rest.replace(/^(?:--|:|-)\s*/, '')}`;
}
