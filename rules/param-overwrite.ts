import { code, defineRule, prose } from '../src/engine/define-rule.js';
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
    what: prose`
      Checks for a param key logged twice in the same run with values that may differ: two calls
      that write the same literal key (\`log_param\`, the literal keys of a \`log_params({...})\`
      dict, \`log_batch(params=[Param(...)])\`), or a key written with a constant name inside a loop
      whose value changes per iteration. Client calls whose run id changes per iteration write to
      different runs.
    `,
    why: prose`
      Params are write-once. Logging a key again with a different value (compared as strings, so
      \`1\` and \`1.0\` differ) raises \`MlflowException\` with \`INVALID_PARAMETER_VALUE\`
      ("Changing param values is not allowed"), and the run crashes, often hours into training. Log
      values that change as metrics, or use distinct keys.
    `,
    examples: [
      {
        lang: 'python',
        bad: code`
          import mlflow

          mlflow.log_param("lr", 0.1)
          lr = schedule(0.1)
          mlflow.log_param("lr", lr)
        `,
        good: code`
          import mlflow

          mlflow.log_param("lr", 0.1)
          lr = schedule(0.1)
          mlflow.log_metric("lr", lr)
        `,
      },
      {
        lang: 'typescript',
        bad: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          await mlflow.logParam(runId, 'lr', '0.1');
          const lr = schedule(0.1);
          await mlflow.logParam(runId, 'lr', String(lr));
        `,
        good: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          await mlflow.logParam(runId, 'lr', '0.1');
          const lr = schedule(0.1);
          await mlflow.logMetric(runId, 'lr', lr);
        `,
      },
    ],
  },
  run(_ctx, model) {
    const byCall = new Map<Call, Overwrite[]>();
    for (const o of paramOverwrites(model)) byCall.set(o.call, [...(byCall.get(o.call) ?? []), o]);
    return [...byCall].flatMap(([call, found]) => {
      const loop = found.find((o) => o.loop)?.loop ?? null;
      const earlier = found.find((o) => o.earlier)?.earlier ?? null;
      return loop || earlier ? [{ at: call, keys: found.map((o) => o.key), loop, earlier }] : [];
    });
  },
  message(found) {
    const shown = found.keys.slice(0, 2).map((k) => `"${k.length > 24 ? `${k.slice(0, 24)}…` : k}"`);
    const keys = found.keys.length > 2 ? `${shown.join(', ')} and ${found.keys.length - 2} more` : shown.join(', ');
    const many = found.keys.length > 1;
    if (found.loop)
      return `the ${many ? 'params' : 'param'} ${keys} ${many ? 'get' : 'gets'} a new value on every iteration of ${loopAt(found.loop)}`;
    return `the ${many ? 'params' : 'param'} ${keys} ${many ? 'were' : 'was'} already logged on line ${found.earlier!.range.start.line}, maybe with another value`;
  },
  help(found, ctx) {
    const raises =
      ctx.model.language === 'python' ? 'raises `MlflowException`' : 'fails with `INVALID_PARAMETER_VALUE`';
    if (found.loop) return `The second iteration ${raises}: log a value that changes as a metric`;
    return `Logging ${found.keys.length > 1 ? 'them' : 'it'} again ${raises}: log a changing value as a metric, or use another key`;
  },
  related: (found) =>
    found.loop
      ? [{ range: loopHeader(found.loop), message: 'the loop' }]
      : [{ range: found.earlier!.range, message: 'logged first here' }],
});
