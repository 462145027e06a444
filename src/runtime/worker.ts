import type { ExecutionContext, MessageBatch, ScheduledController } from '@cloudflare/workers-types/index.js';
import { Hono } from 'hono';
import { isBotError } from '../core/errors.js';
import { createApp } from '../http/app.js';
import { type WorkerRuntime, workerDeps } from './worker-deps.js';
import type { WorkerEnv } from './worker-env.js';
import { consumeJobs } from './worker-jobs.js';
import { runScheduled } from './worker-schedule.js';

const TOKEN_MISSING = 'MINYI_API_TOKEN is not set: on Workers there is no disk to generate it into; run `npx wrangler secret put MINYI_API_TOKEN` (locally: put it in .dev.vars)';

/** The Node app, unchanged, behind a guard that refuses the API clearly when no token is configured. */
function workerApp(rt: WorkerRuntime): Hono {
  const token = rt.config.MINYI_API_TOKEN;
  const app = createApp(rt.deps, {
    // Unreachable when unset: the guard below answers every /api request first.
    apiToken: token ?? crypto.randomUUID(),
    webhooks: rt.platforms.map((p) => p.verifier),
  });
  if (token) return app;
  const guarded = new Hono();
  guarded.all('/api/*', (c) => c.json({ error: { code: 'config_invalid', message: TOKEN_MISSING } }, 503));
  guarded.route('/', app);
  return guarded;
}

const UNMIGRATED =
  'D1 has no minyi tables yet: run `npx wrangler d1 migrations apply minyi --remote` (or `--local` under `npm run dev:worker`), then retry';

function configFailure(error: unknown): Response {
  // The first request seeds the district into D1; before the migrations ran there is nothing to seed into.
  if (causes(error).some((e) => /no such table/i.test(e.message))) {
    return Response.json({ error: { code: 'config_invalid', message: UNMIGRATED } }, { status: 503 });
  }
  const message = isBotError(error) ? error.message : 'the Worker failed to start';
  if (!isBotError(error)) console.error(error);
  return Response.json({ error: { code: 'config_invalid', message } }, { status: 500 });
}

function causes(error: unknown): Error[] {
  const out: Error[] = [];
  for (let e = error; e instanceof Error && out.length < 5; e = e.cause) out.push(e);
  return out;
}

const worker = {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let rt: WorkerRuntime;
    try {
      rt = await workerDeps(env, ctx);
    } catch (error) {
      return configFailure(error);
    }
    const response = await workerApp(rt).fetch(request);
    // After the D1 batch committed and the answer is ready: wake a consumer for the new jobs.
    ctx.waitUntil(rt.wakeUps.flush());
    return response;
  },

  async queue(batch: MessageBatch<unknown>, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const rt = await workerDeps(env, ctx);
    await consumeJobs(batch, rt);
  },

  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const rt = await workerDeps(env, ctx);
    await runScheduled(rt, controller.cron, controller.scheduledTime);
  },
};

export default worker;
