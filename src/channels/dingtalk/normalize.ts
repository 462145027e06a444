import type { InboundMessage, MessagePart, ReplyTarget } from '../../core/types.js';
import { RECORD_TAG } from '../../core/message-text.js';
import { findRecordCode } from '../../core/record-code.js';
import { decodeChatRecord, summaryParts } from './chat-record.js';
import { dingtalkChatId, dingtalkSenderId } from './ids.js';
import {
  audioContentSchema,
  chatRecordContentSchema,
  decodeMaybeJson,
  fileContentSchema,
  parseRobotMessage,
  pictureContentSchema,
  type RobotMessage,
  richTextContentSchema,
  unknownContentSchema,
  videoContentSchema,
} from './parse.js';

// In groups DingTalk usually removes the robot's @ but leaves the space; some clients keep "@机器人名 ".
const LEADING_MENTION_RE = /^@\S+\s+/;

export const INCOMPLETE_RECORD_NOTICE = '钉钉转来的这份聊天记录不完整：有的消息只在摘要里，或没有转来。已按收到的内容登记；如有遗漏，请把聊天记录再转发给我一次。';

export const FORWARD_RECORD_NOTICE = '群里回复聊天记录时，我只能看到它的摘要。请把这份聊天记录单独转发给我（1 对 1 私聊），我会补全每位群众的原话。';

interface Body {
  text: string;
  parts: MessagePart[];
  repliesToRecord?: string;
  truncated?: boolean;
  unsupported?: string;
  notice?: string;
}

function content<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, m: RobotMessage): T | null {
  const r = schema.safeParse(decodeMaybeJson(m.content));
  return r.success ? r.data : null;
}

function mentionsBot(m: RobotMessage): boolean {
  if (m.conversationType !== '2') return true;
  if (m.isInAtList !== undefined) return m.isInAtList;
  return Boolean(m.chatbotUserId && m.atUsers?.some((u) => u.dingtalkId === m.chatbotUserId));
}

/**
 * The record a quoted message of the bot's is about: the first code in its text (a receipt or an update names its
 * own record first). Only the bot's own messages count: a code quoted from a person is just words.
 */
function botMessageRecord(m: RobotMessage, replied: NonNullable<NonNullable<RobotMessage['text']>['repliedMsg']>): string | null {
  if (!m.chatbotUserId || replied.senderId !== m.chatbotUserId) return null;
  return findRecordCode(typeof replied.content === 'string' ? replied.content : JSON.stringify(replied.content ?? ''));
}

function textBody(m: RobotMessage): Body {
  let text = (m.text?.content ?? '').trim();
  if (m.conversationType === '2' && m.atUsers?.length && m.atUsers.every((u) => u.dingtalkId === m.chatbotUserId)) text = text.replace(LEADING_MENTION_RE, '');
  const replied = m.text?.repliedMsg;
  if (!m.text?.isReplyMsg || replied?.msgType !== 'chatRecord') {
    const code = replied && m.text?.isReplyMsg ? botMessageRecord(m, replied) : null;
    return { text, parts: text ? [{ kind: 'text', text, depth: 0 }] : [], ...(code ? { repliesToRecord: code } : {}) };
  }
  // A group reply to a chat record carries only its title and summary: file what we have, ask for the rest.
  const rc = chatRecordContentSchema.safeParse(decodeMaybeJson(replied.content));
  const title = rc.success ? rc.data.title : undefined;
  const parts = rc.success ? summaryParts(rc.data.summary, 1) : [];
  const note = [text, title ? `${RECORD_TAG} ${title}` : RECORD_TAG].filter(Boolean).join('\n');
  return { text: note, parts, truncated: true, notice: FORWARD_RECORD_NOTICE };
}

function bodyOf(m: RobotMessage): Body {
  switch (m.msgtype) {
    case 'text':
      return textBody(m);
    case 'richText': {
      const items = content(richTextContentSchema, m)?.richText ?? [];
      const parts: MessagePart[] = items.flatMap((r): MessagePart[] => {
        if (r.type === 'picture' || r.downloadCode || r.pictureDownloadCode) {
          const key = r.downloadCode ?? r.pictureDownloadCode;
          return [{ kind: 'image', text: '', depth: 0, ...(key ? { resourceKey: key } : {}) }];
        }
        return r.text?.trim() ? [{ kind: 'text', text: r.text.trim(), depth: 0 }] : [];
      });
      return { text: parts.map((p) => (p.kind === 'image' ? '[图片]' : p.text)).join('\n'), parts };
    }
    case 'picture': {
      const c = content(pictureContentSchema, m);
      const key = c?.downloadCode ?? c?.pictureDownloadCode;
      return { text: '', parts: [{ kind: 'image', text: '', depth: 0, ...(key ? { resourceKey: key } : {}) }], unsupported: '图片' };
    }
    case 'file': {
      const c = content(fileContentSchema, m);
      return { text: '', parts: [{ kind: 'file', text: c?.fileName ?? '', depth: 0, ...(c?.downloadCode ? { resourceKey: c.downloadCode } : {}) }], unsupported: `文件${c?.fileName ? ` ${c.fileName}` : ''}` };
    }
    case 'audio': {
      const c = content(audioContentSchema, m);
      const said = c?.recognition?.trim() ?? '';
      // Recognised speech is the resident's words, so it is text; a voice without it is only an attachment.
      const part: MessagePart = { kind: said ? 'text' : 'audio', text: said, depth: 0, ...(c?.downloadCode ? { resourceKey: c.downloadCode } : {}) };
      return said ? { text: said, parts: [part] } : { text: '', parts: [part], unsupported: '语音（未识别出文字）' };
    }
    case 'video': {
      const c = content(videoContentSchema, m);
      return { text: '', parts: [{ kind: 'video', text: '', depth: 0, ...(c?.downloadCode ? { resourceKey: c.downloadCode } : {}) }], unsupported: '视频' };
    }
    case 'chatRecord': {
      const r = decodeChatRecord(m.content, 1);
      // Seen in the wild: a chat record whose entries did not survive the forward (summary and list empty).
      if (r.parts.length === 0) return { text: '', parts: [], unsupported: '内容为空的聊天记录' };
      // Tagged like a nested record's title: the platform's label (「王建国和李秀英的聊天记录」), not residents' words.
      // Said after the answer (receipt, "+1" or question alike), so the member knows to forward it again.
      return { text: r.title ? `${RECORD_TAG} ${r.title}` : '', parts: r.parts, truncated: r.truncated, ...(r.truncated ? { notice: INCOMPLETE_RECORD_NOTICE } : {}) };
    }
    case 'unknownMsgType':
      return { text: '', parts: [], unsupported: content(unknownContentSchema, m)?.unknownMsgType ?? '钉钉暂不支持的消息类型' };
    default:
      return { text: '', parts: [], unsupported: m.msgtype };
  }
}

export function replyTargetOf(m: RobotMessage): ReplyTarget {
  return {
    platform: 'dingtalk',
    chatId: dingtalkChatId(m),
    messageId: m.msgId,
    chatType: m.conversationType === '2' ? 'group' : 'p2p',
    ...(m.sessionWebhook ? { sessionWebhook: m.sessionWebhook } : {}),
    ...(m.sessionWebhookExpiredTime ? { sessionWebhookExpiresAt: m.sessionWebhookExpiredTime } : {}),
    ...(m.senderStaffId ? { userId: m.senderStaffId } : {}),
  };
}

/** One robot callback → the one normalised message. */
export function normalizeRobotMessage(raw: unknown): InboundMessage {
  const m = parseRobotMessage(raw);
  const body = bodyOf(m);
  return {
    platform: 'dingtalk',
    key: m.msgId,
    chatId: dingtalkChatId(m),
    chatType: m.conversationType === '2' ? 'group' : 'p2p',
    senderId: dingtalkSenderId(m),
    ...(m.senderNick ? { senderName: m.senderNick } : {}),
    text: body.text,
    parts: body.parts,
    mentionsBot: mentionsBot(m),
    sentAt: m.createAt ?? Date.now(),
    reply: replyTargetOf(m),
    ...(body.truncated ? { truncated: true } : {}),
    ...(body.unsupported ? { unsupported: body.unsupported } : {}),
    ...(body.notice ? { notice: body.notice } : {}),
    ...(body.repliesToRecord ? { repliesToRecord: body.repliesToRecord } : {}),
  };
}
