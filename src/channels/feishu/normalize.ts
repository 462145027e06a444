import { isBotError, PlatformApiError } from '../../core/errors.js';
import type { InboundMessage, MessagePart } from '../../core/types.js';
import type { FeishuApi, MessageItem } from './api-client.js';
import { type ContentContext, convertContent, KNOWN_TYPES, type Mention, partAsText } from './content.js';
import type { MessageEvent } from './parse.js';

/** The SDK's LarkChannel renders at most 50; a district bundle can be longer, but not unbounded. */
const MAX_BUNDLE_PARTS = 300;
const BUNDLE_HEADER = '〔合并转发的聊天记录〕';

export const feishuId = (id: string): string => `feishu:${id}`;

function toMs(t: string | undefined): number | undefined {
  const n = Number(t);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Rebuilds a merge_forward from the flat item list of GET /im/v1/messages/{id}: children point at their
 * direct parent through upper_message_id (nested bundles included), siblings ordered by create_time.
 */
export function bundleParts(rootId: string, items: MessageItem[], names: Map<string, string>, botOpenId: string | null): { parts: MessagePart[]; truncated: boolean } {
  const children = new Map<string, MessageItem[]>();
  for (const item of items) {
    if (!item.upper_message_id || item.message_id === rootId) continue;
    const list = children.get(item.upper_message_id) ?? [];
    list.push(item);
    children.set(item.upper_message_id, list);
  }
  for (const list of children.values()) list.sort((a, b) => (toMs(a.create_time) ?? 0) - (toMs(b.create_time) ?? 0));
  const parts: MessagePart[] = [];
  const seen = new Set<string>();
  const walk = (parentId: string, depth: number): void => {
    for (const item of children.get(parentId) ?? []) {
      if (seen.has(item.message_id) || parts.length >= MAX_BUNDLE_PARTS) continue; // a cycle would loop forever
      seen.add(item.message_id);
      const openId = item.sender?.id;
      const who = {
        ...(openId ? { senderId: feishuId(openId) } : {}),
        ...(openId && names.get(openId) ? { senderName: names.get(openId) } : {}),
        ...(toMs(item.create_time) ? { sentAt: toMs(item.create_time) } : {}),
      };
      if (item.msg_type === 'merge_forward') {
        parts.push({ kind: 'text', text: BUNDLE_HEADER, depth, ...who });
        walk(item.message_id, depth + 1);
        continue;
      }
      const mentions: Mention[] = (item.mentions ?? []).map((m) => ({ key: m.key, name: m.name, openId: m.id }));
      const c = item.deleted ? { kind: 'other' as const, text: '[已撤回]' } : convertContent(item.msg_type, item.body?.content ?? '', { mentions, botOpenId });
      parts.push({ kind: c.kind, text: c.text, depth, ...who, ...(c.resourceKey ? { resourceKey: c.resourceKey } : {}) });
    }
  };
  walk(rootId, 1);
  return { parts, truncated: parts.length >= MAX_BUNDLE_PARTS };
}

async function resolveNames(api: FeishuApi, openIds: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(openIds)];
  const names = await Promise.all(unique.map((id) => api.userName(id)));
  return new Map(unique.flatMap((id, i) => (names[i] ? [[id, names[i]] as [string, string]] : [])));
}

/** Fetches a bundle; a bundle the bot cannot read (left the chat, deleted) is null, a transient failure throws. */
async function fetchBundle(api: FeishuApi, messageId: string, botOpenId: string | null) {
  let items: MessageItem[];
  try {
    items = await api.getMessage(messageId);
  } catch (error) {
    if (error instanceof PlatformApiError && error.retryable) throw error;
    if (isBotError(error)) return null;
    throw error;
  }
  const root = items.find((i) => i.message_id === messageId);
  if (!root || root.msg_type !== 'merge_forward') return null;
  const names = await resolveNames(api, items.flatMap((i) => (i.sender?.id && i.sender.sender_type !== 'app' ? [i.sender.id] : [])));
  return bundleParts(messageId, items, names, botOpenId);
}

/**
 * One verified im.message.receive_v1 event → the InboundMessage every channel produces. Merged forwards (and a
 * reply that quotes one) are fetched and flattened with every sub-message's original sender and time.
 */
export async function normalizeMessageEvent(event: MessageEvent, api: FeishuApi): Promise<InboundMessage> {
  const m = event.message;
  const botOpenId = await api.botOpenId();
  const senderOpenId = event.sender.sender_id.open_id ?? event.sender.sender_id.user_id ?? event.sender.sender_id.union_id ?? 'unknown';
  const mentions: Mention[] = (m.mentions ?? []).map((x) => ({ key: x.key, name: x.name, openId: x.id?.open_id }));
  const ctx: ContentContext = { mentions, botOpenId };
  const chatType: InboundMessage['chatType'] = m.chat_type === 'p2p' ? 'p2p' : 'group';
  // Without the bot's open_id (bot/v3/info failed), any mention counts: without the group_msg scope
  // Feishu only delivers group messages that @ the bot anyway.
  const mentionsBot = chatType === 'p2p' || (botOpenId ? mentions.some((x) => x.openId === botOpenId) : mentions.length > 0);
  const senderName = (await api.userName(senderOpenId)) ?? undefined;
  const base = {
    platform: 'feishu' as const,
    key: m.message_id,
    chatId: feishuId(m.chat_id),
    chatType,
    senderId: feishuId(senderOpenId),
    ...(senderName ? { senderName } : {}),
    mentionsBot,
    sentAt: toMs(m.create_time) ?? Date.now(),
    reply: { platform: 'feishu' as const, chatId: feishuId(m.chat_id), messageId: m.message_id, chatType, userId: feishuId(senderOpenId) },
  };

  if (m.message_type === 'merge_forward') {
    const bundle = await fetchBundle(api, m.message_id, botOpenId);
    if (!bundle || bundle.parts.length === 0) return { ...base, text: '', parts: [], unsupported: '无法读取的合并转发' };
    return { ...base, text: '', parts: bundle.parts, ...(bundle.truncated ? { truncated: true } : {}) };
  }

  const part = convertContent(m.message_type, m.content, ctx);
  const text = partAsText(part);
  if (m.parent_id && m.message_type !== 'merge_forward') {
    // "Reply to the forwarded bundle with @bot": the member's words become the note on the quoted bundle.
    const quoted = await fetchBundle(api, m.parent_id, botOpenId);
    if (quoted && quoted.parts.length > 0) return { ...base, text, parts: quoted.parts, quotes: m.parent_id, ...(quoted.truncated ? { truncated: true } : {}) };
  }
  const self = { kind: part.kind, text: part.kind === 'text' ? text : part.text, depth: 0, ...(part.resourceKey ? { resourceKey: part.resourceKey } : {}) };
  const replied = m.parent_id ? { repliesTo: m.parent_id } : {};
  if (!KNOWN_TYPES.has(m.message_type)) return { ...base, ...replied, text: '', parts: [self], unsupported: m.message_type };
  return { ...base, ...replied, text, parts: [self] };
}
