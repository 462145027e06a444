import { z } from 'zod';
import type { PartKind } from '../../core/types.js';

/** A mention as both the event (`id.open_id`) and the GET message API (`id` string) describe it. */
export interface Mention {
  key: string;
  name?: string | undefined;
  openId?: string | undefined;
}

export interface ContentPart {
  kind: PartKind;
  /** Readable text; for attachments the key (and file name), so the record keeps what staff need to fetch it. */
  text: string;
  resourceKey?: string;
}

export interface ContentContext {
  mentions: Mention[];
  /** The bot's own open_id: its @mention is how a member addresses it, not part of what they said. */
  botOpenId: string | null;
}

const MENTION_KEY_RE = /@_user_\d+|@_all/g;
const SPACES_RE = /[ \t]{2,}/g;

function parseJsonObject(content: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(content);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function mentionText(key: string, ctx: ContentContext): string {
  // Feishu often puts @_all in content with no mentions entry (the SDK's normaliser notes the same).
  if (key === '@_all') return '@所有人';
  const m = ctx.mentions.find((x) => x.key === key);
  if (!m) return key;
  if (ctx.botOpenId && m.openId === ctx.botOpenId) return '';
  return `@${m.name ?? m.openId ?? key}`;
}

function tidy(text: string): string {
  return text.split('\n').map((l) => l.replace(SPACES_RE, ' ').trim()).join('\n').trim();
}

function textContent(c: Record<string, unknown>, ctx: ContentContext): ContentPart {
  return { kind: 'text', text: tidy(str(c.text).replace(MENTION_KEY_RE, (k) => mentionText(k, ctx))) };
}

const postElementSchema = z.object({
  tag: z.string(),
  text: z.string().optional(),
  href: z.string().optional(),
  user_id: z.string().optional(),
  user_name: z.string().optional(),
  image_key: z.string().optional(),
  file_key: z.string().optional(),
  emoji_type: z.string().optional(),
}).passthrough();
const postBodySchema = z.object({ title: z.string().optional(), content: z.array(z.array(z.unknown())).optional() });

/** Received posts come as {title, content} or wrapped by locale ({zh_cn: …}, {post: {zh_cn: …}}); accept all. */
function postBody(c: Record<string, unknown>): z.infer<typeof postBodySchema> {
  const direct = postBodySchema.safeParse(c);
  if (direct.success && direct.data.content) return direct.data;
  const inner = (c.post && typeof c.post === 'object' ? c.post : c) as Record<string, unknown>;
  for (const v of Object.values(inner)) {
    const r = postBodySchema.safeParse(v);
    if (r.success && r.data.content) return r.data;
  }
  return { content: [] };
}

function postElement(raw: unknown, ctx: ContentContext): string {
  const r = postElementSchema.safeParse(raw);
  if (!r.success) return '';
  const e = r.data;
  switch (e.tag) {
    case 'text':
    case 'code_block':
      return e.text ?? '';
    case 'a': {
      const text = e.text ?? '';
      if (!e.href || e.href === text) return e.href ?? text;
      return `${text}（${e.href}）`;
    }
    case 'at': {
      if (e.user_id === '@_all' || e.user_id === 'all') return '@所有人';
      const m = ctx.mentions.find((x) => x.key === e.user_id || x.openId === e.user_id);
      if (ctx.botOpenId && (m?.openId === ctx.botOpenId || e.user_id === ctx.botOpenId)) return '';
      return `@${e.user_name ?? m?.name ?? e.user_id ?? ''}`;
    }
    case 'img':
      return `[图片 ${e.image_key ?? ''}]`;
    case 'media':
      return `[视频 ${e.file_key ?? ''}]`;
    case 'emotion':
      return `[${e.emoji_type ?? '表情'}]`;
    case 'hr':
      return '———';
    default:
      return e.text ?? '';
  }
}

function postContent(c: Record<string, unknown>, ctx: ContentContext): ContentPart {
  const body = postBody(c);
  const lines = (body.content ?? []).map((para) => para.map((el) => postElement(el, ctx)).join(''));
  return { kind: 'text', text: tidy([body.title ?? '', ...lines].filter((l) => l.trim()).join('\n')) };
}

function attachment(kind: PartKind, key: string, extra?: string): ContentPart {
  return { kind, text: [extra, key].filter(Boolean).join(' '), ...(key ? { resourceKey: key } : {}) };
}

type Converter = (c: Record<string, unknown>, ctx: ContentContext) => ContentPart;

const seconds = (ms: unknown) => (typeof ms === 'number' && ms > 0 ? `${Math.round(ms / 1000)}秒` : undefined);

/** One converter per message type; anything else degrades to a typed placeholder instead of throwing. */
const CONVERTERS: Record<string, Converter> = {
  text: textContent,
  post: postContent,
  image: (c) => attachment('image', str(c.image_key)),
  file: (c) => attachment('file', str(c.file_key), str(c.file_name)),
  folder: (c) => attachment('file', str(c.file_key), str(c.file_name)),
  audio: (c) => attachment('audio', str(c.file_key), seconds(c.duration)),
  media: (c) => attachment('video', str(c.file_key), str(c.file_name)),
  sticker: (c) => attachment('sticker', str(c.file_key)),
};

export const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.keys(CONVERTERS));

/** `content` is the JSON string Feishu sends for every message type except (sometimes) merge_forward. */
export function convertContent(msgType: string, content: string, ctx: ContentContext): ContentPart {
  const convert = CONVERTERS[msgType];
  if (!convert) return { kind: 'other', text: `[${msgType}]` };
  return convert(parseJsonObject(content), ctx);
}

const PLACEHOLDER: Partial<Record<PartKind, string>> = { image: '[图片]', file: '[文件]', audio: '[语音]', video: '[视频]', sticker: '[表情]' };

/** How a single (non-bundle) message reads in the record: attachments as a typed placeholder with their key. */
export function partAsText(p: ContentPart): string {
  const label = PLACEHOLDER[p.kind];
  return label ? `${label}${p.text ? ` ${p.text}` : ''}` : p.text;
}
