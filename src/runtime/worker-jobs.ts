import type { MessageBatch } from '@cloudflare/workers-types/index.js';
import { jobHandlers } from '../app/job-handlers.js';
import { DEFAULT_MAX_ATTEMPTS, runJob, type RunJobOptions } from '../jobs/worker.js';
import { leaseJobById } from '../store/job-lease.js';
import type { WorkerRuntime } from './worker-deps.js';
import { type JobMessage, jobMessageSchema } from './worker-env.js';

/** Longer than any one job should take on Workers; an invocation that dies leaves a lease that expires. */
export const JOB_LEASE_MS = 2 * 60_000;
const SWEEP_BATCH = 50;

function runOptions(rt: WorkerRuntime): RunJobOptions {
  return { queue: rt.deps.jobs, handlers: jobHandlers(rt.deps), clock: rt.deps.clock, log: rt.deps.log, maxAttempts: DEFAULT_MAX_ATTEMPTS };
}

/**
 * The Queues consumer: each message names a job; the job row is leased, run with the same handlers as the
 * Node worker, and completed or failed in D1. A message is acknowledged once D1 holds the outcome; only a
 * D1 failure retries the message (and after max_retries it goes to the dead-letter queue, while the job
 * row still waits for the sweeper).
 */
export async function consumeJobs(batch: MessageBatch<unknown>, rt: WorkerRuntime): Promise<{ ran: number; skipped: number }> {
  const options = runOptions(rt);
  let ran = 0;
  let skipped = 0;
  for (const message of batch.messages) {
    const parsed = jobMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      rt.deps.log.warn('queue.bad_message', { id: message.id });
      message.ack();
      continue;
    }
    try {
      const job = await leaseJobById(rt.db, parsed.data.jobId, JOB_LEASE_MS, rt.deps.clock.now());
      if (!job) {
        skipped++; // already done, dead, not due, or leased elsewhere: a duplicate or stale wake-up
        message.ack();
        continue;
      }
      const result = await runJob(options, job);
      if (result.retryAt !== null) rt.wakeUps.later(job.id, result.retryAt);
      ran++;
      message.ack();
    } catch (error) {
      rt.deps.log.error('queue.job_failed', { job: parsed.data.jobId, error: String(error) });
      message.retry();
    }
  }
  await rt.wakeUps.flush(true);
  return { ran, skipped };
}

/**
 * The cron sweeper: leases whatever is due in the jobs table (a wake-up that was never sent, a retry past
 * the queue's delay limit, a lease left by a crashed invocation) and runs it here.
 */
export async function sweepJobs(rt: WorkerRuntime, limit = SWEEP_BATCH): Promise<number> {
  const jobs = await rt.deps.jobs.lease(limit, JOB_LEASE_MS, rt.deps.clock.now());
  const options = runOptions(rt);
  for (const job of jobs) {
    const result = await runJob(options, job);
    if (result.retryAt !== null) rt.wakeUps.later(job.id, result.retryAt);
  }
  await rt.wakeUps.flush(true);
  if (jobs.length) rt.deps.log.info('jobs.swept', { count: jobs.length });
  return jobs.length;
}

export type { JobMessage };
