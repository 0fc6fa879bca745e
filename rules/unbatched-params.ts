import { code, defineRule, prose } from '../src/engine/define-rule.js';
import { batchedName, batchImpact, batchSite } from '../src/model/batching.js';
import { batchedApi, displayName, familyOf } from '../src/model/mlflow.js';
import { loopAt, loopHeader } from '../src/model/queries.js';

export default defineRule({
  code: 'MLF202',
  name: 'unbatched-params',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'Params logged one call at a time where one `log_params` would do',
  query: 'call',
  docs: {
    what: prose`
      Checks for two or more \`log_param\` calls that run back to back, and for loops whose only job
      is to log each item of a dict (\`for k, v in vars(args).items(): mlflow.log_param(k, v)\`).
    `,
    why: prose`
      Each \`log_param\` is one request and one database write. \`mlflow.log_params(dict)\` (or
      \`MlflowClient.log_batch(run_id, params=[...])\`) logs up to 100 params in one request and
      splits larger dicts itself.
    `,
    examples: [
      {
        lang: 'python',
        bad: code`
          import mlflow

          mlflow.log_param("lr", args.lr)
          mlflow.log_param("batch_size", args.batch_size)
        `,
        good: code`
          import mlflow

          mlflow.log_params({"lr": args.lr, "batch_size": args.batch_size})
        `,
      },
      {
        lang: 'typescript',
        bad: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          await mlflow.logParam(runId, 'lr', String(args.lr));
          await mlflow.logParam(runId, 'batch_size', String(args.batchSize));
        `,
        good: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          await mlflow.logBatch(runId, [], [
            { key: 'lr', value: String(args.lr) },
            { key: 'batch_size', value: String(args.batchSize) },
          ]);
        `,
      },
    ],
    impact: prose`
      N back-to-back calls make N requests; one \`log_params\` makes 1 per 100 params.
    `,
    fixSafety: prose`
      Safe when every merged call has a distinct string-literal key: params have no step or
      timestamp, and calls are grouped only when they write to the same run, so one
      \`log_params\` call writes the same params. Unsafe when a key is computed (two keys could be
      equal: a dict keeps one value where the separate calls would have failed on the second),
      and for dict loops other than over \`.items()\`/\`.keys()\` with the dict's own keys.

      No fix when a literal key repeats (params are write-once, and the batch API rejects a key
      twice), nor when a call of the group writes a param again with another value
      (\`param-overwrite\` reports it; merging would hide the error, not fix it).

      For \`MlflowClient\` calls the fix builds \`log_batch(run_id, params=[Param(key, str(value))])\`
      and adds the \`mlflow.entities\` import. In TypeScript it writes one \`logBatch\` call, and
      back-to-back REST requests become one \`runs/log-batch\` request.
    `,
  },
  run(ctx, call) {
    if (familyOf(call) !== 'param' || !batchedApi(call)) return null;
    const site = batchSite(ctx.model, call, ctx.groupOf(call));
    return site && { ...site, at: call, name: displayName(call), batched: batchedName(call, ctx.model.language) };
  },
  message(site) {
    if (site.kind === 'dict-loop') return `\`${site.name}\` is called once per item of ${loopAt(site.loop)}`;
    const calls = `${site.calls.length} back-to-back \`${site.name}\` calls`;
    return site.repeatedKey ? `${calls} write one key twice` : calls;
  },
  help(site) {
    if (site.kind === 'group' && site.repeatedKey)
      return `Params are write-once: log each key once, in one \`${site.batched}\` call`;
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
    unsafeWhen: (site) => (site.kind === 'dict-loop' ? !site.uniqueKeys : !site.literalKeys),
    title: (site) =>
      site.kind === 'dict-loop'
        ? `Replace the loop with one \`${site.batched}\` call`
        : `Merge into one \`${site.batched}\` ${site.batched === 'runs/log-batch' ? 'request' : 'call'}`,
    intent(site) {
      if (site.kind === 'dict-loop') return { kind: 'dict-loop', call: site.call, loop: site.loop };
      // Params are write-once: the batch API rejects a key twice.
      if (site.repeatedKey || site.overwrites) return null;
      return { kind: 'merge-calls', calls: site.calls };
    },
  },
});
