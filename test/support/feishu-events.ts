import { FakeFeishu, type FakeItem, readCard } from '../fakes/fake-feishu.js';
import { startTestServer, type TestServer, type TestServerOptions } from './runtime.js';

export const FEISHU = {
  appId: 'cli_test_app_0001',
  appSecret: 'test-app-secret',
  verificationToken: 'vtok_test_0001',
  encryptKey: 'test-encrypt-key-0001',
  botOpenId: 'ou_bot_minyi',
  memberOpenId: 'ou_member_zhang',
  chatId: 'oc_chat_p2p_zhang',
} as const;

const enc = new TextEncoder();
let seq = 0;

/** A fresh Feishu-shaped message id (om_…). */
export function messageId(tag = 'msg'): string {
  return `om_${tag}_${Date.now().toString(36)}_${++seq}`;
}

/** One message of a merged forward as Feishu's GET /im/v1/messages/:id returns it; `upper` is the bundle it sits in. */
export function bundleItem(id: string, upper: string | undefined, type: string, content: unknown, sender: string, at: number): FakeItem {
  return {
    message_id: id, msg_type: type, create_time: String(at), chat_id: 'oc_resident_group',
    ...(upper ? { upper_message_id: upper } : {}),
    sender: { id: sender, id_type: 'open_id', sender_type: 'user' },
    body: { content: typeof content === 'string' ? content : JSON.stringify(content) },
  };
}

export interface EventOverrides {
  messageId?: string;
  chatId?: string;
  chatType?: 'p2p' | 'group';
  senderOpenId?: string;
  messageType?: string;
  /** An object is JSON-encoded as Feishu does; a string is sent as is (merge_forward's bare string). */
  content?: string | Record<string, unknown>;
  mentions?: { key: string; openId: string; name: string }[];
  parentId?: string;
  createTime?: number;
  token?: string;
  eventId?: string;
}

/** An im.message.receive_v1 event (schema 2.0) as Feishu delivers it, before encryption. */
export function buildFeishuEvent(o: EventOverrides = {}): Record<string, unknown> {
  const content = o.content ?? { text: '上头社区路口积水严重，下雨就过不去' };
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? `ev_${Date.now().toString(36)}_${++seq}`, event_type: 'im.message.receive_v1',
      create_time: String(o.createTime ?? Date.now()), token: o.token ?? FEISHU.verificationToken, app_id: FEISHU.appId, tenant_key: 'tenant_test',
    },
    event: {
      sender: { sender_id: { open_id: o.senderOpenId ?? FEISHU.memberOpenId, union_id: 'on_x', user_id: '' }, sender_type: 'user', tenant_key: 'tenant_test' },
      message: {
        message_id: o.messageId ?? messageId(), create_time: String(o.createTime ?? Date.now()),
        chat_id: o.chatId ?? FEISHU.chatId, chat_type: o.chatType ?? 'p2p', message_type: o.messageType ?? 'text',
        content: typeof content === 'string' ? content : JSON.stringify(content),
        ...(o.parentId ? { parent_id: o.parentId, root_id: o.parentId } : {}),
        ...(o.mentions ? { mentions: o.mentions.map((m) => ({ key: m.key, id: { open_id: m.openId, union_id: '', user_id: '' }, name: m.name, tenant_key: 'tenant_test' })) } : {}),
      },
    },
  };
}

/** A card.action.trigger callback for a button whose value is `value`. */
export function buildCardAction(value: Record<string, string>, o: { operatorOpenId?: string; messageId?: string; token?: string } = {}): Record<string, unknown> {
  return {
    schema: '2.0',
    header: { event_id: `ev_card_${++seq}`, event_type: 'card.action.trigger', create_time: String(Date.now() * 1000), token: o.token ?? FEISHU.verificationToken, app_id: FEISHU.appId, tenant_key: 'tenant_test' },
    event: {
      operator: { open_id: o.operatorOpenId ?? FEISHU.memberOpenId, tenant_key: 'tenant_test' }, token: 'c-update-token',
      action: { value, tag: 'button', name: 'btn_0' }, host: 'im_message',
      context: { open_message_id: o.messageId ?? 'om_card_1', open_chat_id: FEISHU.chatId },
    },
  };
}

/** AES-256-CBC with key SHA-256(encryptKey), random IV, base64(iv ‖ ciphertext): Feishu's algorithm. */
export async function encryptFeishu(encryptKey: string, plain: string): Promise<string> {
  const keyBytes = await crypto.subtle.digest('SHA-256', enc.encode(encryptKey));
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'AES-CBC' }, false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, enc.encode(plain)));
  const all = new Uint8Array(16 + ct.length);
  all.set(iv);
  all.set(ct, 16);
  return Buffer.from(all).toString('base64');
}

export async function signFeishu(timestamp: string, nonce: string, encryptKey: string, body: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', enc.encode(timestamp + nonce + encryptKey + body));
  return Buffer.from(d).toString('hex');
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export interface SignOptions {
  encrypt?: boolean;
  /** Sign with this key instead of the configured one (a forged request). */
  signKey?: string;
  /** Unix seconds in the timestamp header. */
  timestamp?: number;
  /** Leave the signature headers out (Feishu does for some challenges). */
  unsigned?: boolean;
}

/** Encrypts (by default) and signs a payload as Feishu does; a string payload is sent verbatim (malformed JSON). */
export async function signed(payload: Record<string, unknown> | string, o: SignOptions = {}): Promise<SignedRequest> {
  const plain = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const body = o.encrypt === false || typeof payload === 'string' ? plain : JSON.stringify({ encrypt: await encryptFeishu(FEISHU.encryptKey, plain) });
  if (o.unsigned) return { headers: { 'content-type': 'application/json' }, body };
  const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': ts,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': await signFeishu(ts, nonce, o.signKey ?? FEISHU.encryptKey, body),
    },
  };
}

export function postFeishu(url: string, req: SignedRequest): Promise<Response> {
  return fetch(`${url}/webhooks/feishu`, { method: 'POST', headers: req.headers, body: req.body });
}

export interface FeishuHarness {
  server: TestServer;
  fake: FakeFeishu;
  close(): Promise<void>;
  post(payload: Record<string, unknown> | string, o?: SignOptions): Promise<Response>;
  count(table: string): number;
}

/** The real server with FEISHU_* set and FEISHU_DOMAIN pointing at a fresh fake Feishu. */
export async function startFeishuHarness(opts: { tokenExpireSeconds?: number; server?: TestServerOptions } = {}): Promise<FeishuHarness> {
  const fake = await new FakeFeishu({ appId: FEISHU.appId, appSecret: FEISHU.appSecret, botOpenId: FEISHU.botOpenId, ...(opts.tokenExpireSeconds ? { tokenExpireSeconds: opts.tokenExpireSeconds } : {}) }).start();
  fake.users.set(FEISHU.memberOpenId, '张委员');
  const server = await startTestServer({
    ...opts.server,
    env: {
      FEISHU_APP_ID: FEISHU.appId, FEISHU_APP_SECRET: FEISHU.appSecret, FEISHU_VERIFICATION_TOKEN: FEISHU.verificationToken,
      FEISHU_ENCRYPT_KEY: FEISHU.encryptKey, FEISHU_DOMAIN: fake.url, ...opts.server?.env,
    },
  });
  return {
    server, fake,
    post: async (payload, o) => postFeishu(server.url, await signed(payload, o)),
    count: (table) => (server.runtime.sqlite.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    close: async () => {
      await server.close();
      await fake.close();
    },
  };
}

const CODE_RE = /[A-Z]{1,6}-\d{4}-\d{4,}/;

/** The card the bot posted in reply to `messageId`, as the member reads it. */
export function replyTo(fake: FakeFeishu, id: string): { text: string; buttons: string[]; values: Record<string, string>[] }[] {
  return fake.posted.filter((p) => p.parentId === id).map((p) => {
    const card = JSON.parse(p.content) as { body: { elements: { tag: string; behaviors?: { value: Record<string, string> }[] }[] } };
    const values = card.body.elements.filter((e) => e.tag === 'button').map((e) => e.behaviors![0]!.value);
    return { ...readCard(p.content), values };
  });
}

/** The record the member's receipt names, through the staff API: what the office sees. */
export async function recordFromReceipt(h: FeishuHarness, id: string): Promise<{ code: string; textMasked: string; status: string; townName: string | null; categoryName: string }> {
  const [card] = replyTo(h.fake, id);
  const code = CODE_RE.exec(card?.text ?? '')?.[0];
  if (!code) throw new Error(`no receipt with a record code for ${id}: ${card?.text ?? '(nothing posted)'}`);
  const res = await h.server.api(`/api/records/${code}`);
  return ((await res.json()) as { record: { code: string; textMasked: string; status: string; townName: string | null; categoryName: string } }).record;
}
