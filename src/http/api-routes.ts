import { Hono } from 'hono';
import { z } from 'zod';
import { acceptMessage } from '../app/accept-message.js';
import type { AppDeps } from '../app/deps.js';
import { apiMessageSchema } from '../channels/http/api-message.js';
import { BotError, PayloadError } from '../core/errors.js';
import { findTown } from '../core/place-decision.js';
import { renderText } from '../core/render-text.js';
import { isStatus, RECORD_STATUSES } from '../core/status.js';
import { bearerAuth } from './auth.js';
import type { BodyReader } from './request-body.js';

const timeParam = z.string().transform((v, ctx) => {
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO date or epoch milliseconds' });
    return z.NEVER;
  }
  return ms;
});

const recordQuery = z.object({
  status: z.string().optional(),
  town: z.string().optional(),
  category: z.string().optional(),
  since: timeParam.optional(),
  until: timeParam.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new PayloadError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
}

export function apiRoutes(deps: AppDeps, token: string, readBody: BodyReader): Hono {
  const api = new Hono();
  api.use('*', bearerAuth(token));

  api.post('/messages', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(c));
    } catch {
      throw new PayloadError('body is not valid JSON');
    }
    const msg = parseOrThrow(apiMessageSchema, body);
    if (msg.town && !findTown(deps.district.towns, msg.town)) throw new PayloadError(`town: 未知镇街「${msg.town}」`);
    const now = deps.clock.now();
    const key = c.req.header('idempotency-key')?.trim() || deps.ids.next('api');
    const chatId = `http:${msg.chat?.id ?? msg.sender.id}`;
    const { id, duplicate } = await acceptMessage(deps, {
      platform: 'http', key, chatId, senderId: `http:${msg.sender.id}`, raw: { ...msg, key, receivedAt: now },
    });
    return c.json({ id, duplicate, status: 'queued' }, 202);
  });

  api.get('/messages/:id', async (c) => {
    const row = await deps.store.getInbound(c.req.param('id'));
    if (!row) throw new BotError('not_found', `message ${c.req.param('id')} not found`);
    const replies = await deps.store.repliesFor(row.id);
    return c.json({
      id: row.id, platform: row.platform, state: row.state, outcome: row.outcome, error: row.error, receivedAt: row.receivedAt,
      replies: replies.map((r) => ({ kind: r.kind, text: renderText(r.payload), payload: r.payload, state: r.state, createdAt: r.createdAt })),
    });
  });

  api.get('/records', async (c) => {
    const q = parseOrThrow(recordQuery, c.req.query());
    const statuses = q.status?.split(',').map((x) => x.trim()).filter(Boolean);
    const unknown = statuses?.find((x) => !isStatus(x));
    if (unknown) throw new PayloadError(`status: 未知状态「${unknown}」（可选：${RECORD_STATUSES.join(', ')}）`);
    const town = q.town ? findTown(deps.district.towns, q.town) : null;
    if (q.town && !town) throw new PayloadError(`town: 未知镇街「${q.town}」`);
    const page = await deps.store.listRecords({
      limit: q.limit,
      ...(statuses?.length ? { status: statuses } : {}),
      ...(town ? { townCode: town.code } : {}),
      ...(q.category ? { categoryCode: q.category } : {}),
      ...(q.since !== undefined ? { since: q.since } : {}),
      ...(q.until !== undefined ? { until: q.until } : {}),
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    return c.json(page);
  });

  api.get('/records/:code', async (c) => {
    const record = await deps.store.getRecord(c.req.param('code'));
    if (!record) throw new BotError('not_found', `record ${c.req.param('code')} not found`);
    const [events, sources] = await Promise.all([deps.store.recordEvents(record.id), deps.store.recordSources(record.id)]);
    return c.json({ record, events, sources });
  });
  return api;
}
