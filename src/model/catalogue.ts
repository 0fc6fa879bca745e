// The tracking APIs mlflint knows, as data: one record per API (what it logs, its batched form,
// its parameter order per client, its spelling per language, its request limit), and one record
// per library (import sources, client constructors). The model, the adapters and the fix
// renderers read their names from here; a second tracking library would be one more entry.
import type { Family } from './types.js';

export interface ApiRecord {
  /** The operation, as the model names it (snake case). */
  api: string;
  family: Family;
  /** Singular calls of one family form back-to-back groups that one batched call replaces. */
  singular?: boolean;
  /** The batched form of a singular call: fluent call, client call, client entity and its field. */
  batched?: { fluent: string; client: string; entity: string; field: 'metrics' | 'params' | 'tags'; limit: number };
  /** Keyword arguments the fluent batched call takes over from the singular ones. */
  carried?: string[];
  /** Parameter order of the fluent module function, and of the client method. */
  fluent?: string[];
  client?: string[];
  /** Only on the client (`log_batch`), never on the fluent module. */
  clientOnly?: boolean;
  /** Each call uploads one artifact. */
  uploadsOne?: boolean;
  /** TypeScript/JavaScript client spellings (`logMetric`; the npm client's `logParameter`). */
  typescript?: string[];
  /** REST endpoint under `/api/2.0/mlflow/runs/`. */
  rest?: string;
}

export interface LibraryRecord {
  python: {
    /** Modules whose import binds the fluent API (`import mlflow`, `from mlflow import tracking`). */
    module: string;
    /** Submodules that are the fluent API too (`from mlflow import tracking`, `import mlflow.tracking.fluent as f`). */
    fluentSubmodules: string[];
    /** Attributes of the module that lead on to the client class (`mlflow.client.MlflowClient`). */
    clientSubmodules: string[];
    clientClass: string;
    /** Classes whose `.experiment` is a client (Lightning's `MLFlowLogger`). */
    loggerClasses: string[];
  };
  typescript: {
    packages: RegExp;
    clientClasses: string[];
    /** Method groups of the npm client (`client.Runs.logMetric`). */
    methodGroups: string[];
  };
}

export const MLFLOW: LibraryRecord = {
  python: {
    module: 'mlflow',
    fluentSubmodules: ['tracking', 'fluent'],
    clientSubmodules: ['client'],
    clientClass: 'MlflowClient',
    loggerClasses: ['MLFlowLogger', 'MLflowLogger'],
  },
  typescript: {
    packages: /^(mlflow|mlflow-js|@mlflow\/.*|mlflow-client)$/,
    clientClasses: ['MLflow', 'Mlflow', 'MlflowClient', 'MLflowClient', 'MlflowJs'],
    methodGroups: ['Runs', 'runs', 'Experiments', 'experiments', 'Metrics', 'metrics'],
  },
};

export const APIS: readonly ApiRecord[] = [
  {
    api: 'log_metric',
    family: 'metric',
    singular: true,
    batched: { fluent: 'log_metrics', client: 'log_batch', entity: 'Metric', field: 'metrics', limit: 1000 },
    carried: ['step', 'timestamp', 'synchronous', 'run_id'],
    fluent: ['key', 'value', 'step', 'synchronous', 'timestamp', 'run_id'],
    client: ['run_id', 'key', 'value', 'timestamp', 'step', 'synchronous'],
    typescript: ['logMetric'],
    rest: 'log-metric',
  },
  { api: 'log_metrics', family: 'metric', fluent: ['metrics', 'step', 'synchronous', 'run_id', 'timestamp'] },
  {
    api: 'log_param',
    family: 'param',
    singular: true,
    batched: { fluent: 'log_params', client: 'log_batch', entity: 'Param', field: 'params', limit: 100 },
    carried: ['synchronous'],
    fluent: ['key', 'value', 'synchronous'],
    client: ['run_id', 'key', 'value', 'synchronous'],
    typescript: ['logParam', 'logParameter'],
    rest: 'log-parameter',
  },
  { api: 'log_params', family: 'param', fluent: ['params', 'synchronous', 'run_id'], typescript: ['logParams'] },
  {
    api: 'set_tag',
    family: 'tag',
    singular: true,
    batched: { fluent: 'set_tags', client: 'log_batch', entity: 'RunTag', field: 'tags', limit: 100 },
    carried: ['synchronous'],
    fluent: ['key', 'value', 'synchronous'],
    client: ['run_id', 'key', 'value', 'synchronous'],
    typescript: ['setTag'],
    rest: 'set-tag',
  },
  { api: 'set_tags', family: 'tag', fluent: ['tags', 'synchronous'] },
  {
    api: 'log_batch',
    family: 'batch',
    clientOnly: true,
    client: ['run_id', 'metrics', 'params', 'tags', 'synchronous'],
    typescript: ['logBatch'],
    rest: 'log-batch',
  },
  {
    api: 'log_artifact',
    family: 'artifact',
    uploadsOne: true,
    fluent: ['local_path', 'artifact_path', 'run_id'],
    client: ['run_id', 'local_path', 'artifact_path'],
    typescript: ['logArtifact'],
  },
  {
    api: 'log_artifacts',
    family: 'artifact',
    fluent: ['local_dir', 'artifact_path', 'run_id'],
    client: ['run_id', 'local_dir', 'artifact_path'],
  },
  {
    api: 'log_text',
    family: 'artifact',
    uploadsOne: true,
    fluent: ['text', 'artifact_file', 'run_id'],
    client: ['run_id', 'text', 'artifact_file'],
  },
  {
    api: 'log_dict',
    family: 'artifact',
    uploadsOne: true,
    fluent: ['dictionary', 'artifact_file', 'run_id'],
    client: ['run_id', 'dictionary', 'artifact_file'],
  },
  {
    api: 'log_figure',
    family: 'artifact',
    uploadsOne: true,
    fluent: ['figure', 'artifact_file'],
    client: ['run_id', 'figure', 'artifact_file'],
  },
  {
    api: 'log_image',
    family: 'artifact',
    uploadsOne: true,
    fluent: ['image', 'artifact_file', 'key', 'step', 'timestamp', 'synchronous'],
    client: ['run_id', 'image', 'artifact_file', 'key', 'step', 'timestamp', 'synchronous'],
  },
  {
    api: 'log_table',
    family: 'artifact',
    uploadsOne: true,
    fluent: ['data', 'artifact_file', 'run_id'],
    client: ['run_id', 'data', 'artifact_file'],
  },
  { api: 'log_input', family: 'other', fluent: ['dataset', 'context', 'tags', 'model'] },
  { api: 'log_inputs', family: 'other' },
  { api: 'start_run', family: 'run' },
  { api: 'create_run', family: 'run', clientOnly: true, client: [], typescript: ['createRun'] },
  { api: 'end_run', family: 'other', client: [] },
];

const BY_API = new Map(APIS.map((r) => [r.api, r]));
const BY_TS_NAME = new Map(APIS.flatMap((r) => (r.typescript ?? []).map((n) => [n, r] as const)));
const BY_REST = new Map(APIS.filter((r) => r.rest).map((r) => [r.rest as string, r]));

export function apiRecord(api: string): ApiRecord | undefined {
  return BY_API.get(api);
}

/** `logMetric` / `logParameter` → the record of `log_metric` / `log_param`. */
export function apiOfTypescriptName(name: string): ApiRecord | undefined {
  return BY_TS_NAME.get(name);
}

/** `log-metric` → the record of `log_metric`. */
export function apiOfRestEndpoint(endpoint: string): ApiRecord | undefined {
  return BY_REST.get(endpoint);
}

export function restEndpoints(): string[] {
  return [...BY_REST.keys()];
}
