import { code, defineRule, prose } from '../src/engine/define-rule.js';
import { batchedName, batchImpact, batchSite, takesRepeatedKeys } from '../src/model/batching.js';
import { batchedApi, displayName, familyOf } from '../src/model/mlflow.js';
import { loopAt, loopHeader } from '../src/model/queries.js';

export default defineRule({
  code: 'MLF102',
  name: 'unbatched-metrics',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'Metrics logged one call at a time where one batched call would do',
  query: 'call',
  docs: {
    what: prose`
      Checks for two or more \`log_metric\` calls that run back to back with the same step and run,
      and for loops whose only job is to log each item of a dict (\`for k, v in metrics.items():
      mlflow.log_metric(k, v)\`, \`zip(names, values)\`, \`for k in d: ... d[k]\`).
    `,
    why: prose`
      Each \`log_metric\` is its own request and database transaction. \`mlflow.log_metrics({...},
      step=...)\` (or \`MlflowClient.log_batch\`) sends them in one request; users report 1000
      points taking 90 s one by one and 4 s batched.
    `,
    examples: [
      {
        lang: 'python',
        bad: code`
          import mlflow

          mlflow.log_metric("rmse", rmse)
          mlflow.log_metric("mae", mae)
          mlflow.log_metric("r2", r2)
        `,
        good: code`
          import mlflow

          mlflow.log_metrics({"rmse": rmse, "mae": mae, "r2": r2})
        `,
      },
      {
        lang: 'typescript',
        bad: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          await mlflow.logMetric(runId, 'rmse', rmse);
          await mlflow.logMetric(runId, 'mae', mae);
        `,
        good: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          const timestamp = Date.now();
          await mlflow.logBatch(runId, [
            { key: 'rmse', value: rmse, timestamp, step: 0 },
            { key: 'mae', value: mae, timestamp, step: 0 },
          ]);
        `,
      },
    ],
    impact: prose`
      N back-to-back calls make N requests; one batched call makes 1. A dict loop makes one request
      per key.
    `,
    fixSafety: prose`
      Safe when every merged call has a distinct string-literal key: calls are grouped only when
      they share their step, timestamp, run and \`synchronous\` arguments, so one \`log_metrics\`
      call records the same points. Unsafe when a key is computed (two keys could be equal, and a
      dict keeps one of their values), and for dict loops other than over \`.items()\`/\`.keys()\`
      with the dict's own keys.

      No fix when literal keys repeat (a history of one metric), since a dict holds a key once:
      the help says to use \`MlflowClient.log_batch\`, which the fix writes, unsafe, when the calls
      already are \`MlflowClient\` calls. No fix for a dict loop whose items each have their own
      step.

      For \`MlflowClient\` calls the fix builds
      \`log_batch(run_id, metrics=[Metric(key, value, timestamp, step)])\`, adds the
      \`mlflow.entities\` import, and computes one timestamp when the calls had none. In TypeScript
      it writes one \`logBatch\` call, and back-to-back REST requests become one
      \`runs/log-batch\` request.
    `,
  },
  run(ctx, call) {
    if (familyOf(call) !== 'metric' || !batchedApi(call)) return null;
    const site = batchSite(ctx.model, call, ctx.groupOf(call));
    return site && { ...site, at: call, name: displayName(call), batched: batchedName(call, ctx.model.language) };
  },
  message(site) {
    if (site.kind === 'dict-loop')
      return `\`${site.name}\` is called once per item of ${loopAt(site.loop)}${site.stepPerItem ? ', each with its own step' : ''}`;
    const calls = `${site.calls.length} back-to-back \`${site.name}\` calls`;
    return site.repeatedKey && !takesRepeatedKeys(site.batched) ? `${calls} repeat a key` : calls;
  },
  help(site) {
    if (site.kind === 'dict-loop' ? site.stepPerItem : site.repeatedKey && !takesRepeatedKeys(site.batched))
      return 'Log them with one `MlflowClient.log_batch` call';
    if (site.kind === 'group' && site.overwrites)
      return `Log them with one \`${site.batched}\` call once the param written twice is fixed`;
    return null;
  },
  impact: (site, ctx) => batchImpact(site, ctx.options),
  related: (site) =>
    site.kind === 'dict-loop' ? [{ range: loopHeader(site.loop), message: 'one request per item of this loop' }] : [],
  fix: {
    safety: 'safe',
    // A computed key may equal another, and one value would be lost.
    unsafeWhen: (site) => (site.kind === 'dict-loop' ? !site.uniqueKeys : site.repeatedKey || !site.literalKeys),
    title: (site) =>
      site.kind === 'dict-loop'
        ? `Replace the loop with one \`${site.batched}\` call`
        : `Merge into one \`${site.batched}\` ${site.batched === 'runs/log-batch' ? 'request' : 'call'}`,
    intent(site) {
      // `log_metrics` takes one step for all its keys, and a dict holds a key once.
      if (site.kind === 'dict-loop')
        return site.stepPerItem ? null : { kind: 'dict-loop', call: site.call, loop: site.loop };
      if (site.overwrites || (site.repeatedKey && !takesRepeatedKeys(site.batched))) return null;
      return { kind: 'merge-calls', calls: site.calls };
    },
  },
});
