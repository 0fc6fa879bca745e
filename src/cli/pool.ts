// Worker threads for long runs: each file's job goes to the next free worker. Results are
// handed back to the caller per job, so what is reported is in the order files were given.
import { Worker } from 'node:worker_threads';
import { UsageError } from './usage.js';
import type { ProjectReceivers } from '../index.js';
import { runJob, type Job, type JobResult } from './job.js';

interface Waiting {
  resolve: (r: JobResult) => void;
  reject: (e: Error) => void;
}

/**
 * Under tsx (the tests, the bench scripts) this file is TypeScript and its worker would be too,
 * but tsx's loader does not reach worker threads: such runs use the main thread (see check.ts).
 */
export const UNDER_TSX = import.meta.url.endsWith('.ts');
// Beside a bundle (dist/bin/cli.cjs, server.mjs) the worker's is worker.mjs; in the compiled tree, worker.js.
const WORKER = new URL(/\.[cm]js$/.test(import.meta.url) ? './worker.mjs' : './worker.js', import.meta.url);

export class Pool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; job: Job }[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private readonly busy = new Map<Worker, number>();
  /** Workers that have finished a job: one that dies before any has failed to start, not on its job. */
  private readonly answered = new WeakSet<Worker>();
  private readonly exited = new WeakSet<Worker>();
  private nextId = 0;
  /** Jobs sent and not yet answered, by id, to hand on when a worker cannot start. */
  private readonly jobs = new Map<number, Job>();

  private started = false;

  /** Workers start with the first job: a run the cache answers whole starts none. */
  constructor(
    private readonly wanted: number,
    private readonly script: URL = WORKER,
  ) {}

  private start(): void {
    this.started = true;
    const script = this.script;
    for (let i = 0; i < this.wanted; i++) {
      // A worker's stdout is the report (and, in `mlflint server`, the protocol): anything it prints goes to stderr.
      const w = new Worker(script, { stdout: true });
      w.stdout.pipe(process.stderr, { end: false });
      w.on(
        'message',
        (msg: { id: number; result?: JobResult; error?: { message: string; stack?: string; usage: boolean } }) => {
          this.answered.add(w);
          const wait = this.waiting.get(msg.id);
          this.waiting.delete(msg.id);
          this.jobs.delete(msg.id);
          this.busy.delete(w);
          if (this.closing) void w.terminate();
          else {
            this.idle.push(w);
            this.pump();
          }
          if (!wait) return;
          if (msg.error) {
            const e = msg.error.usage ? new UsageError(msg.error.message) : new Error(msg.error.message);
            if (msg.error.stack) e.stack = msg.error.stack;
            wait.reject(e);
          } else wait.resolve(msg.result as JobResult);
        },
      );
      // A worker that dies (out of memory, a native crash) fails its job, not the run.
      w.on('error', (e) => this.lost(w, e));
      w.on('exit', (code) => {
        this.exited.add(w);
        if (code !== 0) this.lost(w, new Error(`worker exited with code ${code}`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  get size(): number {
    return this.started ? this.workers.length : this.wanted;
  }

  /** The run's receivers are sent to each worker once, not with every job of the second pass. */
  private sentProject: ProjectReceivers | undefined;

  run(job: Job): Promise<JobResult> {
    if (!this.started) this.start();
    // No worker left (none could start, or all died): the main thread does the work.
    if (!this.workers.length) return new Promise((resolve) => setImmediate(() => resolve(runJob(job))));
    const { project, ...options } = job.options;
    if (project && project !== this.sentProject) {
      for (const w of this.workers) w.postMessage({ project });
      this.sentProject = project;
    }
    job = { ...job, options, useProject: !!project };
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.jobs.set(id, job);
      this.queue.push({ id, job });
      this.pump();
    });
  }

  /** Jobs not yet finished. */
  get pending(): number {
    return this.waiting.size;
  }

  private closing = false;

  /**
   * Stops the workers: idle ones at once, a busy one when its job ends (a worker stopped inside a
   * native parse takes the process down), or when `limitMs` is up. A job not yet started fails.
   */
  async close(limitMs = Infinity): Promise<void> {
    this.closing = true;
    this.queue.length = 0;
    const running = new Set(this.busy.values());
    for (const [id, wait] of this.waiting)
      if (!running.has(id)) {
        wait.reject(new Error('the pool of workers was closed'));
        this.waiting.delete(id);
        this.jobs.delete(id);
      }
    const stopped = this.workers
      .filter((w) => !this.exited.has(w))
      .map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
    for (const w of this.idle.splice(0)) void w.terminate();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      if (limitMs !== Infinity) timer = setTimeout(resolve, limitMs);
    });
    await Promise.race([Promise.all(stopped), limit]);
    clearTimeout(timer);
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
    for (const list of [this.workers, this.idle]) {
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
    }
    if (id !== undefined && !this.answered.has(w)) {
      // It could not start: its job goes to another worker, or to the main thread.
      const job = this.jobs.get(id);
      if (job) this.queue.unshift({ id, job });
    } else if (id !== undefined) {
      this.waiting.get(id)?.reject(e);
      this.waiting.delete(id);
      this.jobs.delete(id);
    }
    // The jobs still queued go to the workers that are left, or to the main thread when none is.
    if (!this.workers.length) {
      for (const q of this.queue.splice(0)) {
        const wait = this.waiting.get(q.id);
        this.waiting.delete(q.id);
        this.jobs.delete(q.id);
        if (!wait) continue;
        const job = q.job.useProject ? { ...q.job, options: { ...q.job.options, project: this.sentProject } } : q.job;
        setImmediate(() => {
          try {
            wait.resolve(runJob(job));
          } catch (err) {
            wait.reject(err as Error);
          }
        });
      }
    } else this.pump();
  }
}
