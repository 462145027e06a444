import type { WebhookRequest, WebhookResult, WebhookVerifier } from '../../core/ports.js';
import { dingtalkChatId, dingtalkSenderId } from './ids.js';
import { parseJsonBody, parseRobotMessage } from './parse.js';
import { verifyDingtalkHeaders } from './verify.js';

/**
 * `POST /webhooks/dingtalk`: headers first (401 and nothing written), then the body (400). The message key
 * is msgId: the signature does not cover the body, so a replayed body must dedupe on it.
 */
export function dingtalkVerifier(opts: { appSecret: string }): WebhookVerifier {
  return {
    platform: 'dingtalk',
    async handle(req: WebhookRequest): Promise<WebhookResult> {
      verifyDingtalkHeaders(req.headers, opts.appSecret, req.now);
      const body = parseJsonBody(req.rawBody);
      const m = parseRobotMessage(body);
      return { kind: 'message', key: m.msgId, chatId: dingtalkChatId(m), senderId: dingtalkSenderId(m), raw: body, body: {} };
    },
  };
}
