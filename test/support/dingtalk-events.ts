import { createHmac } from 'node:crypto';

/**
 * Builders for DingTalk robot callbacks. Signing uses node:crypto, independent of the WebCrypto code under
 * test, with the documented algorithm: base64(HmacSHA256(appSecret, timestamp + "\n" + appSecret)).
 */
export function signDingtalk(timestampMs: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`${timestampMs}\n${appSecret}`).digest('base64');
}

let seq = 0;

export interface MessageOptions {
  msgId?: string;
  group?: boolean;
  conversationId?: string;
  staffId?: string;
  senderNick?: string;
  session?: { url: string; expiresAt: number };
  createAt?: number;
  robotCode?: string;
  atBot?: boolean;
}

const BOT_ID = '$:LWCP_v1:$botTESTdingtalkId0001';

/** A robot callback body; `msgtype`-specific fields come from the helpers below. */
export function robotMessage(typed: Record<string, unknown>, o: MessageOptions = {}): Record<string, unknown> {
  seq += 1;
  const createAt = o.createAt ?? Date.now();
  const group = o.group ?? false;
  return {
    conversationId: o.conversationId ?? (group ? 'cidTESTgroup0001==' : 'cidTESTsingle0001=='),
    chatbotCorpId: 'dingtestcorp0001',
    chatbotUserId: BOT_ID,
    msgId: o.msgId ?? `msgTEST${Date.now()}${seq}==`,
    senderNick: o.senderNick ?? '陈委员',
    isAdmin: false,
    senderStaffId: o.staffId ?? '0420000297',
    sessionWebhookExpiredTime: o.session?.expiresAt ?? createAt + 90 * 60_000,
    createAt,
    senderCorpId: 'dingtestcorp0001',
    conversationType: group ? '2' : '1',
    senderId: '$:LWCP_v1:$senderTEST0001',
    sessionWebhook: o.session?.url ?? 'https://oapi.dingtalk.com/robot/sendBySession?session=unused',
    robotCode: o.robotCode ?? 'dingtestappkey0001',
    ...(group ? { conversationTitle: '灌口镇政协联络组', isInAtList: o.atBot ?? true, atUsers: o.atBot === false ? [] : [{ dingtalkId: BOT_ID }] } : {}),
    ...typed,
  };
}

export const textBody = (content: string) => ({ msgtype: 'text', text: { content } });

export interface RecordEntry {
  name: string;
  text?: string;
  at?: number;
  type?: string;
  content?: unknown;
}

/** A chatRecord `content`: both `chatRecord` and `summary` are JSON-encoded strings, as DingTalk sends them. */
export function chatRecordContent(title: string, entries: RecordEntry[], opts: { summaryFor?: RecordEntry[] } = {}): Record<string, unknown> {
  const list = entries.map((e, i) => ({
    senderId: `$:LWCP_v1:$res${i}`, senderName: e.name, msgType: e.type ?? 'text',
    content: e.content ?? e.text ?? '', createAt: e.at ?? 1_767_000_000_000 + i * 60_000,
  }));
  const summary = (opts.summaryFor ?? entries).map((e) => `${e.name}:${e.text ?? '[聊天记录]'}`);
  return { title, summary: JSON.stringify(summary), chatRecord: JSON.stringify(list) };
}

export const chatRecordBody = (content: Record<string, unknown>) => ({ msgtype: 'chatRecord', isForwardMsg: '1', content });

export interface PostOptions {
  secret: string;
  timestamp?: number;
  /** Replace or drop (undefined) headers. */
  headers?: Record<string, string | undefined>;
}

/** POSTs a signed callback to the server's /webhooks/dingtalk. */
export async function postDingtalk(serverUrl: string, body: unknown, o: PostOptions): Promise<Response> {
  const ts = String(o.timestamp ?? Date.now());
  const headers: Record<string, string | undefined> = { 'content-type': 'application/json; charset=utf-8', timestamp: ts, sign: signDingtalk(ts, o.secret), ...o.headers };
  const clean = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
  return fetch(`${serverUrl}/webhooks/dingtalk`, { method: 'POST', headers: clean, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
