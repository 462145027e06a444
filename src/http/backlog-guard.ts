import type { MiddlewareHandler } from 'hono';
import { BotError } from '../core/errors.js';
import type { JobQueue } from '../core/ports.js';

/** Counting the queue costs a query; under a burst once a second is plenty. */
const STATS_TTL_MS = 1000;
const RETRY_AFTER_SECONDS = 30;

/**
 * A full queue slows intake instead of dropping it: above `maxBacklog` queued jobs the generic API answers
 * 503 with Retry-After BEFORE persisting anything, so the caller keeps the message and sends it again.
 * Only for the API: a script can retry, while platform webhooks are accepted whatever the backlog, because
 * DingTalk does not redeliver a refused callback and the SQLite file, not memory, is the buffer.
 */
export function backlogGuard(jobs: JobQueue, maxBacklog: number, now: () => number): MiddlewareHandler {
  let cached = { at: -Infinity, queued: 0 };
  return async (_c, next) => {
    const t = now();
    if (t - cached.at > STATS_TTL_MS) cached = { at: t, queued: (await jobs.stats(t)).queued };
    if (cached.queued < maxBacklog) return next();
    throw new BotError('overloaded', `too many messages waiting; retry after ${RETRY_AFTER_SECONDS} s`, { details: { retryAfterSeconds: RETRY_AFTER_SECONDS } });
  };
}
