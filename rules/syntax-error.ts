import { code, defineRule, prose } from '../src/engine/define-rule.js';

export default defineRule({
  code: 'MLF000',
  name: 'syntax-error',
  severity: 'error',
  languages: ['python', 'typescript'],
  summary: 'The file has a syntax error; it was analysed where the parser recovered',
  query: 'file',
  docs: {
    what: prose`
      Reports where the file has a syntax error: what tree-sitter cannot parse, and in Python what
      CPython rejects although tree-sitter recovers (an indentation that matches no outer level,
      tabs against spaces, a \`\\\` followed by anything but a line break, an unterminated string,
      an unclosed bracket, a block header with no block, \`print "x"\`), at the place CPython would
      name. mlflint still analyses the rest of the file, where the parser recovered, and reports
      what it finds there. Only files mlflint analyses are checked: a file whose text names nothing
      any rule looks for (no \`mlflow\`, in Python outside comments and docstrings; no configured
      receiver, no mlflint code) is not parsed at all, nor is one that names MLflow but calls none
      of its tracking APIs (\`import mlflow\` and \`mlflow.autolog()\`), unless another file of the
      run imports its receivers: nothing in either could have a finding, so their syntax is left
      to the project's other tools.
    `,
    why: prose`
      Code that does not parse cannot run, and findings near the error may be incomplete. No fix
      ever touches a region with a syntax error.
    `,
    examples: [
      {
        lang: 'python',
        bad: code`
          import mlflow

          mlflow.log_param("lr", 0.1
        `,
        good: code`
          import mlflow

          mlflow.log_param("lr", 0.1)
        `,
      },
      {
        lang: 'typescript',
        bad: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          await mlflow.logParam(runId, 'lr', '0.1';
        `,
        good: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          await mlflow.logParam(runId, 'lr', '0.1');
        `,
      },
    ],
  },
  unsuppressible: true,
  run: (_ctx, model) => model.syntaxErrors.map((e) => ({ at: e.range, message: e.message })),
  message: (error) => `SyntaxError: ${error.message}`,
});
