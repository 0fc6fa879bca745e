// Worker threads for long runs: each file's job goes to the next free worker. Results are
// handed back to the caller per job, so what is reported is in the order files were given.
import { Worker } from 'node:worker_threads';
import { UsageError } from '../engine/registry.js';
import type { ProjectReceivers } from '../model/types.js';
import type { Job, JobResult } from './job.js';

interface Waiting {
  resolve: (r: JobResult) => void;
  reject: (e: Error) => void;
}

// Under tsx (the tests) this file is TypeScript, and so is its worker.
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

export class Pool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; job: Job }[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(WORKER);
      w.on('message', (msg: { id: number; result?: JobResult; error?: { message: string; stack?: string; usage: boolean } }) => {
        const wait = this.waiting.get(msg.id);
        this.waiting.delete(msg.id);
        this.busy.delete(w);
        this.idle.push(w);
        this.pump();
        if (!wait) return;
        if (msg.error) {
          const e = msg.error.usage ? new UsageError(msg.error.message) : new Error(msg.error.message);
          if (msg.error.stack) e.stack = msg.error.stack;
          wait.reject(e);
        } else wait.resolve(msg.result as JobResult);
      });
      // A worker that dies (out of memory, a native crash) fails its job, not the run.
      w.on('error', (e) => this.lost(w, e));
      w.on('exit', (code) => code !== 0 && this.lost(w, new Error(`worker exited with code ${code}`)));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** The run's receivers are sent to each worker once, not with every job of the second pass. */
  private sentProject: ProjectReceivers | undefined;

  run(job: Job): Promise<JobResult> {
    const { project, ...options } = job.options;
    if (project && project !== this.sentProject) {
      for (const w of this.workers) w.postMessage({ project });
      this.sentProject = project;
    }
    job = { ...job, options, useProject: !!project };
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.queue.push({ id, job });
      this.pump();
    });
  }

  /** Jobs not yet finished. */
  get pending(): number {
    return this.waiting.size;
  }

  private closing = false;

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop() as Worker;
      const next = this.queue.shift() as { id: number; job: Job };
      this.busy.set(w, next.id);
      w.postMessage(next);
    }
  }

  private lost(w: Worker, e: Error): void {
    if (this.closing) return;
    const id = this.busy.get(w);
    this.busy.delete(w);
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers.splice(i, 1);
    if (id !== undefined) {
      this.waiting.get(id)?.reject(e);
      this.waiting.delete(id);
    }
    // The jobs still queued go to the workers that are left, or fail when none is.
    if (!this.workers.length) for (const q of this.queue.splice(0)) {
      this.waiting.get(q.id)?.reject(e);
      this.waiting.delete(q.id);
    }
    else this.pump();
  }
}
