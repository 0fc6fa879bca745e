import { defineRule } from '../src/engine/define-rule.js';
import { unbatchedMessage } from '../src/model/queries.js';

export default defineRule({
  code: 'MLF102',
  name: 'unbatched-metrics',
  severity: 'warning',
  languages: ['python'],
  summary: 'Metrics logged one call at a time where one batched call would do',
  query: 'call',
  docs: {
    what: 'Checks for two or more `log_metric` calls that run back to back with the same step and run, and for loops whose only job is to log each item of a dict (`for k, v in metrics.items(): mlflow.log_metric(k, v)`, `zip(names, values)`, `for k in d: ... d[k]`).',
    why: 'Each `log_metric` is its own request and database transaction. `mlflow.log_metrics({...}, step=...)` (or `MlflowClient.log_batch`) sends them in one request; users report 1000 points taking 90 s one by one and 4 s batched.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nmlflow.log_metric("rmse", rmse)\nmlflow.log_metric("mae", mae)\nmlflow.log_metric("r2", r2)\n',
      good: 'import mlflow\n\nmlflow.log_metrics({"rmse": rmse, "mae": mae, "r2": r2})\n',
    }],
    impact: 'N back-to-back calls make N requests; one batched call makes 1. A dict loop makes one request per key.',
  },
  check(ctx, call) {
    if (call.mlflow?.api !== 'log_metric') return;
    const batched = call.mlflow.kind === 'client' ? 'log_batch' : 'log_metrics';
    const message = unbatchedMessage(call, ctx.groupOf(call), batched);
    if (message) ctx.report(call, message);
  },
});
