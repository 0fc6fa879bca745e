import { defineRule } from '../src/engine/define-rule.js';
import { unbatchedMessage } from '../src/model/queries.js';

export default defineRule({
  code: 'MLF202',
  name: 'unbatched-params',
  severity: 'warning',
  languages: ['python'],
  summary: 'Params logged one call at a time where one `log_params` would do',
  query: 'call',
  docs: {
    what: 'Checks for two or more `log_param` calls that run back to back, and for loops whose only job is to log each item of a dict (`for k, v in vars(args).items(): mlflow.log_param(k, v)`).',
    why: 'Each `log_param` is one request and one database write. `mlflow.log_params(dict)` (or `MlflowClient.log_batch(run_id, params=[...])`) logs up to 100 params in one request and splits larger dicts itself.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nmlflow.log_param("lr", args.lr)\nmlflow.log_param("batch_size", args.batch_size)\n',
      good: 'import mlflow\n\nmlflow.log_params({"lr": args.lr, "batch_size": args.batch_size})\n',
    }],
    impact: 'N back-to-back calls make N requests; one `log_params` makes 1 per 100 params.',
  },
  check(ctx, call) {
    if (call.mlflow?.api !== 'log_param') return;
    const batched = call.mlflow.kind === 'client' ? 'log_batch' : 'log_params';
    const message = unbatchedMessage(call, ctx.groupOf(call), batched);
    if (message) ctx.report(call, message);
  },
});
