import { z } from 'zod';
import { PlatformApiError } from '../../core/errors.js';

/**
 * A thin fetch client for the five Open API calls minyi makes, instead of @larksuiteoapi/node-sdk's Client.
 * Why (docs/platforms.md §2.5, and measured here): the SDK is 5.4 MiB bundled and crashes at import in workerd
 * (`__dirname`), its axios fetch adapter breaks every GET on Workers, its token cache is a module-global Map
 * that is only invalidated by time (not by 99991663), and its HTTP instance hides response headers, so
 * `x-ogw-ratelimit-reset` is lost. Measured on the dev machine: importing the SDK took 3.4 s against 0.5 s for
 * zod under the same load, and lib/index.js is 6.0 MB. fetch runs unchanged on Node 20 and Workers.
 */
export const DEFAULT_FEISHU_DOMAIN = 'https://open.feishu.cn';

/** Codes Feishu returns for a tenant_access_token that is invalid or expired: refresh once and retry. */
const INVALID_TOKEN_CODES: ReadonlySet<number> = new Set([99991663, 99991661, 99991668]);
/** Feishu's "request trigger frequency limit" code, sometimes sent with HTTP 400 instead of 429. */
const RATE_LIMIT_CODE = 99991400;
/** Refresh this long before the token's stated expiry (the SDK uses the same 3 minutes). */
const TOKEN_MARGIN_MS = 180_000;

const apiResponse = z.object({ code: z.number(), msg: z.string().optional(), data: z.unknown().optional() }).passthrough();
const tokenResponse = z.object({ code: z.number(), msg: z.string().optional(), tenant_access_token: z.string().optional(), expire: z.number().optional() });

const itemSchema = z.object({
  message_id: z.string(),
  msg_type: z.string(),
  create_time: z.string().optional(),
  deleted: z.boolean().optional(),
  chat_id: z.string().optional(),
  upper_message_id: z.string().optional(),
  parent_id: z.string().optional(),
  sender: z.object({ id: z.string().optional(), id_type: z.string().optional(), sender_type: z.string().optional() }).optional(),
  body: z.object({ content: z.string().optional() }).optional(),
  mentions: z.array(z.object({ key: z.string(), id: z.string().optional(), name: z.string().optional() })).optional(),
});
export type MessageItem = z.infer<typeof itemSchema>;

export interface SendBody {
  msgType: string;
  content: string;
  /** Feishu keeps at most one message per uuid for an hour: retries never post twice. */
  uuid: string;
}

/** What the channel and messenger need from Feishu; the fetch client below and any test double implement it. */
export interface FeishuApi {
  reply(messageId: string, body: SendBody): Promise<{ messageId: string }>;
  create(receiveId: string, body: SendBody, receiveIdType?: 'chat_id' | 'open_id'): Promise<{ messageId: string }>;
  getMessage(messageId: string): Promise<MessageItem[]>;
  /** Best effort: null when the contact scope is missing or the lookup fails. */
  userName(openId: string): Promise<string | null>;
  botOpenId(): Promise<string | null>;
}

export interface FeishuClientOptions {
  appId: string;
  appSecret: string;
  domain?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

export class FeishuApiClient implements FeishuApi {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private readonly now: () => number;
  private token: { value: string; refreshAt: number } | null = null;
  private pendingToken: Promise<string> | null = null;
  private readonly names = new Map<string, Promise<string | null>>();
  private bot: Promise<string | null> | null = null;

  constructor(private readonly o: FeishuClientOptions) {
    this.base = (o.domain ?? DEFAULT_FEISHU_DOMAIN).replace(/\/+$/, '');
    this.doFetch = o.fetch ?? ((input, init) => fetch(input, init));
    this.now = o.now ?? Date.now;
  }

  async reply(messageId: string, b: SendBody): Promise<{ messageId: string }> {
    const data = await this.call('POST', `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/reply`, { msg_type: b.msgType, content: b.content, uuid: b.uuid, reply_in_thread: false });
    return { messageId: messageIdOf(data) };
  }

  /** Posts into a chat (chat_id) or to a person 1:1 (open_id). */
  async create(receiveId: string, b: SendBody, receiveIdType: 'chat_id' | 'open_id' = 'chat_id'): Promise<{ messageId: string }> {
    const data = await this.call('POST', `/open-apis/im/v1/messages?receive_id_type=${receiveIdType}`, { receive_id: receiveId, msg_type: b.msgType, content: b.content, uuid: b.uuid });
    return { messageId: messageIdOf(data) };
  }

  async getMessage(messageId: string): Promise<MessageItem[]> {
    const data = await this.call('GET', `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}?user_id_type=open_id`);
    const items = z.object({ items: z.array(z.unknown()).default([]) }).safeParse(data);
    // A malformed item is skipped rather than losing the whole bundle.
    return items.success ? items.data.items.flatMap((i) => { const r = itemSchema.safeParse(i); return r.success ? [r.data] : []; }) : [];
  }

  userName(openId: string): Promise<string | null> {
    let name = this.names.get(openId);
    if (!name) {
      name = this.call('GET', `/open-apis/contact/v3/users/${encodeURIComponent(openId)}?user_id_type=open_id`)
        .then((d) => z.object({ user: z.object({ name: z.string() }) }).safeParse(d).data?.user.name ?? null)
        .catch(() => {
          this.names.delete(openId); // not cached: a transient failure may succeed next time
          return null;
        });
      this.names.set(openId, name);
    }
    return name;
  }

  botOpenId(): Promise<string | null> {
    this.bot ??= this.raw('GET', '/open-apis/bot/v3/info')
      .then((j) => z.object({ bot: z.object({ open_id: z.string() }) }).safeParse(j).data?.bot.open_id ?? null)
      .catch(() => {
        this.bot = null;
        return null;
      });
    return this.bot;
  }

  /** The cached tenant_access_token, fetched again shortly before expiry; concurrent callers share one fetch. */
  async tenantToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    this.pendingToken ??= this.fetchToken().finally(() => {
      this.pendingToken = null;
    });
    return this.pendingToken;
  }

  private async fetchToken(): Promise<string> {
    const res = await this.send('POST', '/open-apis/auth/v3/tenant_access_token/internal', { app_id: this.o.appId, app_secret: this.o.appSecret }, null);
    const body = tokenResponse.safeParse(await readJson(res));
    if (!body.success || body.data.code !== 0 || !body.data.tenant_access_token) {
      throw new PlatformApiError('feishu', res.status, `tenant_access_token failed: ${body.data?.code ?? res.status} ${body.data?.msg ?? ''}`.trim(), { retryable: res.status >= 500 });
    }
    const lifetimeMs = (body.data.expire ?? 7200) * 1000;
    this.token = { value: body.data.tenant_access_token, refreshAt: this.now() + lifetimeMs - Math.min(TOKEN_MARGIN_MS, lifetimeMs / 2) };
    return this.token.value;
  }

  private async raw(method: string, path: string, body?: unknown): Promise<unknown> {
    return readJson(await this.send(method, path, body, await this.tenantToken()));
  }

  /** One authenticated call: data on code 0; one token refresh on an invalid-token code; typed errors otherwise. */
  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(method, path, body, await this.tenantToken());
      const parsed = apiResponse.safeParse(await readJson(res));
      const code = parsed.success ? parsed.data.code : -1;
      if (res.status === 429 || code === RATE_LIMIT_CODE) {
        throw new PlatformApiError('feishu', 429, `rate limited on ${path}`, { retryable: true, retryAfterMs: resetMs(res.headers) });
      }
      if (INVALID_TOKEN_CODES.has(code) && attempt === 0) {
        this.token = null;
        continue;
      }
      if (parsed.success && code === 0) return parsed.data.data ?? {};
      const msg = parsed.success ? `${code} ${parsed.data.msg ?? ''}` : `HTTP ${res.status}`;
      throw new PlatformApiError('feishu', res.status, `Feishu ${method} ${path.split('?')[0]} failed: ${msg}`.trim(), { retryable: res.status >= 500 || INVALID_TOKEN_CODES.has(code) });
    }
  }

  private async send(method: string, path: string, body: unknown, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      // GET and HEAD must not carry a body (the SDK's axios adapter breaks here on Workers).
      return await this.doFetch(`${this.base}${path}`, { method, headers, ...(body === undefined || method === 'GET' ? {} : { body: JSON.stringify(body) }) });
    } catch (error) {
      throw new PlatformApiError('feishu', 0, `Feishu ${method} ${path.split('?')[0]} unreachable`, { retryable: true, cause: error });
    }
  }
}

function messageIdOf(data: unknown): string {
  return z.object({ message_id: z.string() }).safeParse(data).data?.message_id ?? '';
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** `x-ogw-ratelimit-reset` is the seconds until the window resets; without it, wait a second. */
function resetMs(h: Headers): number {
  const s = Number(h.get('x-ogw-ratelimit-reset'));
  return Number.isFinite(s) && s > 0 ? Math.ceil(s * 1000) : 1000;
}
