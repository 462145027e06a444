import { isBotError, LlmError, PlatformApiError } from '../core/errors.js';
import type { Clock, Job, JobQueue, Logger } from '../core/ports.js';

export type JobHandler = (job: Job) => Promise<void>;

export const DEFAULT_MAX_ATTEMPTS = 16;
export type JobHandlers = Record<string, JobHandler>;

export interface WorkerOptions {
  queue: JobQueue;
  handlers: JobHandlers;
  clock: Clock;
  log: Logger;
  batchSize?: number;
  leaseMs?: number;
  idleMs?: number;
  maxAttempts?: number;
}

export interface WorkerHandle {
  /** Wake the loop now instead of at the next poll (called after intake). */
  kick(): void;
  /** Finish the current batch and stop. */
  stop(): Promise<void>;
  /** Resolves once nothing is due (tests, CLI import). */
  drain(): Promise<void>;
}

/** Exponential backoff with a cap; the platform's own wait wins when it names one (429 reset). */
export function retryDelayMs(attempts: number, error: unknown): number {
  if (error instanceof PlatformApiError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const base = Math.min(1000 * 2 ** Math.max(0, attempts - 1), 10 * 60_000);
  return base + Math.floor(base * 0.2 * ((attempts * 7919) % 10) / 10);
}

function isPermanent(error: unknown): boolean {
  if (error instanceof PlatformApiError || error instanceof LlmError) return !error.retryable;
  return isBotError(error) && (error.code === 'bad_request' || error.code === 'not_found' || error.code === 'config_invalid');
}

export type RunJobOptions = Pick<WorkerOptions, 'queue' | 'handlers' | 'clock' | 'log'> & { maxAttempts: number };

/**
 * Runs one leased job and records the outcome: complete, retry with backoff, or dead. Shared by the Node
 * worker loop and the Workers queue consumer / sweeper. Returns the retry time when the job will run again.
 */
export async function runJob(o: RunJobOptions, job: Job): Promise<{ ok: boolean; retryAt: number | null }> {
  const handler = o.handlers[job.type];
  try {
    if (!handler) throw new Error(`no handler for job type ${job.type}`);
    await handler(job);
    await o.queue.complete(job.id);
    return { ok: true, retryAt: null };
  } catch (error) {
    const now = o.clock.now();
    const dead = isPermanent(error) || job.attempts >= o.maxAttempts;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const retryAt = dead ? null : now + retryDelayMs(job.attempts, error);
    await o.queue.fail(job.id, message, retryAt, now);
    (dead ? o.log.error : o.log.warn)(dead ? 'job.dead' : 'job.retry', { job: job.id, type: job.type, attempts: job.attempts, error: message });
    return { ok: false, retryAt };
  }
}

/** The in-process worker loop of the Node runtime: lease a batch, run each job, record the outcome. */
export function startWorker(o: WorkerOptions): WorkerHandle {
  const batchSize = o.batchSize ?? 100;
  const leaseMs = o.leaseMs ?? 5 * 60_000;
  const idleMs = o.idleMs ?? 200;
  // 16 attempts with the capped backoff span about an hour (1 s … 10 min): a platform outage of several
  // minutes delays replies but does not kill them; 8 gave up after about two minutes.
  const maxAttempts = o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  let stopping = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let wake: (() => void) | null = null;
  let idleWaiters: Array<() => void> = [];

  const loop = (async () => {
    while (!stopping) {
      let jobs: Job[] = [];
      try {
        jobs = await o.queue.lease(batchSize, leaseMs, o.clock.now());
      } catch (error) {
        o.log.error('job.lease_failed', { error: String(error) });
      }
      for (const job of jobs) {
        if (stopping) break;
        await runJob({ ...o, maxAttempts }, job);
        // better-sqlite3 is synchronous: without this, a batch of jobs would hold the event loop and
        // webhook acknowledgements would wait behind it.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (jobs.length === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, idleMs);
        });
        wake = null;
      }
    }
  })();

  return {
    kick() {
      if (timer) clearTimeout(timer);
      wake?.();
    },
    async stop() {
      stopping = true;
      this.kick();
      await loop;
    },
    drain() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        this.kick();
      });
    },
  };
}
