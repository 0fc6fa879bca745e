// Which files can have a finding at all. Most of a repository never names MLflow: such a file is
// not parsed. The test must be sound: every way a receiver is recognised needs a word in the text.
//   - `mlflow` (any case): the module and its imports, `MlflowClient`, `MLFlowLogger`, the npm
//     clients and their classes, REST paths (`/api/2.0/mlflow/...`), `import_module("mlflow")`;
//   - `logger.experiment`: Lightning's logger, recognised by its arguments alone;
//   - mlflint's own codes and names in comments (`# noqa: MLF101`, `mlflint: disable-file`): MLF001;
//   - the last segment of each configured receiver (`extra-receivers`);
//   - for a second look with the run's receivers: the modules and classes of other files that hold one.
import type { ExtraReceivers, ProjectReceivers } from '../model/types.js';
import { allRules } from './registry.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const BASE = ['mlflow', 'mlflint', 'MLF\\d', 'logger\\s*\\.\\s*experiment'];

let plain: RegExp | null = null;
const withExtra = new WeakMap<ExtraReceivers, RegExp>();
const withProject = new WeakMap<ProjectReceivers, Map<ExtraReceivers | undefined, RegExp>>();

function build(words: string[]): RegExp {
  const names = allRules().map((r) => escape(r.name));
  return new RegExp([...BASE, ...names, ...words].join('|'), 'i');
}

/** The last name of each configured receiver: it is written wherever the receiver is used or imported. */
function receiverWords(extra: ExtraReceivers): string[] {
  return Object.keys(extra).map((k) => `\\b${escape(k.replace(/\(\)$/, '').split('.').pop() ?? k)}\\b`);
}

function projectWords(project: ProjectReceivers): string[] {
  const modules = [...project.modules].filter(([, names]) => Object.keys(names).length > 0).map(([m]) => m);
  return [...modules, ...project.classes.keys()].map((w) => `\\b${escape(w)}\\b`);
}

/** Can the text have a finding? False only when no rule could see anything in it. */
export function mayHaveFindings(text: string, extra?: ExtraReceivers, project?: ProjectReceivers): boolean {
  let re: RegExp | undefined;
  if (project) {
    const byExtra = withProject.get(project) ?? new Map<ExtraReceivers | undefined, RegExp>();
    withProject.set(project, byExtra);
    re = byExtra.get(extra);
    if (!re) byExtra.set(extra, (re = build([...(extra ? receiverWords(extra) : []), ...projectWords(project)])));
  } else if (extra) {
    re = withExtra.get(extra);
    if (!re) withExtra.set(extra, (re = build(receiverWords(extra))));
  } else re = plain ??= build([]);
  return re.test(text);
}
