import { defineRule } from '../src/engine/define-rule.js';
import { paramOverwrites, type Overwrite } from '../src/model/params.js';
import { loopAt, loopHeader } from '../src/model/queries.js';
import type { Call } from '../src/model/types.js';

export default defineRule({
  code: 'MLF204',
  name: 'param-overwrite',
  severity: 'error',
  languages: ['python', 'typescript'],
  summary: 'Param logged twice in one run with a value that may differ',
  query: 'file',
  docs: {
    what: 'Checks for a param key logged twice in the same run with values that may differ: two calls that write the same literal key (`log_param`, the literal keys of a `log_params({...})` dict, `log_batch(params=[Param(...)])`), or a key written with a constant name inside a loop whose value changes per iteration. Client calls whose run id changes per iteration write to different runs.',
    why: 'Params are write-once. Logging a key again with a different value (compared as strings, so `1` and `1.0` differ) raises `MlflowException` with `INVALID_PARAMETER_VALUE` ("Changing param values is not allowed"), and the run crashes, often hours into training. Log values that change as metrics, or use distinct keys.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nmlflow.log_param("lr", 0.1)\nlr = schedule(0.1)\nmlflow.log_param("lr", lr)\n',
      good: 'import mlflow\n\nmlflow.log_param("lr", 0.1)\nlr = schedule(0.1)\nmlflow.log_metric("lr", lr)\n',
    }, {
      lang: 'typescript',
      bad: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nawait mlflow.logParam(runId, 'lr', '0.1');\nconst lr = schedule(0.1);\nawait mlflow.logParam(runId, 'lr', String(lr));\n",
      good: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nawait mlflow.logParam(runId, 'lr', '0.1');\nconst lr = schedule(0.1);\nawait mlflow.logMetric(runId, 'lr', lr);\n",
    }],
  },
  check(ctx, model) {
    const byCall = new Map<Call, Overwrite[]>();
    for (const o of paramOverwrites(model)) byCall.set(o.call, [...(byCall.get(o.call) ?? []), o]);
    for (const [call, found] of byCall) {
      const shown = found.slice(0, 2).map((o) => `"${o.key.length > 24 ? `${o.key.slice(0, 24)}…` : o.key}"`);
      const keys = found.length > 2 ? `${shown.join(', ')} and ${found.length - 2} more` : shown.join(', ');
      const noun = found.length > 1 ? 'params' : 'param';
      const raises = ctx.model.language === 'python' ? 'raises `MlflowException`' : 'fails with `INVALID_PARAMETER_VALUE`';
      const loop = found.find((o) => o.loop)?.loop;
      const earlier = found.find((o) => o.earlier)?.earlier;
      if (loop) {
        ctx.report(call, `the ${noun} ${keys} ${found.length > 1 ? 'get' : 'gets'} a new value on every iteration of ${loopAt(loop)}`, {
          help: `The second iteration ${raises}: log a value that changes as a metric`,
          related: [{ range: loopHeader(loop), message: 'the loop' }],
        });
      } else if (earlier) {
        ctx.report(call, `the ${noun} ${keys} ${found.length > 1 ? 'were' : 'was'} already logged on line ${earlier.range.start.line}, maybe with another value`, {
          help: `Logging ${found.length > 1 ? 'them' : 'it'} again ${raises}: log a changing value as a metric, or use another key`,
          related: [{ range: earlier.range, message: 'logged first here' }],
        });
      }
    }
  },
});
