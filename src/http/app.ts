import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from '../app/deps.js';
import { BotError } from '../core/errors.js';
import type { WebhookVerifier } from '../core/ports.js';
import { apiRoutes } from './api-routes.js';
import { bearerAuth } from './auth.js';
import { backlogGuard } from './backlog-guard.js';
import { errorResponse } from './error-map.js';
import { type BodyReader, fetchApiBody } from './request-body.js';
import { exportRoute } from './export-route.js';
import { notFoundOrWrongMethod } from './method-not-allowed.js';
import { webhookRoute } from './webhook-route.js';

export interface HttpOptions {
  apiToken: string;
  webhooks: WebhookVerifier[];
  /** Request bodies above this many bytes get 413 before anything is parsed. */
  maxBodyBytes?: number;
  /** Queued jobs above which POST /api/messages answers 503 + Retry-After (http/backlog-guard.ts). */
  maxBacklog?: number;
  /** How the webhooks and POST /api/messages read a body; the Fetch API's `text()` unless a runtime has better. */
  readBody?: BodyReader;
  /** True while writes are refused for lack of disk space (Node's SQLite file; D1 has no such state). */
  storageFull?: () => boolean;
  /** Free space on the database's disk, shown by GET /healthz (Node; null where unknown). */
  diskSpace?: () => { freeBytes: number; totalBytes: number; low: boolean } | null;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_BACKLOG = 100_000;

export function createApp(deps: AppDeps, opts: HttpOptions): Hono {
  const app = new Hono();
  const readBody = opts.readBody ?? fetchApiBody;
  app.onError((error, c) => errorResponse(c, error, deps.log));
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const tooLarge = () => {
    throw new BotError('payload_too_large', `request body exceeds ${maxBody} bytes`);
  };
  const countingLimit = bodyLimit({ maxSize: maxBody, onError: tooLarge });
  // A declared length is checked from the header alone. hono's bodyLimit checks it too, but only after
  // touching `c.req.raw.body`, which on Node builds the whole Fetch Request that `readBody` exists to avoid.
  app.use('*', async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return countingLimit(c, next);
    if (!/^\d+$/.test(length) || Number(length) > maxBody) tooLarge();
    await next();
  });

  // The queue count is a real query: an unreadable database answers 503 so a supervisor can restart us.
  app.get('/healthz', async (c) => {
    try {
      const queue = await deps.jobs.stats(deps.clock.now());
      const disk = opts.diskSpace?.();
      const space = disk ? { disk } : {};
      // Reads still work on a full disk, so only the last write can tell: until one succeeds, nothing is accepted.
      if (opts.storageFull?.()) return c.json({ ok: false, db: 'full', queue, ...space }, 503);
      return c.json({ ok: true, db: 'ok', queue, ...space });
    } catch (error) {
      deps.log.error('healthz.db_failed', { error: error instanceof Error ? error.message : String(error) });
      return c.json({ ok: false, db: 'unreachable' }, 503);
    }
  });
  // Authentication before the backlog: a caller without the token learns 401, never the queue's state.
  app.post('/api/messages', bearerAuth(opts.apiToken), backlogGuard(deps.jobs, opts.maxBacklog ?? DEFAULT_MAX_BACKLOG, deps.clock.now));
  for (const verifier of opts.webhooks) app.post(`/webhooks/${verifier.platform}`, webhookRoute(deps, verifier, readBody));
  app.route('/api', exportRoute(deps, opts.apiToken));
  app.route('/api', apiRoutes(deps, opts.apiToken, readBody));
  // Last: it reads the finished route table to tell a wrong method (405) from an unknown path (404).
  app.notFound(notFoundOrWrongMethod(app, deps.log));
  return app;
}
