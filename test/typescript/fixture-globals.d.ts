// The helpers the TypeScript fixtures call, so that they type-check as they are and once fixed.
type Batch = { x: number[] };
type Logs = { loss: number; val_loss?: number };
type Metrics = { rmse: number; mae: number; r2: number; f1: number };
type Args = { lr: number; batchSize: number; seed: number; epochs: number };
declare const BASE: string;
declare const RUN_ID: string;
declare const big: unknown;
declare function trainStep(): Promise<number>;
declare function fit(batch: Batch): Promise<number>;
declare function evaluate(): number;
declare function isMain(): boolean;
declare function trainEpoch(epoch: number): Promise<void>;
declare function trainWith(lr: number): Promise<void>;
declare function startTraining(): Promise<void>;
declare const process: { env: Record<string, string | undefined> };
declare function fitSync(batch: Batch): number;
