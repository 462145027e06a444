import { PayloadError, SignatureError } from '../../core/errors.js';
import type { WebhookRequest, WebhookResult, WebhookVerifier } from '../../core/ports.js';
import type { RecordView } from '../../core/types.js';
import { feishuId } from './normalize.js';
import { type CardActionEvent, encryptedSchema, parseEnvelope, parseJson } from './parse.js';
import { updatedReceiptCard } from './render-card.js';
import { checkToken, decryptFeishu, verifySignature } from './verify.js';

export interface FeishuVerifierOptions {
  verificationToken: string;
  /** Strongly recommended: without it Feishu neither signs nor encrypts, and only the token authenticates. */
  encryptKey?: string;
}

function choiceOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]));
}

function actionResult(event: CardActionEvent): WebhookResult {
  const ctx = event.context;
  return {
    kind: 'action',
    actorId: feishuId(event.operator.open_id),
    actorName: null,
    choice: choiceOf(event.action.value),
    target: ctx?.open_chat_id ? { platform: 'feishu', chatId: feishuId(ctx.open_chat_id), ...(ctx.open_message_id ? { messageId: ctx.open_message_id } : {}) } : null,
    // Feishu wants this within 3 s: a toast, and the card redrawn as the record now stands.
    respond({ record, error, message }: { record: RecordView | null; error: string | null; message?: string }) {
      if (!error && message) return { toast: { type: 'success', content: message.slice(0, 60) } };
      if (error || !record) return { toast: { type: 'error', content: error ?? '操作失败' } };
      return { toast: { type: 'success', content: `已更新 ${record.code}` }, card: { type: 'raw', data: updatedReceiptCard(record) } };
    },
  };
}

/**
 * POST /webhooks/feishu: signature over the raw bytes (when signed), decrypt, Verification Token, then one of
 * challenge / message / card action / ignored. Never touches the store; failures throw SignatureError (401)
 * or PayloadError (400) before anything is written.
 */
export function feishuVerifier(o: FeishuVerifierOptions): WebhookVerifier {
  return {
    platform: 'feishu',
    async handle(req: WebhookRequest): Promise<WebhookResult> {
      const signed = req.headers.has('x-lark-signature');
      // Verify before parsing whenever Feishu signed; only a url_verification may arrive unsigned
      // (the official Go SDK skips the signature for challenges and authenticates them by token).
      if (o.encryptKey && signed) verifySignature({ headers: req.headers, rawBody: req.rawBody, encryptKey: o.encryptKey, now: req.now });
      let body = parseJson(req.rawBody);
      const encrypted = encryptedSchema.safeParse(body);
      if (encrypted.success) {
        if (!o.encryptKey) throw new PayloadError('encrypted Feishu event but FEISHU_ENCRYPT_KEY is not set');
        let plain: string;
        try {
          plain = decryptFeishu(o.encryptKey, encrypted.data.encrypt);
        } catch {
          throw new SignatureError('Feishu payload does not decrypt with our Encrypt Key');
        }
        body = parseJson(plain);
      }
      const env = parseEnvelope(body);
      checkToken(env.token, o.verificationToken);
      if (env.kind === 'challenge') return { kind: 'respond', status: 200, body: { challenge: env.challenge } };
      if (o.encryptKey && !signed) throw new SignatureError('unsigned Feishu event');
      switch (env.kind) {
        case 'message': {
          const ids = env.event.sender.sender_id;
          const sender = ids.open_id ?? ids.user_id ?? ids.union_id;
          if (!sender) throw new PayloadError('Feishu message without a sender id');
          // The stored raw is the decrypted event, so normalisation never needs the key again.
          return { kind: 'message', key: env.event.message.message_id, chatId: feishuId(env.event.message.chat_id), senderId: feishuId(sender), raw: body };
        }
        case 'card_action':
          return actionResult(env.event);
        case 'other':
          return { kind: 'ignored', reason: `feishu event ${env.eventType}` };
      }
    },
  };
}
