// Which files can have a finding at all. Most of a repository never names MLflow: such a file is
// not parsed. The test must be sound: every way a receiver is recognised needs a word in the text.
//   - `mlflow` (any case): the module and its imports, `MlflowClient`, `MLFlowLogger`, the npm
//     clients and their classes, REST paths (`/api/2.0/mlflow/...`), `import_module("mlflow")`;
//   - `logger.experiment`: Lightning's logger, recognised by its arguments alone;
//   - mlflint's own codes and names in comments (`# noqa: MLF101`, `mlflint: disable-file`): MLF001;
//   - the last segment of each configured receiver (`extra-receivers`);
//   - for a second look with the run's receivers: a module or class of another file that holds
//     one, and the name it is held under.
import type { ExtraReceivers, ProjectReceivers } from '../model/types.js';
import { allRules } from './registry.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const BASE = ['mlflow', 'mlflint', 'MLF\\d', 'logger\\s*\\.\\s*experiment'];

let plain: RegExp | null = null;
const withExtra = new WeakMap<ExtraReceivers, RegExp>();

function build(words: string[]): RegExp {
  const names = allRules().map((r) => escape(r.name));
  return new RegExp([...BASE, ...names, ...words].join('|'), 'i');
}

/** The last name of each configured receiver: it is written wherever the receiver is used or imported. */
function receiverWords(extra: ExtraReceivers): string[] {
  return Object.keys(extra).map((k) => `\\b${escape(k.replace(/\(\)$/, '').split('.').pop() ?? k)}\\b`);
}

/**
 * Another file's receivers reach this one only through an import of that file's module (or a
 * subclass of its class) and a use of the receiver's name: both words must be in the text.
 */
interface Reach {
  holders: RegExp | null;
  /** Per holder, one pattern for the names it holds receivers under. */
  names: Map<string, RegExp>;
}

function reachOf(project: ProjectReceivers): Reach {
  const held = new Map<string, string[]>();
  for (const [holder, receivers] of [...project.modules, ...project.classes]) {
    const n = Object.keys(receivers);
    if (n.length) held.set(holder, [...(held.get(holder) ?? []), ...n]);
  }
  const holders = held.size ? new RegExp(`\\b(?:${[...held.keys()].map(escape).join('|')})\\b`, 'g') : null;
  const names = new Map([...held].map(([holder, n]) => [holder, new RegExp(`\\b(?:${n.map(escape).join('|')})\\b`)]));
  return { holders, names };
}

const reaches = new WeakMap<ProjectReceivers, Reach>();

function reached(text: string, project: ProjectReceivers): boolean {
  let r = reaches.get(project);
  if (!r) reaches.set(project, (r = reachOf(project)));
  if (!r.holders) return false;
  r.holders.lastIndex = 0;
  for (const m of text.matchAll(r.holders)) {
    if (r.names.get(m[0])?.test(text)) return true;
  }
  return false;
}

/** Can the text have a finding? False only when no rule could see anything in it. */
export function mayHaveFindings(text: string, extra?: ExtraReceivers, project?: ProjectReceivers): boolean {
  let re: RegExp | undefined;
  if (extra) {
    re = withExtra.get(extra);
    if (!re) withExtra.set(extra, (re = build(receiverWords(extra))));
  } else re = plain ??= build([]);
  return re.test(text) || (!!project && reached(text, project));
}
