import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One message the fake delivered into a chat, as Feishu would show it. */
export interface FeishuPosted {
  messageId: string;
  via: 'reply' | 'create';
  /** The quoted message (reply) or the target chat (create). */
  parentId: string | null;
  chatId: string | null;
  /** For creates: chat_id (a group or chat) or open_id (a person 1:1). */
  receiveIdType: string | null;
  msgType: string;
  content: string;
  uuid: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
}

/** An item of GET /open-apis/im/v1/messages/{id}, as the real API returns it. */
export interface FakeItem {
  message_id: string;
  msg_type: string;
  create_time: string;
  chat_id?: string;
  upper_message_id?: string;
  sender: { id: string; id_type: 'open_id'; sender_type: 'user' | 'app' };
  body: { content: string };
  mentions?: { key: string; id: string; id_type: 'open_id'; name: string }[];
  deleted?: boolean;
}

export interface FakeFeishuOptions {
  appId: string;
  appSecret: string;
  botOpenId: string;
  /** Seconds a tenant token lives (Feishu: up to 7200). */
  tokenExpireSeconds?: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const REPLY_RE = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/;
const GET_RE = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/;
const USER_RE = /^\/open-apis\/contact\/v3\/users\/([^/]+)$/;

/**
 * A loopback Feishu Open API: tenant tokens (expiring, revocable), reply, create (deduped by uuid like Feishu),
 * get message (merged-forward items), user names, bot info. Records every request it receives.
 */
export class FakeFeishu {
  readonly requests: RecordedRequest[] = [];
  readonly posted: FeishuPosted[] = [];
  readonly messages = new Map<string, FakeItem[]>();
  readonly users = new Map<string, string>();
  /** Calls refused for an invalid or expired token. */
  rejectedTokens = 0;
  tokenExpireSeconds: number;
  /** Sends (reply/create) wait this long before being posted: lets a test kill the bot mid-send. */
  sendDelayMs = 0;
  /** While true, sends are answered 500 (an outage of the platform API). */
  failSends = false;
  private readonly tokens = new Map<string, number>();
  private readonly byUuid = new Map<string, FeishuPosted>();
  private tokenSeq = 0;
  private msgSeq = 0;
  private rateLimitNext: { resetSeconds: number } | null = null;
  private server: Server | null = null;
  url = '';

  constructor(readonly o: FakeFeishuOptions) {
    this.tokenExpireSeconds = o.tokenExpireSeconds ?? 7200;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 500, msg: String(error) }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  /** Every token issued so far stops working, as when Feishu rotates or expires them. */
  invalidateTokens(): void {
    this.tokens.clear();
  }

  /** The next send (reply or create) is answered 429 with x-ogw-ratelimit-reset. */
  rateLimitOnce(resetSeconds: number): void {
    this.rateLimitNext = { resetSeconds };
  }

  tokenRequests(): number {
    return this.requests.filter((r) => r.path.startsWith('/open-apis/auth/')).length;
  }

  /** Registers a bundle: the root merge_forward plus its flat descendants, served by GET message. */
  addMessage(items: FakeItem[]): void {
    this.messages.set(items[0]!.message_id, items);
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private authorized(req: IncomingMessage): boolean {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const expiresAt = this.tokens.get(token);
    return expiresAt !== undefined && Date.now() < expiresAt;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const text = await readBody(req);
    const body: unknown = text ? JSON.parse(text) : null;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, authorization: req.headers.authorization ?? null, body });
    const b = (body ?? {}) as Record<string, unknown>;

    if (req.method === 'POST' && url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') {
      if (b.app_id !== this.o.appId || b.app_secret !== this.o.appSecret) return this.json(res, 400, { code: 10014, msg: 'app secret invalid' });
      const token = `t-fake-${++this.tokenSeq}`;
      this.tokens.set(token, Date.now() + this.tokenExpireSeconds * 1000);
      return this.json(res, 200, { code: 0, msg: 'ok', tenant_access_token: token, expire: this.tokenExpireSeconds });
    }
    if (!this.authorized(req)) {
      this.rejectedTokens++;
      return this.json(res, 400, { code: 99991663, msg: 'Invalid access token for authorization. Please make a request with token attached.' });
    }

    const reply = REPLY_RE.exec(url.pathname);
    const isCreate = req.method === 'POST' && url.pathname === '/open-apis/im/v1/messages';
    if (req.method === 'POST' && (reply || isCreate)) {
      if (this.failSends) return this.json(res, 500, { code: 500, msg: 'internal error (fake outage)' });
      if (this.sendDelayMs) await new Promise((r) => setTimeout(r, this.sendDelayMs));
      if (this.rateLimitNext) {
        const reset = this.rateLimitNext.resetSeconds;
        this.rateLimitNext = null;
        return this.json(res, 429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-limit': '5', 'x-ogw-ratelimit-reset': String(reset) });
      }
      const uuid = typeof b.uuid === 'string' ? b.uuid : null;
      if (uuid && uuid.length > 50) return this.json(res, 400, { code: 230001, msg: 'uuid too long' });
      const again = uuid ? this.byUuid.get(uuid) : undefined;
      if (again) return this.json(res, 200, { code: 0, msg: 'success', data: { message_id: again.messageId } });
      const posted: FeishuPosted = {
        messageId: `om_bot_${++this.msgSeq}`, via: reply ? 'reply' : 'create', parentId: reply ? decodeURIComponent(reply[1]!) : null,
        chatId: isCreate ? String(b.receive_id) : null, receiveIdType: isCreate ? url.searchParams.get('receive_id_type') : null,
        msgType: String(b.msg_type), content: String(b.content), uuid,
      };
      this.posted.push(posted);
      if (uuid) this.byUuid.set(uuid, posted);
      return this.json(res, 200, { code: 0, msg: 'success', data: { message_id: posted.messageId, msg_type: posted.msgType } });
    }
    const get = GET_RE.exec(url.pathname);
    if (req.method === 'GET' && get) {
      const items = this.messages.get(decodeURIComponent(get[1]!));
      if (!items) return this.json(res, 400, { code: 230002, msg: 'The bot is not in the chat or the message does not exist' });
      return this.json(res, 200, { code: 0, msg: 'success', data: { items } });
    }
    const user = USER_RE.exec(url.pathname);
    if (req.method === 'GET' && user) {
      const name = this.users.get(decodeURIComponent(user[1]!));
      if (!name) return this.json(res, 400, { code: 41050, msg: 'no user authority error' });
      return this.json(res, 200, { code: 0, msg: 'success', data: { user: { open_id: user[1], name } } });
    }
    if (req.method === 'GET' && url.pathname === '/open-apis/bot/v3/info') {
      return this.json(res, 200, { code: 0, msg: 'ok', bot: { app_name: '民意助手', open_id: this.o.botOpenId, activate_status: 2 } });
    }
    return this.json(res, 404, { code: 404, msg: `fake has no ${req.method} ${url.pathname}` });
  }
}

/** What a person sees of a card: header and every text element, and the buttons' labels. */
export function readCard(content: string): { text: string; buttons: string[] } {
  const card = JSON.parse(content) as { header?: { title?: { content?: string } }; body?: { elements?: Record<string, unknown>[] } };
  const texts: string[] = [card.header?.title?.content ?? ''];
  const buttons: string[] = [];
  for (const el of card.body?.elements ?? []) {
    const t = el.text as { content?: string } | undefined;
    if (el.tag === 'button') buttons.push(t?.content ?? '');
    else if (typeof el.content === 'string') texts.push(el.content);
    else if (t?.content) texts.push(t.content);
  }
  return { text: texts.join('\n'), buttons };
}
