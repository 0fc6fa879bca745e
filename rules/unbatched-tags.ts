import { code, defineRule, prose } from '../src/engine/define-rule.js';
import { batchedName, batchImpact, batchSite } from '../src/model/batching.js';
import { batchedApi, displayName, familyOf } from '../src/model/mlflow.js';
import { loopAt, loopHeader } from '../src/model/queries.js';

export default defineRule({
  code: 'MLF203',
  name: 'unbatched-tags',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'Tags set one call at a time where one `set_tags` would do',
  query: 'call',
  docs: {
    what: prose`
      Checks for two or more \`set_tag\` calls that run back to back, and for loops whose only job
      is to set each item of a dict as a tag (\`for k, v in tags.items(): mlflow.set_tag(k, v)\`).
    `,
    why: prose`
      Each \`set_tag\` is one request and one database write. \`mlflow.set_tags(dict)\` (or
      \`MlflowClient.log_batch(run_id, tags=[...])\`) sets them in one request.
    `,
    examples: [
      {
        lang: 'python',
        bad: code`
          import mlflow

          mlflow.set_tag("team", "vision")
          mlflow.set_tag("dataset", "imagenet")
        `,
        good: code`
          import mlflow

          mlflow.set_tags({"team": "vision", "dataset": "imagenet"})
        `,
      },
      {
        lang: 'typescript',
        bad: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          await mlflow.setTag(runId, 'team', 'vision');
          await mlflow.setTag(runId, 'dataset', 'imagenet');
        `,
        good: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          await mlflow.logBatch(runId, [], [], [
            { key: 'team', value: 'vision' },
            { key: 'dataset', value: 'imagenet' },
          ]);
        `,
      },
    ],
    impact: prose`
      N back-to-back calls make N requests; one \`set_tags\` makes 1.
    `,
    fixSafety: prose`
      Safe when every merged call has a distinct string-literal key: tags have no step or
      timestamp, and calls are grouped only when they set tags on the same run, so one
      \`set_tags\` call sets the same tags. Unsafe when a key is computed: the fix cannot tell that
      two keys differ, and a batch that names one key twice is not what two calls were. The same
      holds for dict loops other than over \`.items()\`/\`.keys()\` with the dict's own keys.

      No fix when a literal key repeats: only the last value stays, and which one was meant is
      for you to decide.

      For \`MlflowClient\` calls the fix builds \`log_batch(run_id, tags=[RunTag(key, str(value))])\`
      and adds the \`mlflow.entities\` import. In TypeScript it writes one \`logBatch\` call, and
      back-to-back REST requests become one \`runs/log-batch\` request.
    `,
  },
  run(ctx, call) {
    if (familyOf(call) !== 'tag' || !batchedApi(call)) return null;
    const site = batchSite(ctx.model, call, ctx.groupOf(call));
    return site && { ...site, at: call, name: displayName(call), batched: batchedName(call, ctx.model.language) };
  },
  message(site) {
    if (site.kind === 'dict-loop') return `\`${site.name}\` is called once per item of ${loopAt(site.loop)}`;
    const calls = `${site.calls.length} back-to-back \`${site.name}\` calls`;
    return site.repeatedKey ? `${calls} set one tag twice; only the last value stays` : calls;
  },
  help(site) {
    if (site.kind === 'group' && site.repeatedKey) return `Set each tag once, in one \`${site.batched}\` call`;
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
      // A tag keeps only its last value: merging would drop the others.
      if (site.repeatedKey || site.overwrites) return null;
      return { kind: 'merge-calls', calls: site.calls };
    },
  },
});
