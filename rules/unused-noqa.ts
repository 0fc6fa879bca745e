import { defineRule } from '../src/engine/define-rule.js';

/** `# noqa: A, B`, `// noqa`: the directive inside a comment, with the codes it lists. */
const DIRECTIVE = /(\s*)(#|\/\/)\s*noqa\b(\s*:\s*([A-Za-z0-9_\-]+(?:[\s,]+[A-Za-z0-9_\-]+)*))?/i;

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
    what: 'Reports a `# noqa` (`// noqa`) directive, or a code in one, that silenced no finding in this run, and a code that names no rule. A code of a rule that did not run (not selected) is not judged, nor a blanket `# noqa` unless every rule ran.',
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
      const m = DIRECTIVE.exec(u.comment.text);
      if (!m) continue;
      let text: string | null;
      if (u.all) {
        const rest = (u.comment.text.slice(0, m.index) + u.comment.text.slice(m.index + m[0].length)).trim();
        text = rest || null;
      } else {
        const kept = (m[4] ?? '').split(/[\s,]+/).filter((c) => c && !u.unused.includes(c));
        text = u.comment.text.slice(0, m.index) + `${m[1]}${m[2]} noqa: ${kept.join(', ')}` + u.comment.text.slice(m.index + m[0].length);
      }
      const what = u.unused.length ? `unused \`noqa\` code${u.unused.length === 1 ? '' : 's'}: ${u.unused.map((c) => `\`${c}\``).join(', ')}` : 'unused blanket `noqa` directive';
      ctx.report(u.comment.range, what[0].toUpperCase() + what.slice(1), {
        fix: { safety: 'safe', message: 'Remove the unused `noqa` codes', intent: { kind: 'edit-comment', comment: u.comment, text } },
      });
    }
  },
});
