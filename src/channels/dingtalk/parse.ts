import { z } from 'zod';
import { PayloadError } from '../../core/errors.js';

/**
 * The robot callback body (HTTP mode) and the `data` of a Stream CALLBACK frame share this shape
 * (platforms.md §3.3). Unknown fields pass through: DingTalk adds fields without notice.
 */
const repliedMsgSchema = z.looseObject({
  msgId: z.string().optional(),
  msgType: z.string().optional(),
  senderId: z.string().optional(),
  content: z.unknown().optional(),
});

export const robotMessageSchema = z.looseObject({
  msgId: z.string().min(1),
  msgtype: z.string().min(1),
  conversationId: z.string().min(1),
  conversationType: z.union([z.string(), z.number()]).transform(String),
  conversationTitle: z.string().optional(),
  senderId: z.string().min(1),
  senderNick: z.string().optional(),
  senderStaffId: z.string().optional(),
  createAt: z.coerce.number().optional(),
  sessionWebhook: z.string().optional(),
  sessionWebhookExpiredTime: z.coerce.number().optional(),
  robotCode: z.string().optional(),
  chatbotUserId: z.string().optional(),
  isInAtList: z.boolean().optional(),
  atUsers: z.array(z.looseObject({ dingtalkId: z.string().optional(), staffId: z.string().optional() })).optional(),
  text: z.looseObject({
    content: z.string().default(''),
    isReplyMsg: z.boolean().optional(),
    repliedMsg: repliedMsgSchema.optional(),
  }).optional(),
  content: z.unknown().optional(),
});

export type RobotMessage = z.infer<typeof robotMessageSchema>;

export const pictureContentSchema = z.looseObject({ downloadCode: z.string().optional(), pictureDownloadCode: z.string().optional() });
export const fileContentSchema = z.looseObject({ fileName: z.string().optional(), downloadCode: z.string().optional(), spaceId: z.string().optional(), fileId: z.string().optional() });
export const audioContentSchema = z.looseObject({ downloadCode: z.string().optional(), recognition: z.string().optional(), duration: z.coerce.number().optional() });
export const videoContentSchema = z.looseObject({ downloadCode: z.string().optional(), duration: z.coerce.number().optional(), videoType: z.string().optional() });
export const richTextContentSchema = z.looseObject({
  richText: z.array(z.looseObject({ text: z.string().optional(), type: z.string().optional(), downloadCode: z.string().optional(), pictureDownloadCode: z.string().optional() })).default([]),
});
export const unknownContentSchema = z.looseObject({ unknownMsgType: z.string().optional() });

/** `content.chatRecord` and `content.summary` arrive as JSON-encoded strings (platforms.md §3.7). */
export const chatRecordContentSchema = z.looseObject({
  title: z.string().optional(),
  summary: z.unknown().optional(),
  chatRecord: z.unknown().optional(),
});

export const chatRecordEntrySchema = z.looseObject({
  senderId: z.string().optional(),
  senderName: z.string().optional(),
  senderNick: z.string().optional(),
  msgType: z.string().optional(),
  msgtype: z.string().optional(),
  content: z.unknown().optional(),
  createAt: z.coerce.number().optional(),
});
export type ChatRecordEntry = z.infer<typeof chatRecordEntrySchema>;

/** Parses a verified callback body; a malformed body is the sender's fault (400), never a crash. */
export function parseRobotMessage(raw: unknown): RobotMessage {
  const parsed = robotMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PayloadError(`invalid DingTalk robot message: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unreadable'}`);
  }
  return parsed.data;
}

export function parseJsonBody(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    throw new PayloadError('DingTalk callback body is not JSON');
  }
}

/** Decodes a value that may be a JSON string or already structured; a bad string stays a string. */
export function decodeMaybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!t.startsWith('[') && !t.startsWith('{')) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}
