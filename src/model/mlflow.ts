// Questions about tracking calls, answered from the API catalogue (catalogue.ts): which calls
// exist, what family they belong to, and their parameter order (fluent and client orders differ,
// so arguments are always mapped by name).
import { APIS, apiRecord } from './catalogue.js';
import type { Arg, Call, Family } from './types.js';

/** APIs whose every call uploads one artifact: flagged per item by artifact-in-loop. */
export const PER_ITEM_ARTIFACT_APIS = new Set(APIS.filter((r) => r.uploadsOne).map((r) => r.api));

export function isKnownApi(name: string, kind: 'fluent' | 'client'): boolean {
  const spec = apiRecord(name);
  if (!spec) return false;
  return kind === 'fluent' ? !spec.clientOnly : spec.client !== undefined;
}

export function familyOf(call: Call): Family | null {
  if (!call.mlflow) return null;
  const spec = apiRecord(call.mlflow.api);
  if (!spec) return null;
  return spec.family;
}

export function isSingular(call: Call): boolean {
  return !!call.mlflow && !!apiRecord(call.mlflow.api)?.singular;
}

/** The batched call that replaces a group of this singular call: `log_metrics`, or `log_batch` on a client. */
export function batchedApi(call: Call): string | null {
  const b = call.mlflow ? apiRecord(call.mlflow.api)?.batched : undefined;
  if (!b || !call.mlflow) return null;
  return call.mlflow.kind === 'client' ? b.client : b.fluent;
}

/** Does the call log metrics (singular or batched)? */
export function logsMetrics(call: Call): boolean {
  return familyOf(call) === 'metric' || (familyOf(call) === 'batch' && !!call.args.metrics);
}

/** Does the call log params or tags (singular or batched), and no metrics? */
export function logsParamsOrTags(call: Call): boolean {
  const f = familyOf(call);
  return (
    f === 'param' || f === 'tag' || (f === 'batch' && !call.args.metrics && !!(call.args.params || call.args.tags))
  );
}

export function isBatchedCall(call: Call): boolean {
  const spec = call.mlflow ? apiRecord(call.mlflow.api) : undefined;
  return !!spec && !spec.singular && ['metric', 'param', 'tag', 'batch'].includes(spec.family);
}

/** Map positional and keyword arguments to parameter names, using the order of `kind`. */
export function mapArguments(
  api: string,
  kind: 'fluent' | 'client',
  positional: Arg[],
  keywords: Record<string, Arg>,
): Record<string, Arg> {
  const spec = apiRecord(api);
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

/** A request to the tracking server's REST API (`fetch(`${base}/api/2.0/mlflow/runs/log-metric`)`), not a client method. */
export function isRestRequest(call: Call): boolean {
  const rec = call.mlflow ? apiRecord(call.mlflow.api) : undefined;
  return !!rec?.rest && call.name !== rec.api && !(rec.typescript ?? []).includes(call.name);
}
