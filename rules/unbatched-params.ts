import { defineRule } from '../src/engine/define-rule.js';
import { apiName, batchedApi, familyOf } from '../src/model/mlflow.js';
import { unbatchedFinding } from '../src/model/queries.js';

export default defineRule({
  code: 'MLF202',
  name: 'unbatched-params',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'Params logged one call at a time where one `log_params` would do',
  query: 'call',
  docs: {
    what: 'Checks for two or more `log_param` calls that run back to back, and for loops whose only job is to log each item of a dict (`for k, v in vars(args).items(): mlflow.log_param(k, v)`).',
    why: 'Each `log_param` is one request and one database write. `mlflow.log_params(dict)` (or `MlflowClient.log_batch(run_id, params=[...])`) logs up to 100 params in one request and splits larger dicts itself.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nmlflow.log_param("lr", args.lr)\nmlflow.log_param("batch_size", args.batch_size)\n',
      good: 'import mlflow\n\nmlflow.log_params({"lr": args.lr, "batch_size": args.batch_size})\n',
    }, {
      lang: 'typescript',
      bad: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nawait mlflow.logParam(runId, 'lr', String(args.lr));\nawait mlflow.logParam(runId, 'batch_size', String(args.batchSize));\n",
      good: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nawait mlflow.logBatch(runId, [], [\n  { key: 'lr', value: String(args.lr) },\n  { key: 'batch_size', value: String(args.batchSize) },\n]);\n",
    }],
    impact: 'N back-to-back calls make N requests; one `log_params` makes 1 per 100 params.',
    fixSafety: 'Safe when every merged call has a distinct string-literal key: the calls already share their step, timestamp, run and `synchronous` arguments (calls that differ in them are never grouped), so one batched call records the same values. Unsafe when a key is computed (two keys could be equal and one value would be lost), and for dict loops other than over `.items()`/`.keys()` with the dict\'s own keys. No fix when literal keys repeat (a history of one metric): a dict cannot hold it. For `MlflowClient` calls the fix builds `log_batch(run_id, metrics=[Metric(key, value, timestamp, step)])` (params: `Param(key, str(value))`, tags: `RunTag(key, str(value))`), adds the `mlflow.entities` import, and computes one timestamp when the calls had none.',
  },
  fix: { safety: 'safe', title: 'Merge into one `log_params` call' },
  check(ctx, call) {
    const batchedForm = familyOf(call) === 'param' ? batchedApi(call) : null;
    if (!batchedForm) return;
    const batched = apiName(batchedForm, ctx.model.language);
    const finding = unbatchedFinding(ctx.model, call, ctx.groupOf(call), batched, ctx.options);
    if (finding) ctx.report(call, finding.message, finding);
  },
});
