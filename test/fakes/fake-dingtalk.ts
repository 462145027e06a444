import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { SeenMessage } from '../contract/messenger-contract.js';

/** One request the fake saw, body parsed. */
export interface DingtalkRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A message the fake actually delivered into a chat, with the route it came by. */
export interface DingtalkDelivery extends SeenMessage {
  route: 'session' | 'group' | 'user';
  /** Session id, openConversationId or the user ids. */
  to: string;
  msgKey: string;
  /** The dtmd:// links behind the buttons. */
  urls: string[];
}

interface Session {
  expiresAt: number;
  refused: boolean;
}

export interface FakeDingtalk {
  url: string;
  appKey: string;
  appSecret: string;
  requests: DingtalkRequest[];
  deliveries: DingtalkDelivery[];
  /** The settings that point a minyi server at this fake (app key, secret, API base). */
  env: Record<string, string>;
  /** A session webhook URL for one conversation; `expiresAt` is what the callback will claim. */
  session(id: string, expiresAt?: number): { url: string; expiresAt: number };
  /** DingTalk's side of an expired session: POSTs to it are refused with an errcode. */
  refuseSession(id: string): void;
  /** The next request to `path` answers `status` (e.g. 429, 503). */
  failNext(path: string, status: number, headers?: Record<string, string>): void;
  tokensIssued(): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function seen(msgKey: string, p: Record<string, unknown>): { text: string; buttons: string[]; urls: string[] } {
  const s = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
  if (msgKey === 'sampleActionCard') return { text: s('text'), buttons: [s('singleTitle')], urls: [s('singleURL')] };
  const buttons: string[] = [];
  const urls: string[] = [];
  for (let i = 1; p[`actionTitle${i}`] !== undefined; i++) {
    buttons.push(s(`actionTitle${i}`));
    urls.push(s(`actionURL${i}`));
  }
  return { text: s('text') || s('content'), buttons, urls };
}

/** A loopback DingTalk: session webhooks, the OpenAPI token and the robot send endpoints. */
export async function startFakeDingtalk(opts: { appKey?: string; appSecret?: string } = {}): Promise<FakeDingtalk> {
  const appKey = opts.appKey ?? 'dingtestappkey0001';
  const appSecret = opts.appSecret ?? 'dt-test-secret';
  const requests: DingtalkRequest[] = [];
  const deliveries: DingtalkDelivery[] = [];
  const sessions = new Map<string, Session>();
  const tokens = new Set<string>();
  const failures = new Map<string, { status: number; headers: Record<string, string> }>();
  let url = '';

  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const u = new URL(req.url ?? '/', 'http://x');
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      requests.push({ method: req.method ?? '', path: u.pathname, query: Object.fromEntries(u.searchParams), headers: req.headers, body });
      const reply = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(data));
      };
      const fail = failures.get(u.pathname);
      if (fail) {
        failures.delete(u.pathname);
        return reply(fail.status, { code: 'Throttling', message: 'injected failure' }, fail.headers);
      }
      const b = (body ?? {}) as Record<string, unknown>;
      if (u.pathname === '/robot/sendBySession') {
        const id = u.searchParams.get('session') ?? '';
        const session = sessions.get(id);
        if (!session || session.refused) return reply(200, { errcode: 300001, errmsg: 'session expired' });
        const msgtype = String(b.msgtype);
        const inner = (b[msgtype] ?? {}) as Record<string, unknown>;
        const btns = Array.isArray(inner.btns) ? (inner.btns as Array<{ title: string; actionURL: string }>) : [];
        deliveries.push({ route: 'session', to: id, msgKey: msgtype, text: String(inner.text ?? inner.content ?? ''), buttons: btns.map((x) => x.title), urls: btns.map((x) => x.actionURL) });
        return reply(200, { errcode: 0, errmsg: 'ok' });
      }
      if (u.pathname === '/v1.0/oauth2/accessToken') {
        if (b.appKey !== appKey || b.appSecret !== appSecret) return reply(400, { code: 'invalidClientIdOrSecret', message: '无效的appKey或appSecret' });
        const token = `tok-${tokens.size + 1}`;
        tokens.add(token);
        return reply(200, { accessToken: token, expireIn: 7200 });
      }
      const isGroup = u.pathname === '/v1.0/robot/groupMessages/send';
      const isUser = u.pathname === '/v1.0/robot/oToMessages/batchSend';
      if (isGroup || isUser) {
        if (!tokens.has(String(req.headers['x-acs-dingtalk-access-token'] ?? ''))) return reply(401, { code: 'InvalidAuthentication', message: '不合法的access_token' });
        if (b.robotCode !== appKey) return reply(400, { code: 'invalidParameter', message: 'robotCode' });
        if (typeof b.msgParam !== 'string') return reply(400, { code: 'invalidParameter', message: 'msgParam must be a JSON string' });
        const param = JSON.parse(b.msgParam) as Record<string, unknown>;
        const msgKey = String(b.msgKey);
        const to = isGroup ? String(b.openConversationId) : (b.userIds as string[]).join(',');
        deliveries.push({ route: isGroup ? 'group' : 'user', to, msgKey, ...seen(msgKey, param) });
        return reply(200, isGroup ? { processQueryKey: `pqk-${deliveries.length}` } : { processQueryKey: `pqk-${deliveries.length}`, invalidStaffIdList: [], flowControlledStaffIdList: [] });
      }
      reply(404, { code: 'notFound', message: u.pathname });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    url, appKey, appSecret, requests, deliveries,
    env: { DINGTALK_APP_KEY: appKey, DINGTALK_APP_SECRET: appSecret, DINGTALK_API_BASE: url },
    session(id, expiresAt = Date.now() + 90 * 60_000) {
      sessions.set(id, { expiresAt, refused: false });
      return { url: `${url}/robot/sendBySession?session=${encodeURIComponent(id)}`, expiresAt };
    },
    refuseSession(id) {
      const s = sessions.get(id);
      if (s) s.refused = true;
      else sessions.set(id, { expiresAt: 0, refused: true });
    },
    failNext(path, status, headers = {}) {
      failures.set(path, { status, headers });
    },
    tokensIssued: () => tokens.size,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
