import { formatShanghai } from './time.js';
import type { InboundMessage, MessagePart } from './types.js';

/** The line a nested chat record starts with, before its title. */
export const RECORD_TAG = '[聊天记录]';

const PLACEHOLDER: Record<MessagePart['kind'], string> = {
  text: '',
  image: '[图片]',
  file: '[文件]',
  audio: '[语音]',
  video: '[视频]',
  sticker: '[表情]',
  card: '[卡片]',
  other: '[消息]',
};

/** The `name time：` a bundle line starts with (empty without a sender); resident-words.ts takes it off again. */
export function attribution(p: MessagePart): string {
  const who = p.senderName ?? p.senderId;
  if (!who) return '';
  return `${who}${p.sentAt ? ` ${formatShanghai(p.sentAt)}` : ''}：`;
}

/** The line the platform adds when a forwarded chat record arrived incomplete. */
export const TRUNCATED_NOTE = '（平台提示：转发的聊天记录可能不完整）';

function partLine(p: MessagePart): string {
  const body = p.kind === 'text' ? p.text : `${PLACEHOLDER[p.kind]}${p.text ? ` ${p.text}` : ''}`;
  const indent = '  '.repeat(Math.max(0, p.depth - 1));
  return `${indent}${attribution(p)}${body}`;
}

/**
 * The text a record keeps: a single message as written; a merged forward as one line per resident with
 * sender and time, nested bundles indented, so every resident's words stay attributable.
 */
export function messageText(m: InboundMessage): string {
  const bundle = m.parts.length > 1 || m.parts.some((p) => p.depth > 0);
  if (!bundle) return m.text;
  const lines = m.parts.map(partLine);
  if (m.text.trim() && !m.parts.some((p) => p.text === m.text)) lines.unshift(m.text.trim());
  if (m.truncated) lines.push(TRUNCATED_NOTE);
  return lines.join('\n');
}

export function isBundle(m: InboundMessage): boolean {
  return m.parts.length > 1 || m.parts.some((p) => p.depth > 0);
}

/** Placeholders the channels write for what has no text (「[图片 img_…]」「[已撤回]」「[聊天记录] 标题」's tag). */
export const PLACEHOLDER_RE = /\[[^[\]\n]{0,40}\]/g;
/** A chat record's header line: its title is the platform's (「群聊的聊天记录」), not anyone's words. */
const RECORD_LINE_RE = new RegExp(`${RECORD_TAG.replace(/[[\]]/g, '\\$&')}[^\n]*`, 'g');
const WORD_RE = /[\p{L}\p{N}]/u;
const WORD_KINDS: ReadonlySet<MessagePart['kind']> = new Set(['text', 'card']);

const hasWord = (text: string): boolean => WORD_RE.test(text.replace(RECORD_LINE_RE, '').replace(PLACEHOLDER_RE, ''));

/**
 * Whether a message carries any words to file. A photo, a sticker, a bare @bot, a recalled message or a
 * bundle of those has none: filed, it would become a record about nothing that still asks for a town.
 */
export function hasWords(m: InboundMessage): boolean {
  if (m.parts.length === 0) return hasWord(m.text);
  return m.parts.some((p) => WORD_KINDS.has(p.kind) && hasWord(p.text));
}
