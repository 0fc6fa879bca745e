// A worker thread of `mlflint check --threads N`: runs jobs one at a time, as the main thread would.
import { parentPort } from 'node:worker_threads';
import type { ProjectReceivers } from '../index.js';
import { SelectorError } from '../index.js';
import { runJob, type Job } from './job.js';
import { UsageError } from './usage.js';

let project: ProjectReceivers | undefined;

parentPort?.on('message', (msg: { id: number; job: Job } | { project: ProjectReceivers }) => {
  if ('project' in msg) {
    project = msg.project;
    return;
  }
  try {
    const job = msg.job.useProject ? { ...msg.job, options: { ...msg.job.options, project } } : msg.job;
    parentPort?.postMessage({ id: msg.id, result: runJob(job) });
  } catch (e) {
    parentPort?.postMessage({
      id: msg.id,
      error: {
        message: (e as Error).message,
        stack: (e as Error).stack,
        usage: e instanceof UsageError || e instanceof SelectorError,
      },
    });
  }
});
