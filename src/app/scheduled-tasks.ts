/**
 * The scheduled tasks and their periods. A task's run is claimed per (task, period) in the database
 * together with the job that performs it (OutputsRepo.claimRun), before anything is posted: a second
 * trigger, a second process or a restart finds the claim and does nothing; the job itself is retried by
 * the queue until it completes, and every post inside it has its own key. `runDueTasks` serves the cron
 * tick and the catch-up on start alike: it claims the latest due occurrence of each task, so a server that
 * was down at 17:07 on Friday sends that week's bulletin when it comes back. Occurrences before the
 * scheduler first ran on this database are not caught up (a fresh install does not post last week's news).
 */
import { shanghaiWeek, SHANGHAI_OFFSET_MS } from '../core/time.js';
import { type AppDeps, JOB_DAILY_REMINDER, JOB_WEEKLY_BULLETIN } from './deps.js';
import { weekKey } from './bulletins.js';
import { outputsOf } from './outputs-common.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface ScheduledTask {
  name: string;
  /** croner pattern, evaluated in Asia/Shanghai. */
  cron: string;
  /** The latest occurrence at or before `now`, and the period it belongs to. */
  lastDue(now: number): { dueAt: number; periodKey: string };
}

function shanghaiDayStart(ms: number): number {
  const local = ms + SHANGHAI_OFFSET_MS;
  return local - (local % DAY_MS) - SHANGHAI_OFFSET_MS;
}

// Odd minutes: Feishu throttles bots at :00 and :30 (DESIGN.md).
export const WEEKLY_BULLETIN: ScheduledTask = {
  name: JOB_WEEKLY_BULLETIN,
  cron: '7 17 * * 5',
  lastDue(now) {
    let { start } = shanghaiWeek(now);
    let dueAt = start + 4 * DAY_MS + 17 * 3600_000 + 7 * MINUTE_MS;
    if (dueAt > now) {
      start -= 7 * DAY_MS;
      dueAt -= 7 * DAY_MS;
    }
    return { dueAt, periodKey: weekKey(start) };
  },
};

export const DAILY_REMINDER: ScheduledTask = {
  name: JOB_DAILY_REMINDER,
  cron: '7 9 * * *',
  lastDue(now) {
    let dueAt = shanghaiDayStart(now) + 9 * 3600_000 + 7 * MINUTE_MS;
    if (dueAt > now) dueAt -= DAY_MS;
    return { dueAt, periodKey: new Date(dueAt + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10) };
  },
};

export const SCHEDULED_TASKS: readonly ScheduledTask[] = [WEEKLY_BULLETIN, DAILY_REMINDER];

/** Claims and enqueues every task whose latest occurrence has not run yet; returns the claimed names. */
export async function runDueTasks(deps: AppDeps, now: number): Promise<string[]> {
  const out = outputsOf(deps);
  const firstStart = await out.firstStart(now);
  const claimed: string[] = [];
  for (const task of SCHEDULED_TASKS) {
    const { dueAt, periodKey } = task.lastDue(now);
    if (dueAt < firstStart) continue;
    const job = { id: deps.ids.next('job'), type: task.name, payload: { scheduledTime: dueAt, period: periodKey }, runAt: now, dedupeKey: `run:${task.name}:${periodKey}` };
    if (await out.claimRun(task.name, periodKey, dueAt, job, now)) {
      claimed.push(`${task.name}:${periodKey}`);
      deps.log.info('schedule.claimed', { task: task.name, period: periodKey, late: now - dueAt > 5 * MINUTE_MS });
    }
  }
  if (claimed.length) deps.notifyJobs();
  return claimed;
}
