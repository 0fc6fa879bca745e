import { defineRule } from '../src/engine/define-rule.js';
import { parseNoqa } from '../src/engine/noqa.js';

export default defineRule({
  code: 'MLF001',
  name: 'unused-noqa',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'A `noqa` directive silences nothing',
  query: 'file',
  last: true,
  fix: { safety: 'safe', title: 'Remove the unused `noqa` codes' },
  docs: {
    what: 'Reports an mlflint code or rule name in a `# noqa:` (`// noqa:`) directive that silenced no finding in this run, and one that names no rule (`MLF999`). A code of a rule that did not run (not selected) is not judged. Other tools share the directive, so their codes (`F401`, `E501`) and a blanket `# noqa` are never judged nor removed.',
    why: 'A stale `noqa` hides the next real finding on its line, and an unknown code silences nothing while it looks like it does. Removing them keeps every suppression deliberate.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nmlflow.log_params(params)  # noqa: MLF202\n',
      good: 'import mlflow\n\nmlflow.log_params(params)\n',
    }, {
      lang: 'typescript',
      bad: "import Mlflow from 'mlflow-js';\n\nconst client = new Mlflow('http://localhost:5000');\n\nawait client.logBatch(runId, [], params); // noqa: MLF202\n",
      good: "import Mlflow from 'mlflow-js';\n\nconst client = new Mlflow('http://localhost:5000');\n\nawait client.logBatch(runId, [], params);\n",
    }],
    fixSafety: 'Safe: the fix removes only the unused codes, or the whole directive when none of it was used (the comment too, when the directive was all of it). What the run reports does not change.',
  },
  check(ctx) {
    for (const u of ctx.unusedSuppressions()) {
      const d = parseNoqa(u.comment.text);
      if (!d?.codes) continue;
      const t = u.comment.text;
      let text: string | null;
      if (u.all) {
        const rest = (t.slice(0, d.start).trimEnd() + t.slice(d.end)).trim();
        // What followed the directive (a reason) stays a comment.
        text = !rest ? null : rest.startsWith(d.marker) ? rest : `${d.marker} ${rest.replace(/^(?:--|:|-)\s*/, '')}`;
      } else {
        const kept = d.codes.filter((c) => !u.unused.includes(c));
        text = `${t.slice(0, d.start)}${d.marker} noqa: ${kept.join(', ')}${t.slice(d.end)}`;
      }
      const what = `unused \`noqa\` code${u.unused.length === 1 ? '' : 's'}: ${u.unused.map((c) => `\`${c}\``).join(', ')}`;
      ctx.report(u.comment.range, what[0].toUpperCase() + what.slice(1), {
        fix: { safety: 'safe', message: 'Remove the unused `noqa` codes', intent: { kind: 'edit-comment', comment: u.comment, text } },
      });
    }
  },
});
