// Just enough of the two TypeScript MLflow clients for the fixed fixtures to type-check.
declare module 'mlflow-js' {
  interface MetricEntry { key: string; value: number; timestamp: number; step?: number }
  interface KeyValue { key: string; value: string }
  export default class Mlflow {
    constructor(trackingUri: string);
    logMetric(runId: string, key: string, value: number, timestamp?: number, step?: number): Promise<void>;
    logParam(runId: string, key: string, value: string): Promise<void>;
    setTag(runId: string, key: string, value: string): Promise<void>;
    logBatch(runId: string, metrics?: MetricEntry[], params?: KeyValue[], tags?: KeyValue[]): Promise<void>;
    logArtifact(runId: string, path: string, artifactPath?: string): Promise<void>;
    logArtifacts(runId: string, dir: string, artifactPath?: string): Promise<void>;
    createRun(experimentId: string): Promise<{ info: { run_id: string } }>;
  }
}

declare module 'mlflow' {
  interface MetricEntry { key: string; value: number; timestamp: number; step?: number }
  interface KeyValue { key: string; value: string }
  export class MLflow {
    constructor(options: { endpoint: string });
    Runs: {
      logMetric(args: { run_id: string; key: string; value: number; timestamp: number; step?: number }): Promise<void>;
      logParameter(args: { run_id: string; key: string; value: string }): Promise<void>;
      setTag(args: { run_id: string; key: string; value: string }): Promise<void>;
      logBatch(args: { run_id: string; metrics?: MetricEntry[]; params?: KeyValue[]; tags?: KeyValue[] }): Promise<void>;
    };
  }
}

declare module '@wandb/sdk' {
  export function log(data: Record<string, unknown>): void;
}
