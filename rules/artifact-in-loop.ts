import { code, defineRule, prose } from '../src/engine/define-rule.js';
import { stepContext } from '../src/model/loops.js';
import { displayName, PER_ITEM_ARTIFACT_APIS } from '../src/model/mlflow.js';
import {
  loopAt,
  loopHeader,
  oncePer,
  perItemLoop,
  repetitionOf,
  varies,
  walkedDirectory,
} from '../src/model/queries.js';

export default defineRule({
  code: 'MLF301',
  name: 'artifact-in-loop',
  severity: 'warning',
  languages: ['python', 'typescript'],
  summary: 'Artifact uploaded once per iteration of a loop',
  query: 'call',
  settings: ['tight-loop-names'],
  docs: {
    what: prose`
      Checks for \`log_artifact\`, \`log_text\`, \`log_dict\`, \`log_figure\`, \`log_image\` and
      \`log_table\` calls that run once per step or per item of a loop (for example one upload per
      file of a directory). Loops over epochs, trials, folds or runs are not flagged: one artifact
      per epoch or run is the usual pattern.
    `,
    why: prose`
      Each call is at least one upload request (\`log_image\` with a step is two uploads and a tag
      write; \`log_table\` downloads and re-uploads the whole table every time, which is quadratic
      in a loop). Write the files into one directory during the loop and upload it once with
      \`mlflow.log_artifacts(dir, artifact_path)\`.
    `,
    examples: [
      {
        lang: 'python',
        bad: code`
          import mlflow

          for path in output_dir.glob("*.png"):
              mlflow.log_artifact(str(path), "plots")
        `,
        good: code`
          import mlflow

          mlflow.log_artifacts(str(output_dir), "plots")
        `,
      },
      {
        lang: 'typescript',
        bad: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          for (const file of plots) {
            await mlflow.logArtifact(runId, file, 'plots');
          }
        `,
        good: code`
          import Mlflow from 'mlflow-js';

          const mlflow = new Mlflow('http://localhost:5000');

          const archive = await bundle(plots);
          await mlflow.logArtifact(runId, archive, 'plots');
        `,
      },
    ],
    impact: prose`
      One upload per iteration; staged into one directory, one \`log_artifacts\` call after the
      loop.
    `,
    fixSafety: prose`
      Unsafe: for \`log_artifact\` of local files with an artifact path that does not change in the
      loop. When the loop does nothing but upload each file of one directory (\`os.listdir(d)\`
      joined to \`d\`, \`glob(d + "/*")\`, \`Path(d).iterdir()\`), the fix is one \`log_artifacts(d,
      artifact_path)\` in its place, which also uploads subdirectories and hidden files. Otherwise
      the loop runs inside \`with tempfile.TemporaryDirectory() as staged_artifacts:\`, copies each
      file there with \`shutil.copy\` instead of uploading it, and \`log_artifacts(staged_artifacts,
      artifact_path)\` follows the loop inside that block, so the directory is removed after the
      upload. Files with the same name overwrite each other, and nothing is uploaded if the loop
      exits early by \`return\` or an exception. No fix in TypeScript: its clients have no call that
      uploads a directory.
    `,
  },
  run(ctx, call) {
    const api = call.mlflow?.api;
    if (!api || !PER_ITEM_ARTIFACT_APIS.has(api)) return null;
    const loop = perItemLoop(call, ctx.options);
    if (loop) {
      const stageable =
        api === 'log_artifact' &&
        !!call.statement &&
        loop.kind !== 'comprehension' &&
        !varies(call.args.artifact_path, loop);
      return {
        at: call,
        loop,
        perStep: false,
        reason: null,
        via: [],
        stageable,
        dir: stageable ? walkedDirectory(call, loop) : null,
      };
    }
    // A helper that uploads, called on every step of a training loop.
    const step = call.loops.length === 0 ? stepContext(call, ctx.options) : null;
    if (!step?.loop || !step.via.length) return null;
    return {
      at: call,
      loop: step.loop,
      perStep: true,
      reason: step.reason,
      via: step.via.map((f) => f.name),
      stageable: false,
      dir: null,
    };
  },
  message: (found) =>
    found.perStep
      ? `\`${displayName(found.at)}\` uploads on every step of ${loopAt(found.loop)} through \`${found.via.join('` → `')}\``
      : `\`${displayName(found.at)}\` uploads once per iteration of ${loopAt(found.loop)}`,
  help: (_found, ctx) =>
    ctx.model.language === 'python'
      ? 'Write the files into one directory and upload it once with `log_artifacts`'
      : 'Upload the files once, after the loop: one archive of them with `logArtifact`',
  impact: (found, ctx) =>
    found.perStep
      ? { unit: 'step', per: 'step', now: 1, after: null }
      : {
          ...repetitionOf(found.at, ctx.options),
          now: 1,
          after: { perUnit: 0, once: 1, text: oncePer(repetitionOf(found.at, ctx.options, found.loop)) },
        },
  related: (found) => [
    {
      range: loopHeader(found.loop),
      message: found.perStep ? `per step: it ${found.reason}` : 'one upload per iteration of this loop',
    },
  ],
  fix: {
    safety: 'unsafe',
    // The TypeScript clients have no call that uploads a directory: a fix there would call a method that does not exist.
    languages: ['python'],
    title: (found) =>
      found.dir
        ? `Upload the directory once with \`log_artifacts(${found.dir}, ...)\``
        : 'Copy the files into a temporary directory in the loop and upload it once with `log_artifacts`',
    intent: (found) =>
      found.dir
        ? { kind: 'upload-directory', call: found.at, loop: found.loop, dir: found.dir }
        : found.stageable
          ? { kind: 'stage-artifacts', call: found.at, loop: found.loop }
          : null,
  },
});
