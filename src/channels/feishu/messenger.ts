import { createHash } from 'node:crypto';
import type { Messenger, SentMessage } from '../../core/ports.js';
import type { OutgoingReply } from '../../core/replies.js';
import type { ReplyTarget } from '../../core/types.js';
import type { FeishuApi } from './api-client.js';
import { renderCard } from './render-card.js';

/** Feishu allows 5 messages per second per chat, shared by every bot in it (docs/platforms.md §1.8). */
const CHAT_LIMIT = 5;
const CHAT_WINDOW_MS = 1000;
const PREFIX_RE = /^feishu:/;

/** Feishu's uuid is at most 50 characters; a hash of the idempotency key fits and is stable across retries. */
export function idempotencyUuid(key: string): string {
  return `my-${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40)}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Spaces sends per chat inside this process; Feishu's 429 (retried by the job queue) covers the rest. */
class ChatPacer {
  private readonly sent = new Map<string, number[]>();
  async wait(chatId: string): Promise<void> {
    for (;;) {
      const now = Date.now();
      const recent = (this.sent.get(chatId) ?? []).filter((t) => now - t < CHAT_WINDOW_MS);
      if (recent.length < CHAT_LIMIT) {
        recent.push(now);
        this.sent.set(chatId, recent);
        return;
      }
      await sleep(CHAT_WINDOW_MS - (now - recent[0]!) + 1);
    }
  }
}

/** Replies in the member's thread (quoting their message) when there is one, else posts to the chat or 1:1 to a person. */
export function feishuMessenger(api: FeishuApi): Messenger {
  const pacer = new ChatPacer();
  return {
    platform: 'feishu',
    async send(target: ReplyTarget, reply: OutgoingReply, key: string): Promise<SentMessage> {
      const chatId = target.chatId.replace(PREFIX_RE, '');
      const body = { msgType: 'interactive', content: JSON.stringify(renderCard(reply)), uuid: idempotencyUuid(key) };
      await pacer.wait(chatId);
      const direct = !target.messageId && target.chatType === 'p2p' && target.userId ? target.userId.replace(PREFIX_RE, '') : null;
      const sent = target.messageId
        ? await api.reply(target.messageId, body)
        : direct
          ? await api.create(direct, body, 'open_id')
          : await api.create(chatId, body);
      return sent.messageId ? { messageId: sent.messageId } : {};
    },
  };
}
