import { describe, expect, it } from 'vitest';
import { hasWords, messageText } from '../src/core/message-text.js';
import { maskResidentNames, residentNames, residentWords } from '../src/core/resident-words.js';
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

describe('residentWords: a bundle\'s words without its attribution', () => {
  const bundle: InboundMessage = message('', [
    { kind: 'text', text: '叶厝社区垃圾站三天没清运', senderName: '王建国', sentAt: 1_767_000_000_000, depth: 1 },
    { kind: 'text', text: '[聊天记录] 王建国和李秀英的聊天记录', senderName: '王建国', depth: 1 },
    { kind: 'text', text: '臭得不行。我是王建国', senderName: '李秀英', sentAt: 1_767_000_060_000, depth: 2 },
  ]);

  it('drops each line\'s name and time, a nested record\'s title and the platform\'s note, in the text or any piece of it', () => {
    const text = messageText({ ...bundle, truncated: true });
    expect(text).toContain('王建国 2025-12-29 17:20：叶厝社区');
    expect(residentWords(bundle, text)).toBe('叶厝社区垃圾站三天没清运\n臭得不行。我是王建国');
    expect(residentWords(bundle, text.slice(text.indexOf('  李秀英')))).toBe('臭得不行。我是王建国');
  });

  it('masks the bundle\'s display names wherever they occur; a single message is left as it is', () => {
    expect(maskResidentNames('臭得不行。我是王建国，李秀英也知道', residentNames(bundle))).toBe('臭得不行。我是王**，李**也知道');
    const single = message('王建国 2025-12-29 17:20：路灯坏了');
    expect(residentWords(single, single.text)).toBe(single.text);
    expect(residentNames(single)).toEqual([]);
  });
});
