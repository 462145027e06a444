import type { ChannelAdapter, Messenger } from '../../core/ports.js';
import type { InboundMessage } from '../../core/types.js';
import { storedApiMessageSchema } from './api-message.js';

/** The generic JSON intake: the API caller is the sender; replies are read back, not pushed. */
export const httpChannel: ChannelAdapter = {
  platform: 'http',
  async normalize(raw: unknown): Promise<InboundMessage | null> {
    const m = storedApiMessageSchema.parse(raw);
    const chatId = `http:${m.chat?.id ?? m.sender.id}`;
    return {
      platform: 'http',
      key: m.key,
      chatId,
      chatType: m.chat?.type ?? 'p2p',
      senderId: `http:${m.sender.id}`,
      ...(m.sender.name ? { senderName: m.sender.name } : {}),
      text: m.text,
      parts: [{ kind: 'text', text: m.text, depth: 0 }],
      // An API caller addresses the bot by calling it.
      mentionsBot: true,
      sentAt: m.receivedAt,
      reply: { platform: 'http', chatId },
      ...(m.town ? { townHint: m.town } : {}),
    };
  },
};

export const httpMessenger: Messenger = {
  platform: 'http',
  async send() {
    return {};
  },
};
