/** The Feishu app the Workers tests configure; the fake in global-setup.ts knows the same credentials. */
export const FEISHU_TEST = {
  appId: 'cli_worker_test_0001',
  appSecret: 'worker-test-app-secret',
  verificationToken: 'vtok_worker_test',
  encryptKey: 'worker-test-encrypt-key',
  botOpenId: 'ou_bot_minyi',
  memberOpenId: 'ou_member_li',
  chatId: 'oc_chat_p2p_li',
} as const;

const enc = new TextEncoder();
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const base64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));

/** Encrypts and signs an event as Feishu does (AES-256-CBC, SHA-256 signature over the raw body): WebCrypto only. */
export async function signedFeishuRequest(event: Record<string, unknown>): Promise<{ headers: Record<string, string>; body: string }> {
  const key = await crypto.subtle.importKey('raw', await crypto.subtle.digest('SHA-256', enc.encode(FEISHU_TEST.encryptKey)), { name: 'AES-CBC' }, false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, enc.encode(JSON.stringify(event))));
  const all = new Uint8Array(16 + ct.length);
  all.set(iv);
  all.set(ct, 16);
  const body = JSON.stringify({ encrypt: base64(all) });
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
  const signature = hex(await crypto.subtle.digest('SHA-256', enc.encode(ts + nonce + FEISHU_TEST.encryptKey + body)));
  return { body, headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature } };
}

/** An im.message.receive_v1 text message from a member in a 1:1 chat with the bot. */
export function feishuTextEvent(messageId: string, text: string): Record<string, unknown> {
  const now = String(Date.now());
  return {
    schema: '2.0',
    header: { event_id: `ev_${messageId}`, event_type: 'im.message.receive_v1', create_time: now, token: FEISHU_TEST.verificationToken, app_id: FEISHU_TEST.appId, tenant_key: 't' },
    event: {
      sender: { sender_id: { open_id: FEISHU_TEST.memberOpenId, union_id: 'on_x', user_id: '' }, sender_type: 'user', tenant_key: 't' },
      message: { message_id: messageId, create_time: now, chat_id: FEISHU_TEST.chatId, chat_type: 'p2p', message_type: 'text', content: JSON.stringify({ text }) },
    },
  };
}
