import { defineRule } from '../src/engine/define-rule.js';
import { apiName, batchedApi, familyOf } from '../src/model/mlflow.js';
import { unbatchedFinding } from '../src/model/queries.js';

export default defineRule({
  code: 'MLF102',
  name: 'unbatched-metrics',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'Metrics logged one call at a time where one batched call would do',
  query: 'call',
  docs: {
    what: 'Checks for two or more `log_metric` calls that run back to back with the same step and run, and for loops whose only job is to log each item of a dict (`for k, v in metrics.items(): mlflow.log_metric(k, v)`, `zip(names, values)`, `for k in d: ... d[k]`).',
    why: 'Each `log_metric` is its own request and database transaction. `mlflow.log_metrics({...}, step=...)` (or `MlflowClient.log_batch`) sends them in one request; users report 1000 points taking 90 s one by one and 4 s batched.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nmlflow.log_metric("rmse", rmse)\nmlflow.log_metric("mae", mae)\nmlflow.log_metric("r2", r2)\n',
      good: 'import mlflow\n\nmlflow.log_metrics({"rmse": rmse, "mae": mae, "r2": r2})\n',
    }, {
      lang: 'typescript',
      bad: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nawait mlflow.logMetric(runId, 'rmse', rmse);\nawait mlflow.logMetric(runId, 'mae', mae);\n",
      good: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nconst timestamp = Date.now();\nawait mlflow.logBatch(runId, [\n  { key: 'rmse', value: rmse, timestamp, step: 0 },\n  { key: 'mae', value: mae, timestamp, step: 0 },\n]);\n",
    }],
    impact: 'N back-to-back calls make N requests; one batched call makes 1. A dict loop makes one request per key.',
    fixSafety: 'Safe when every merged call has a distinct string-literal key: the calls already share their step, timestamp, run and `synchronous` arguments (calls that differ in them are never grouped), so one batched call records the same values. Unsafe when a key is computed (two keys could be equal and one value would be lost), and for dict loops other than over `.items()`/`.keys()` with the dict\'s own keys. No fix when literal keys repeat (a history of one metric): a dict cannot hold it. For `MlflowClient` calls the fix builds `log_batch(run_id, metrics=[Metric(key, value, timestamp, step)])` (params: `Param(key, str(value))`, tags: `RunTag(key, str(value))`), adds the `mlflow.entities` import, and computes one timestamp when the calls had none.',
  },
  fix: { safety: 'safe', title: 'Merge into one `log_metrics` call' },
  check(ctx, call) {
    const batchedForm = familyOf(call) === 'metric' ? batchedApi(call) : null;
    if (!batchedForm) return;
    const batched = apiName(batchedForm, ctx.model.language);
    const finding = unbatchedFinding(ctx.model, call, ctx.groupOf(call), batched, ctx.options);
    if (finding) ctx.report(call, finding.message, finding);
  },
});
