import type { Queue } from '@cloudflare/workers-types/index.js';
import type { Clock, Logger } from '../core/ports.js';
import type { Db } from '../store/db.js';
import { dueJobIdsSince } from '../store/job-lease.js';
import type { JobMessage } from './worker-env.js';

const MAX_WAKEUPS = 100;
/** Queues caps a message delay at 12 hours; later retries are left to the sweeper. */
const MAX_DELAY_S = 12 * 3600;

/**
 * Collects "jobs were queued" signals during one invocation and, after the D1 batch committed, sends one
 * `{jobId}` queue message per new due job. `notifyJobs` cannot await, so the send happens in
 * `ctx.waitUntil(flush())` after the response. A failed send is logged, not thrown: the every-minute
 * sweeper leases the job from D1 anyway.
 */
export class WakeUps {
  private wanted = false;
  private readonly delayed: { jobId: string; delaySeconds: number }[] = [];

  constructor(
    private readonly db: Db,
    private readonly queue: Queue<JobMessage>,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Jobs with runAt from here on were created during this invocation. */
    private readonly since: number,
  ) {}

  mark(): void {
    this.wanted = true;
  }

  /** A job that failed and will be retried at `retryAt`: wake a consumer then. */
  later(jobId: string, retryAt: number): void {
    const delaySeconds = Math.ceil((retryAt - this.clock.now()) / 1000);
    if (delaySeconds <= MAX_DELAY_S) this.delayed.push({ jobId, delaySeconds: Math.max(0, delaySeconds) });
  }

  /** Sends the wake-ups; `always` looks for new jobs even without a mark (a consumer batch creates reply jobs). */
  async flush(always = false): Promise<number> {
    try {
      const due = this.wanted || always ? await dueJobIdsSince(this.db, this.since, this.clock.now(), MAX_WAKEUPS) : [];
      this.wanted = false;
      const messages = [
        ...due.map((j) => ({ body: { jobId: j.id } })),
        ...this.delayed.splice(0).map((d) => ({ body: { jobId: d.jobId }, delaySeconds: d.delaySeconds })),
      ];
      if (messages.length) await this.queue.sendBatch(messages);
      return messages.length;
    } catch (error) {
      this.log.warn('jobs.wakeup_failed', { error: String(error) });
      return 0;
    }
  }
}
