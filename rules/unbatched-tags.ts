import { defineRule } from '../src/engine/define-rule.js';
import { unbatchedMessage } from '../src/model/queries.js';

export default defineRule({
  code: 'MLF203',
  name: 'unbatched-tags',
  severity: 'warning',
  languages: ['python'],
  summary: 'Tags set one call at a time where one `set_tags` would do',
  query: 'call',
  docs: {
    what: 'Checks for two or more `set_tag` calls that run back to back, and for loops whose only job is to set each item of a dict as a tag (`for k, v in tags.items(): mlflow.set_tag(k, v)`).',
    why: 'Each `set_tag` is one request and one database write. `mlflow.set_tags(dict)` (or `MlflowClient.log_batch(run_id, tags=[...])`) sets them in one request.',
    examples: [{
      lang: 'python',
      bad: 'import mlflow\n\nmlflow.set_tag("team", "vision")\nmlflow.set_tag("dataset", "imagenet")\n',
      good: 'import mlflow\n\nmlflow.set_tags({"team": "vision", "dataset": "imagenet"})\n',
    }],
    impact: 'N back-to-back calls make N requests; one `set_tags` makes 1.',
  },
  check(ctx, call) {
    if (call.mlflow?.api !== 'set_tag') return;
    const batched = call.mlflow.kind === 'client' ? 'log_batch' : 'set_tags';
    const message = unbatchedMessage(call, ctx.groupOf(call), batched);
    if (message) ctx.report(call, message);
  },
});
