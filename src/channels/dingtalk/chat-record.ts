import type { MessagePart } from '../../core/types.js';
import { RECORD_TAG } from '../../core/message-text.js';
import { type ChatRecordEntry, chatRecordContentSchema, chatRecordEntrySchema, decodeMaybeJson } from './parse.js';

/** A forwarded bundle flattened to one part per resident message, nested bundles one level deeper. */
export interface DecodedChatRecord {
  title: string | undefined;
  parts: MessagePart[];
  /** Entries missing or unreadable: DingTalk is known to drop some (stream-sdk-python issue #73). */
  truncated: boolean;
}

// "李四:登录页要支持扫码" — summary lines are name-colon-text; names are short.
const SUMMARY_LINE_RE = /^([^:：\n]{1,30})[:：]\s*([\s\S]*)$/;
const MAX_DEPTH = 5;

/**
 * Heads the summary lines no entry of the list carries, which sit one level deeper beneath it: a bracketed
 * placeholder, so it reads as no one's words (like a nested record's header) while the lines stay residents'.
 */
export const SUMMARY_ONLY_TAG = '[以下仅见于聊天记录摘要，钉钉未转来原消息]';
const PLACEHOLDER_RE = /\[[^[\]\n]{0,40}\]/g;
const WORD_RE = /[\p{L}\p{N}]/u;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `summary` is a JSON-encoded array of "name:text" strings, or plain text with one line per message. */
export function summaryLines(summary: unknown): string[] {
  const decoded = decodeMaybeJson(summary);
  const lines = Array.isArray(decoded) ? decoded.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))) : typeof decoded === 'string' ? decoded.split('\n') : [];
  return lines.map((l) => l.trim()).filter((l) => l.length > 0);
}

export function summaryParts(summary: unknown, depth: number): MessagePart[] {
  return summaryLines(summary).map((line) => {
    const m = SUMMARY_LINE_RE.exec(line);
    return m ? { kind: 'text', text: m[2]!.trim(), senderName: m[1]!.trim(), depth } : { kind: 'text', text: line, depth };
  });
}

/**
 * The summary's lines that no entry of the list accounts for: DingTalk dropped those entries (stream-sdk-python
 * issue #73), not the residents' words. A line matches an unused entry of the same sender whose text it
 * begins (summaries may cut long messages short); placeholder-only lines (「[图片]」「[聊天记录]」) carry no words.
 */
function summaryOnly(summary: unknown, listed: MessagePart[], depth: number): MessagePart[] {
  const pool = listed.filter((p) => p.depth === depth);
  const used = new Set<MessagePart>();
  return summaryParts(summary, depth + 1).filter((line) => {
    const words = line.text.replace(/(?:\.\.\.|…)+$/u, '').trim();
    if (!WORD_RE.test(words.replace(PLACEHOLDER_RE, ''))) return false;
    const match = pool.find((p) => {
      const said = p.text.trim();
      const sameSender = !line.senderName || !p.senderName || p.senderName === line.senderName;
      return !used.has(p) && sameSender && said.length > 0 && (said.startsWith(words) || words.startsWith(said));
    });
    if (match) used.add(match);
    return !match;
  });
}

function entries(chatRecord: unknown): ChatRecordEntry[] {
  const decoded = decodeMaybeJson(chatRecord);
  if (!Array.isArray(decoded)) return [];
  return decoded.flatMap((e) => {
    const parsed = chatRecordEntrySchema.safeParse(decodeMaybeJson(e));
    return parsed.success ? [parsed.data] : [];
  });
}

function textOf(content: unknown): string {
  const c = decodeMaybeJson(content);
  if (typeof c === 'string') return c;
  if (c && typeof c === 'object') {
    const o = c as Record<string, unknown>;
    if (Array.isArray(o.richText)) return o.richText.map((r) => (r && typeof r === 'object' ? str((r as Record<string, unknown>).text) ?? '' : '')).join('');
    return str(o.content) ?? str(o.text) ?? str(o.recognition) ?? str(o.fileName) ?? str(o.unknownMsgType) ?? '';
  }
  return '';
}

function resourceOf(content: unknown): string | undefined {
  const c = decodeMaybeJson(content);
  if (!c || typeof c !== 'object') return undefined;
  const o = c as Record<string, unknown>;
  return str(o.downloadCode) ?? str(o.pictureDownloadCode);
}

const KIND: Record<string, MessagePart['kind']> = {
  text: 'text', richText: 'text', markdown: 'text', picture: 'image', image: 'image', file: 'file', audio: 'audio', voice: 'audio', video: 'video',
};

/** Decodes `content` of a chatRecord message (or of a nested chatRecord entry). */
export function decodeChatRecord(content: unknown, depth = 1): DecodedChatRecord {
  const parsed = chatRecordContentSchema.safeParse(decodeMaybeJson(content));
  if (!parsed.success) return { title: undefined, parts: [], truncated: true };
  const { title, summary, chatRecord } = parsed.data;
  const list = entries(chatRecord);
  const fromSummary = summaryLines(summary);
  // No readable entries: the summary is all the platform gave us, and it is a digest, not the full text.
  if (list.length === 0) return { title, parts: summaryParts(summary, depth), truncated: true };
  let truncated = fromSummary.length > list.length;
  const parts: MessagePart[] = [];
  for (const e of list) {
    const type = e.msgType ?? e.msgtype ?? 'text';
    const who = {
      ...(e.senderId ? { senderId: e.senderId } : {}),
      ...((e.senderName ?? e.senderNick) ? { senderName: (e.senderName ?? e.senderNick)! } : {}),
      ...(e.createAt ? { sentAt: e.createAt } : {}),
    };
    if (type === 'chatRecord' && depth < MAX_DEPTH) {
      const nested = decodeChatRecord(e.content, depth + 1);
      parts.push({ kind: 'text', text: `${RECORD_TAG} ${nested.title ?? ''}`.trim(), depth, ...who }, ...nested.parts);
      truncated ||= nested.truncated;
      continue;
    }
    const kind = KIND[type] ?? 'other';
    // Entries degraded to unknownMsgType lost their content on the way (workspace-cli PR #612).
    if (kind === 'other') truncated = true;
    const resourceKey = kind === 'text' ? undefined : resourceOf(e.content);
    parts.push({ kind, text: textOf(e.content).trim(), depth, ...who, ...(resourceKey ? { resourceKey } : {}) });
  }
  const missing = summaryOnly(summary, parts, depth);
  if (missing.length > 0) parts.push({ kind: 'text', text: SUMMARY_ONLY_TAG, depth }, ...missing);
  return { title, parts, truncated: truncated || missing.length > 0 };
}
