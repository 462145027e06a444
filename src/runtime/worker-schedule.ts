import { JOB_DAILY_REMINDER, JOB_WEEKLY_BULLETIN } from '../app/deps.js';
import { jobHandlers } from '../app/job-handlers.js';
import { shanghaiDate } from '../core/time.js';
import type { WorkerRuntime } from './worker-deps.js';
import { sweepJobs } from './worker-jobs.js';

/** The cron expressions in wrangler.toml (UTC). Keep the two in step. */
export const CRON_BULLETIN = '7 9 * * 5';
export const CRON_REMINDER = '7 1 * * *';
export const CRON_SWEEP = '* * * * *';

/*
 * The scheduled use cases run as jobs with these types (handlers in src/app/job-handlers.ts). A cron tick
 * whose type has no handler logs that and enqueues nothing (a job without a handler would only go dead).
 */

const SCHEDULED_JOBS: Record<string, { type: string; key: string }> = {
  [CRON_BULLETIN]: { type: JOB_WEEKLY_BULLETIN, key: 'bulletin' },
  [CRON_REMINDER]: { type: JOB_DAILY_REMINDER, key: 'reminder' },
};

function shanghaiDay(ms: number): string {
  const d = shanghaiDate(ms);
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/**
 * One cron tick. A bulletin or reminder becomes a job whose dedupe key is its Shanghai date, so a
 * re-fired trigger posts nothing twice; the sweep that follows runs it (and any other due job) at once.
 */
export async function runScheduled(rt: WorkerRuntime, cron: string, scheduledTime: number): Promise<{ enqueued: string | null; swept: number }> {
  const planned = SCHEDULED_JOBS[cron];
  let enqueued: string | null = null;
  if (planned) {
    if (jobHandlers(rt.deps)[planned.type]) {
      const dedupeKey = `${planned.key}:${shanghaiDay(scheduledTime)}`;
      await rt.deps.jobs.enqueue({ id: rt.deps.ids.next('job'), type: planned.type, payload: { scheduledTime }, runAt: rt.deps.clock.now(), dedupeKey });
      enqueued = dedupeKey;
    } else {
      rt.deps.log.warn('schedule.no_handler', { cron, type: planned.type });
    }
  } else if (cron !== CRON_SWEEP) {
    rt.deps.log.warn('schedule.unknown_cron', { cron });
  }
  const swept = await sweepJobs(rt);
  return { enqueued, swept };
}
