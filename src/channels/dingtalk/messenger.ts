import { PlatformApiError } from '../../core/errors.js';
import type { Messenger, SentMessage } from '../../core/ports.js';
import type { OutgoingReply } from '../../core/replies.js';
import type { ReplyTarget } from '../../core/types.js';
import { type DingtalkApiClient, readDingtalkResponse } from './api-client.js';
import { conversationIdOf } from './ids.js';
import { openApiMessage, sessionWebhookBody } from './payloads.js';
import { SlidingWindowLimit } from './rate-limit.js';
import { renderDingtalk } from './render-markdown.js';

/** Don't start a session-webhook POST this close to its expiry: it could expire in flight. */
const SESSION_MARGIN_MS = 60_000;
const REMEMBERED_KEYS = 10_000;
export const DINGTALK_OFFICIAL_SESSION_ORIGINS = ['https://oapi.dingtalk.com', 'https://api.dingtalk.com'];

export interface DingtalkMessengerOptions {
  api: DingtalkApiClient;
  robotCode: string;
  now?: () => number;
  fetch?: typeof fetch;
  /**
   * Origins a sessionWebhook may point at. The callback signature does not cover the body, so a replayed
   * body could name any URL; replies only go to DingTalk (and the configured API base, for test fakes).
   */
  sessionOrigins?: string[];
  limit?: SlidingWindowLimit;
}

/** A target without its chat type (an older outbox row) is a group unless it names a user. */
function isGroup(target: ReplyTarget): boolean {
  return target.chatType ? target.chatType === 'group' : !target.userId;
}

/**
 * Replies through the session webhook while it is valid, else the robot OpenAPI (group send or 1:1 batch
 * send). DingTalk has no idempotency key (Feishu's `uuid`), so once-only delivery rests on three things:
 * - the reply outbox: send_reply skips a row already marked sent, and the job is unique per reply key;
 * - this messenger: one send() makes at most one POST (no fallback after a POST that may have landed),
 *   and a key it already delivered in this process returns the first result without posting;
 * - the one unavoidable window: a crash after DingTalk accepted the POST but before markReplySent commits
 *   makes the job run again after restart, which can duplicate that one message (never more, since the
 *   retry is the same single reply). No platform-side dedupe exists to close it.
 */
export class DingtalkMessenger implements Messenger {
  readonly platform = 'dingtalk' as const;
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  private readonly origins: Set<string>;
  private readonly limit: SlidingWindowLimit;
  private readonly delivered = new Map<string, SentMessage>();
  private readonly inflight = new Map<string, Promise<SentMessage>>();
  /** Session URLs DingTalk refused: definitely not delivered, so the next attempt uses the OpenAPI. */
  private readonly refusedSessions = new Set<string>();

  constructor(private readonly opts: DingtalkMessengerOptions) {
    this.now = opts.now ?? Date.now;
    // Called as a method, the global fetch would get this object as its receiver, which workerd refuses ("Illegal invocation").
    this.fetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.origins = new Set([...DINGTALK_OFFICIAL_SESSION_ORIGINS, new URL(opts.api.apiBase).origin, ...(opts.sessionOrigins ?? [])]);
    this.limit = opts.limit ?? new SlidingWindowLimit(20, 60_000);
  }

  async send(target: ReplyTarget, reply: OutgoingReply, key: string): Promise<SentMessage> {
    const done = this.delivered.get(key);
    if (done) return done;
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.deliver(target, reply).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    const sent = await p;
    this.remember(key, sent);
    return sent;
  }

  /** Which route a send to `target` would take now (also for tests and logs). */
  route(target: ReplyTarget): 'session' | 'group' | 'user' {
    if (this.sessionUsable(target)) return 'session';
    return isGroup(target) ? 'group' : 'user';
  }

  private sessionUsable(t: ReplyTarget): boolean {
    if (!t.sessionWebhook || !t.sessionWebhookExpiresAt) return false;
    if (this.now() >= t.sessionWebhookExpiresAt - SESSION_MARGIN_MS || this.refusedSessions.has(t.sessionWebhook)) return false;
    try {
      return this.origins.has(new URL(t.sessionWebhook).origin);
    } catch {
      return false;
    }
  }

  private async deliver(target: ReplyTarget, reply: OutgoingReply): Promise<SentMessage> {
    const message = renderDingtalk(reply, isGroup(target) ? 'group' : 'p2p');
    const at = this.now();
    const wait = this.limit.take(target.chatId, at);
    if (wait > 0) throw new PlatformApiError('dingtalk', 429, `DingTalk: over 20 messages/min in ${target.chatId}`, { retryable: true, retryAfterMs: wait });
    const route = this.route(target);
    try {
      if (route === 'session') return await this.viaSession(target.sessionWebhook!, sessionWebhookBody(message));
      const param = openApiMessage(message);
      if (route === 'group') {
        const r = await this.opts.api.sendToGroup(this.opts.robotCode, conversationIdOf(target.chatId), param);
        return r.processQueryKey ? { messageId: r.processQueryKey } : {};
      }
      if (!target.userId) throw new PlatformApiError('dingtalk', 400, 'DingTalk 1:1 reply needs the staff id and the session has expired', { retryable: false });
      const r = await this.opts.api.sendToUsers(this.opts.robotCode, [target.userId], param);
      return r.processQueryKey ? { messageId: r.processQueryKey } : {};
    } catch (error) {
      // Refused outright (4xx, errcode): nothing was posted, so the slot is not spent.
      if (error instanceof PlatformApiError && error.status >= 400 && error.status < 500 && error.status !== 429) this.limit.release(target.chatId, at);
      if (error instanceof PlatformApiError) throw error;
      throw new PlatformApiError('dingtalk', 0, `DingTalk send failed: ${error instanceof Error ? error.message : String(error)}`, { retryable: true, cause: error });
    }
  }

  private async viaSession(url: string, body: Record<string, unknown>): Promise<SentMessage> {
    const res = await this.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    let data: unknown;
    try {
      data = await readDingtalkResponse(res, 'DingTalk sessionWebhook');
    } catch (error) {
      if (!(error instanceof PlatformApiError) || error.retryable) throw error;
      this.refusedSessions.add(url);
      throw new PlatformApiError('dingtalk', error.status, error.message, { retryable: true, cause: error });
    }
    const errcode = data && typeof data === 'object' ? (data as { errcode?: unknown }).errcode : undefined;
    if (errcode !== undefined && errcode !== 0) {
      this.refusedSessions.add(url);
      const errmsg = String((data as { errmsg?: unknown }).errmsg ?? '');
      throw new PlatformApiError('dingtalk', 400, `DingTalk sessionWebhook refused: ${String(errcode)} ${errmsg}`, { retryable: true });
    }
    return {};
  }

  private remember(key: string, sent: SentMessage): void {
    this.delivered.set(key, sent);
    if (this.delivered.size > REMEMBERED_KEYS) this.delivered.delete(this.delivered.keys().next().value!);
  }
}
