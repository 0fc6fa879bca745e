import { defineRule } from '../src/engine/define-rule.js';
import { apiName, batchedApi, familyOf } from '../src/model/mlflow.js';
import { unbatchedFinding } from '../src/model/queries.js';

export default defineRule({
  code: 'MLF203',
  name: 'unbatched-tags',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'Tags set one call at a time where one `set_tags` would do',
  query: 'call',
  docs: {
    what: 'Checks for two or more `set_tag` calls that run back to back, and for loops whose only job is to set each item of a dict as a tag (`for k, v in tags.items(): mlflow.set_tag(k, v)`).',
    why: 'Each `set_tag` is one request and one database write. `mlflow.set_tags(dict)` (or `MlflowClient.log_batch(run_id, tags=[...])`) sets them in one request.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nmlflow.set_tag("team", "vision")\nmlflow.set_tag("dataset", "imagenet")\n',
      good: 'import mlflow\n\nmlflow.set_tags({"team": "vision", "dataset": "imagenet"})\n',
    }, {
      lang: 'typescript',
      bad: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nawait mlflow.setTag(runId, 'team', 'vision');\nawait mlflow.setTag(runId, 'dataset', 'imagenet');\n",
      good: "import Mlflow from 'mlflow-js';\n\nconst mlflow = new Mlflow('http://localhost:5000');\n\nawait mlflow.logBatch(runId, [], [], [\n  { key: 'team', value: 'vision' },\n  { key: 'dataset', value: 'imagenet' },\n]);\n",
    }],
    impact: 'N back-to-back calls make N requests; one `set_tags` makes 1.',
    fixSafety: 'Safe when every merged call has a distinct string-literal key: the calls already share their step, timestamp, run and `synchronous` arguments (calls that differ in them are never grouped), so one batched call records the same values. Unsafe when a key is computed (two keys could be equal and one value would be lost), and for dict loops other than over `.items()`/`.keys()` with the dict\'s own keys. No fix when literal keys repeat (a history of one metric): a dict cannot hold it. For `MlflowClient` calls the fix builds `log_batch(run_id, metrics=[Metric(key, value, timestamp, step)])` (params: `Param(key, str(value))`, tags: `RunTag(key, str(value))`), adds the `mlflow.entities` import, and computes one timestamp when the calls had none.',
  },
  fix: { safety: 'safe', title: 'Merge into one `set_tags` call' },
  check(ctx, call) {
    const batchedForm = familyOf(call) === 'tag' ? batchedApi(call) : null;
    if (!batchedForm) return;
    const batched = apiName(batchedForm, ctx.model.language);
    const finding = unbatchedFinding(ctx.model, call, ctx.groupOf(call), batched, ctx.options);
    if (finding) ctx.report(call, finding.message, finding);
  },
});
