/** The DingTalk app the Workers tests configure; the fake in global-setup.ts knows the same credentials. */
export const DINGTALK_TEST = {
  appKey: 'dingworkertestkey01',
  appSecret: 'worker-test-dingtalk-secret',
  staffId: '0420000777',
} as const;

const enc = new TextEncoder();

/** Signs a robot callback as DingTalk does (base64 HMAC-SHA256 of "timestamp\nappSecret"): WebCrypto only. */
export async function signedDingtalkRequest(callback: Record<string, unknown>): Promise<{ headers: Record<string, string>; body: string }> {
  const timestamp = String(Date.now());
  const key = await crypto.subtle.importKey('raw', enc.encode(DINGTALK_TEST.appSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(`${timestamp}\n${DINGTALK_TEST.appSecret}`)));
  return { body: JSON.stringify(callback), headers: { 'content-type': 'application/json', timestamp, sign: btoa(String.fromCharCode(...mac)) } };
}

/** A 1:1 text callback from a member; `session` is the reply webhook DingTalk hands out with it. */
export function dingtalkTextCallback(msgId: string, text: string, session: { url: string; expiresAt: number }): Record<string, unknown> {
  return {
    msgtype: 'text', text: { content: text }, msgId, conversationId: 'cidWorkerSingle01==', conversationType: '1',
    chatbotUserId: '$:LWCP_v1:$botWorkerTest', senderNick: '陈委员', senderStaffId: DINGTALK_TEST.staffId, senderId: '$:LWCP_v1:$senderWorker01',
    createAt: Date.now(), robotCode: DINGTALK_TEST.appKey, sessionWebhook: session.url, sessionWebhookExpiredTime: session.expiresAt,
  };
}
