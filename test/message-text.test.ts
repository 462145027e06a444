import { describe, expect, it } from 'vitest';
import { hasWords } from '../src/core/message-text.js';
import type { InboundMessage, MessagePart } from '../src/core/types.js';

const message = (text: string, parts: MessagePart[] = text ? [{ kind: 'text', text, depth: 0 }] : []): InboundMessage => ({
  platform: 'http', key: 'k', chatId: 'c', chatType: 'p2p', senderId: 's', text, parts, mentionsBot: true, sentAt: 0,
  reply: { platform: 'http', chatId: 'c' },
});

describe('hasWords: what can be filed', () => {
  it.each(['路灯坏了', '12345热线打不通', 'Wi-Fi坏了', '【紧急】井盖丢了'])('%s has words', (text) => {
    expect(hasWords(message(text))).toBe(true);
  });

  it.each(['', '   ', '\u200b\u200b', '\u0000\u0000', '😀😀👍', '。。。！', '[图片 img_v3_k1]', '[聊天记录] 群聊的聊天记录'])('%j has none', (text) => {
    expect(hasWords(message(text))).toBe(false);
  });

  it('a bundle has words when one of its texts does, not for its attachments, a recalled item or a nested record\'s title', () => {
    const attachment = (kind: MessagePart['kind'], text = ''): MessagePart => ({ kind, text, depth: 1 });
    const empty = [attachment('image'), attachment('sticker'), attachment('file', '情况说明.docx'), attachment('audio', '12秒'), attachment('other', '[已撤回]'), attachment('text', '[聊天记录] 群聊的聊天记录')];
    expect(hasWords(message('', empty))).toBe(false);
    expect(hasWords(message('', [...empty, attachment('text', '楼下噪音很大')]))).toBe(true);
  });
});
