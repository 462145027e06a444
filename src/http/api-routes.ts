import { Hono } from 'hono';
import { z } from 'zod';
import { acceptMessage } from '../app/accept-message.js';
import type { AppDeps } from '../app/deps.js';
import { type ApiMessage, apiMessageSchema, storedApiMessageSchema } from '../channels/http/api-message.js';
import { BotError, PayloadError } from '../core/errors.js';
import { unknownTown } from '../core/place-decision.js';
import { normalizeRecordCode } from '../core/record-code.js';
import { renderText } from '../core/render-text.js';
import { bearerAuth } from './auth.js';
import { maskJsonAnswers } from './mask-answer.js';
import { limitParam, parseOrThrow, recordFilter, recordFilterFields, singleValued } from './record-query.js';
import type { BodyReader } from './request-body.js';

const recordQuery = z.strictObject({
  ...recordFilterFields,
  limit: limitParam(500, 50),
  cursor: z.string().optional(),
});

/** Whether a retry carries the message first stored under its key (the server's own fields aside). */
function sameMessage(storedRaw: string, msg: ApiMessage): boolean {
  // Both through the one schema: the same fields in the same order, the stored key and time dropped.
  const first = storedApiMessageSchema.safeParse(JSON.parse(storedRaw));
  if (!first.success) return false;
  const { key: _key, receivedAt: _receivedAt, ...words } = first.data;
  return JSON.stringify(words) === JSON.stringify(msg);
}

/** The stored key of an API message sent with an `Idempotency-Key` (scoped to its sender and chat). */
export function apiMessageKey(senderId: string, chatId: string, idempotencyKey: string): string {
  return JSON.stringify([senderId, chatId, idempotencyKey]);
}

const MAX_IDEMPOTENCY_KEY = 200;

export function apiRoutes(deps: AppDeps, token: string, readBody: BodyReader): Hono {
  const api = new Hono();
  api.use('*', bearerAuth(token));
  api.use('*', maskJsonAnswers);

  api.post('/messages', async (c) => {
    // Outside the try: the reader's own refusals (415 charset, 400 bad bytes) say more than "not JSON".
    const text = await readBody(c);
    let body: unknown;
    try {
      // A byte-order mark (Windows tools write one) is not JSON; webhooks keep theirs, their signature covers it.
      body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      throw new PayloadError('body is not valid JSON');
    }
    const msg = parseOrThrow(apiMessageSchema, body, 'body');
    const townIssue = unknownTown(deps.district.towns, msg.town);
    if (townIssue) throw new PayloadError(townIssue);
    const now = deps.clock.now();
    const chatId = `http:${msg.chat?.id ?? msg.sender.id}`;
    const senderId = `http:${msg.sender.id}`;
    // Keys are the callers' own retry tokens, and callers pick them independently (counters, dates): scoped
    // to the sender and chat, two senders' equal keys are two messages, one sender's retry is one.
    const idem = c.req.header('idempotency-key')?.trim();
    // Stored in the message's key: a retry token is short (a UUID is 36), a longer one is a caller's mistake.
    if (idem && idem.length > MAX_IDEMPOTENCY_KEY) throw new PayloadError(`Idempotency-Key is longer than ${MAX_IDEMPOTENCY_KEY} characters`);
    const key = idem ? apiMessageKey(senderId, chatId, idem) : deps.ids.next('api');
    const { id, duplicate } = await acceptMessage(deps, { platform: 'http', key, chatId, senderId, raw: { ...msg, key, receivedAt: now } });
    if (!duplicate) return c.json({ id, duplicate, status: 'queued' }, 202);
    const first = await deps.store.getInbound(id);
    // A key reused for different words would otherwise drop them silently behind "duplicate".
    if (first && !sameMessage(first.raw, msg)) {
      throw new BotError('conflict', 'Idempotency-Key was already used for a different message from this sender and chat; nothing was stored');
    }
    // A retry may come long after the first message was filed: say where that one really is.
    return c.json({ id, duplicate, status: first?.state ?? 'queued' }, 202);
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
    const q = parseOrThrow(recordQuery, singleValued(c.req.queries()), 'query');
    const page = await deps.store.listRecords({ limit: q.limit, ...recordFilter(deps, q), ...(q.cursor ? { cursor: q.cursor } : {}) });
    return c.json(page);
  });

  api.get('/records/:code', async (c) => {
    // Codes are case-insensitive, as in chat: jm-2026-0001 and JM-2026-1 are JM-2026-0001 (a record id stays as given).
    const record = await deps.store.getRecord(normalizeRecordCode(c.req.param('code')) ?? c.req.param('code'));
    if (!record) throw new BotError('not_found', `record ${c.req.param('code')} not found`);
    const [events, sources] = await Promise.all([deps.store.recordEvents(record.id), deps.store.recordSources(record.id)]);
    return c.json({ record, events, sources });
  });
  return api;
}
