// MLflow API knowledge shared by every adapter and rule: which calls exist, what family they
// belong to, and their parameter order (fluent and client orders differ, so arguments are always
// mapped by name).
import type { Arg, Call, Family } from './types.js';

interface ApiSpec {
  family: Family;
  /** Singular calls form back-to-back groups that one batched call can replace. */
  singular?: boolean;
  fluent?: string[];
  client?: string[];
}

const API: Record<string, ApiSpec> = {
  log_metric: {
    family: 'metric', singular: true,
    fluent: ['key', 'value', 'step', 'synchronous', 'timestamp', 'run_id'],
    client: ['run_id', 'key', 'value', 'timestamp', 'step', 'synchronous'],
  },
  log_metrics: { family: 'metric', fluent: ['metrics', 'step', 'synchronous', 'run_id', 'timestamp'] },
  log_param: {
    family: 'param', singular: true,
    fluent: ['key', 'value', 'synchronous'],
    client: ['run_id', 'key', 'value', 'synchronous'],
  },
  log_params: { family: 'param', fluent: ['params', 'synchronous', 'run_id'] },
  set_tag: {
    family: 'tag', singular: true,
    fluent: ['key', 'value', 'synchronous'],
    client: ['run_id', 'key', 'value', 'synchronous'],
  },
  set_tags: { family: 'tag', fluent: ['tags', 'synchronous'] },
  log_batch: { family: 'batch', client: ['run_id', 'metrics', 'params', 'tags', 'synchronous'] },
  log_artifact: { family: 'artifact', fluent: ['local_path', 'artifact_path', 'run_id'], client: ['run_id', 'local_path', 'artifact_path'] },
  log_artifacts: { family: 'artifact', fluent: ['local_dir', 'artifact_path', 'run_id'], client: ['run_id', 'local_dir', 'artifact_path'] },
  log_text: { family: 'artifact', fluent: ['text', 'artifact_file', 'run_id'], client: ['run_id', 'text', 'artifact_file'] },
  log_dict: { family: 'artifact', fluent: ['dictionary', 'artifact_file', 'run_id'], client: ['run_id', 'dictionary', 'artifact_file'] },
  log_figure: { family: 'artifact', fluent: ['figure', 'artifact_file'], client: ['run_id', 'figure', 'artifact_file'] },
  log_image: { family: 'artifact', fluent: ['image', 'artifact_file', 'key', 'step', 'timestamp', 'synchronous'], client: ['run_id', 'image', 'artifact_file', 'key', 'step', 'timestamp', 'synchronous'] },
  log_table: { family: 'artifact', fluent: ['data', 'artifact_file', 'run_id'], client: ['run_id', 'data', 'artifact_file'] },
  log_input: { family: 'other', fluent: ['dataset', 'context', 'tags', 'model'] },
  log_inputs: { family: 'other' },
  start_run: { family: 'run' },
  create_run: { family: 'run' },
  end_run: { family: 'other' },
};

/** APIs whose every call uploads one artifact: flagged per item by artifact-in-loop. */
export const PER_ITEM_ARTIFACT_APIS = new Set(['log_artifact', 'log_text', 'log_dict', 'log_figure', 'log_image', 'log_table']);

/** Client methods that exist only on `MlflowClient` (never on the fluent module). */
const CLIENT_ONLY = new Set(['log_batch', 'create_run']);

export function isKnownApi(name: string, kind: 'fluent' | 'client'): boolean {
  const spec = API[name];
  if (!spec) return false;
  if (kind === 'fluent') return !CLIENT_ONLY.has(name);
  return spec.client !== undefined || name === 'create_run' || name === 'end_run';
}

export function familyOf(call: Call): Family | null {
  if (!call.mlflow) return null;
  const spec = API[call.mlflow.api];
  if (!spec) return null;
  if (spec.family !== 'batch') return spec.family;
  const a = call.args;
  if (a.metrics && !a.params && !a.tags) return 'metric';
  if (a.params && !a.metrics && !a.tags) return 'param';
  if (a.tags && !a.metrics && !a.params) return 'tag';
  return 'batch';
}

export function isSingular(call: Call): boolean {
  return !!call.mlflow && !!API[call.mlflow.api]?.singular;
}

/** Does the call log metrics (singular or batched)? */
export function logsMetrics(call: Call): boolean {
  if (!call.mlflow) return false;
  const api = call.mlflow.api;
  return api === 'log_metric' || api === 'log_metrics' || (api === 'log_batch' && !!call.args.metrics);
}

/** Does the call log params or tags (singular or batched)? */
export function logsParamsOrTags(call: Call): boolean {
  if (!call.mlflow) return false;
  const api = call.mlflow.api;
  if (api === 'log_batch') return !!(call.args.params || call.args.tags) && !call.args.metrics;
  return api === 'log_param' || api === 'log_params' || api === 'set_tag' || api === 'set_tags';
}

export function isBatchedCall(call: Call): boolean {
  const api = call.mlflow?.api;
  return api === 'log_metrics' || api === 'log_params' || api === 'set_tags' || api === 'log_batch';
}

/** Map positional and keyword arguments to parameter names, using the order of `kind`. */
export function mapArguments(api: string, kind: 'fluent' | 'client', positional: Arg[], keywords: Record<string, Arg>): Record<string, Arg> {
  const spec = API[api];
  const order = (kind === 'client' ? spec?.client : spec?.fluent) ?? [];
  const out: Record<string, Arg> = {};
  positional.forEach((arg, i) => {
    if (arg.spread) return;
    const name = order[i];
    if (name) out[name] = arg;
  });
  for (const [k, v] of Object.entries(keywords)) if (!v.spread) out[k] = v;
  return out;
}

/** An API name as the language spells it: `log_batch` in Python, `logBatch` in TypeScript. */
export function apiName(api: string, language: string): string {
  return language === 'typescript' ? api.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : api;
}

/** Human name of the call for messages: `mlflow.log_metric`, `client.log_batch`. */
export function displayName(call: Call): string {
  return call.calleeText.length <= 40 ? call.calleeText : call.name;
}
