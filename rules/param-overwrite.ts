import { defineRule } from '../src/engine/define-rule.js';
import { displayName } from '../src/model/mlflow.js';
import { paramOverwrites, type Overwrite } from '../src/model/params.js';
import { loopLabel } from '../src/model/queries.js';
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
      const keys = found.map((o) => `"${o.key}"`).join(', ');
      const noun = found.length > 1 ? 'params' : 'param';
      const loop = found.find((o) => o.loop)?.loop;
      const earlier = found.find((o) => o.earlier)?.earlier;
      if (loop) {
        ctx.report(call, `\`${displayName(call)}\` logs the ${noun} ${keys} on every iteration of the loop ${loopLabel(loop)} with a value that changes; the second iteration raises`);
      } else if (earlier) {
        ctx.report(call, `the ${noun} ${keys} ${found.length > 1 ? 'were' : 'was'} already logged on line ${earlier.range.start.line} with a value that may differ; logging ${found.length > 1 ? 'them' : 'it'} again raises`);
      }
    }
  },
});
