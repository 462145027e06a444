import { z } from 'zod';
import { PlatformApiError } from '../../core/errors.js';

export const DEFAULT_DINGTALK_API_BASE = 'https://api.dingtalk.com';
/** Refresh this long before DingTalk's expireIn (7200 s) so a token never expires mid-request. */
const TRAILING_SLASHES_RE = /\/+$/;
const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

const batchSendSchema = z.object({
  processQueryKey: z.string().optional(),
  invalidStaffIdList: z.array(z.string()).default([]),
  flowControlledStaffIdList: z.array(z.string()).default([]),
}).catch({ invalidStaffIdList: [], flowControlledStaffIdList: [] });

const tokenSchema = z.object({ accessToken: z.string().min(1), expireIn: z.coerce.number().positive() });

export interface DingtalkApiOptions {
  appKey: string;
  appSecret: string;
  /** One base for the token and robot endpoints; a test fake in tests. */
  apiBase?: string;
  now?: () => number;
  fetch?: typeof fetch;
}

export interface RobotMessageParam {
  msgKey: string;
  msgParam: Record<string, string>;
}

function retryAfter(res: Response): number | undefined {
  const v = res.headers.get('retry-after');
  if (!v) return undefined;
  const s = Number(v);
  return Number.isFinite(s) ? s * 1000 : undefined;
}

/** Maps a response to data or a PlatformApiError; 429 and 5xx are worth retrying, the rest are not. */
export async function readDingtalkResponse(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!res.ok) {
    const retryable = res.status === 429 || res.status >= 500;
    const retryAfterMs = retryAfter(res);
    throw new PlatformApiError('dingtalk', res.status, `${what} failed: HTTP ${res.status} ${text.slice(0, 200)}`, { retryable, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
  return body;
}

/** The robot OpenAPI (api.dingtalk.com/v1.0): an access token cached until shortly before it expires. */
export class DingtalkApiClient {
  private readonly base: string;
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  private token: { value: string; refreshAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(private readonly opts: DingtalkApiOptions) {
    this.base = (opts.apiBase ?? DEFAULT_DINGTALK_API_BASE).replace(TRAILING_SLASHES_RE, '');
    this.now = opts.now ?? Date.now;
    // Called as a method, the global fetch would get this object as its receiver, which workerd refuses ("Illegal invocation").
    this.fetch = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  get apiBase(): string {
    return this.base;
  }

  async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    // One refresh at a time: concurrent sends share it instead of each asking for a token.
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Forget the token (after a 401) so the next call fetches a fresh one. */
  invalidateToken(): void {
    this.token = null;
  }

  private async fetchToken(): Promise<string> {
    const res = await this.fetch(`${this.base}/v1.0/oauth2/accessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appKey: this.opts.appKey, appSecret: this.opts.appSecret }),
    });
    const parsed = tokenSchema.safeParse(await readDingtalkResponse(res, 'DingTalk accessToken'));
    if (!parsed.success) throw new PlatformApiError('dingtalk', res.status, 'DingTalk accessToken: unexpected response', { retryable: true });
    const lifetime = parsed.data.expireIn * 1000;
    this.token = { value: parsed.data.accessToken, refreshAt: this.now() + Math.max(lifetime - TOKEN_REFRESH_MARGIN_MS, lifetime / 2) };
    return this.token.value;
  }

  private async post(path: string, body: Record<string, unknown>, what: string): Promise<unknown> {
    const token = await this.accessToken();
    const res = await this.fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': token },
      body: JSON.stringify(body),
    });
    if (res.status === 401) {
      // DingTalk may revoke a token before expireIn; a fresh one on the next attempt usually fixes it.
      this.invalidateToken();
      await res.text();
      throw new PlatformApiError('dingtalk', 401, `${what}: access token rejected`, { retryable: true });
    }
    return readDingtalkResponse(res, what);
  }

  /** Group chat the robot is in. msgParam must be a JSON string: objects are rejected as invalidParameter. */
  async sendToGroup(robotCode: string, openConversationId: string, m: RobotMessageParam): Promise<{ processQueryKey?: string }> {
    const body = await this.post('/v1.0/robot/groupMessages/send', { robotCode, openConversationId, msgKey: m.msgKey, msgParam: JSON.stringify(m.msgParam) }, 'DingTalk groupMessages/send');
    return z.object({ processQueryKey: z.string().optional() }).catch({}).parse(body);
  }

  /** 1:1 chat with each staff id. */
  async sendToUsers(robotCode: string, userIds: string[], m: RobotMessageParam): Promise<{ processQueryKey?: string }> {
    const body = await this.post('/v1.0/robot/oToMessages/batchSend', { robotCode, userIds, msgKey: m.msgKey, msgParam: JSON.stringify(m.msgParam) }, 'DingTalk oToMessages/batchSend');
    const r = batchSendSchema.parse(body);
    // A 200 can still mean "not delivered": DingTalk lists throttled and unknown users separately.
    if (r.invalidStaffIdList.length === userIds.length) {
      throw new PlatformApiError('dingtalk', 400, `DingTalk oToMessages/batchSend: unknown user ${r.invalidStaffIdList.join(',')}`, { retryable: false });
    }
    if (r.flowControlledStaffIdList.length > 0) {
      throw new PlatformApiError('dingtalk', 429, 'DingTalk oToMessages/batchSend: user is flow-controlled', { retryable: true, retryAfterMs: 60_000 });
    }
    return r.processQueryKey ? { processQueryKey: r.processQueryKey } : {};
  }
}
