import { z } from 'zod';
import { PayloadError } from '../../core/errors.js';

const userIdSchema = z.object({ open_id: z.string().optional(), user_id: z.string().optional(), union_id: z.string().optional() });

export const mentionSchema = z.object({ key: z.string(), id: userIdSchema.optional(), name: z.string().optional() });
export type FeishuMention = z.infer<typeof mentionSchema>;

/** `event` of im.message.receive_v1 (docs/platforms.md §1.2); only the fields minyi reads. */
export const messageEventSchema = z.object({
  sender: z.object({ sender_id: userIdSchema, sender_type: z.string().optional() }),
  message: z.object({
    message_id: z.string().min(1),
    root_id: z.string().optional(),
    parent_id: z.string().optional(),
    create_time: z.string(),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    // A merge_forward's content is sometimes JSON and sometimes the bare string "Merged and Forwarded Message".
    content: z.string().default(''),
    mentions: z.array(mentionSchema).optional(),
  }),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const cardActionEventSchema = z.object({
  operator: z.object({ open_id: z.string().min(1), user_id: z.string().optional() }),
  action: z.object({ value: z.unknown().optional(), tag: z.string().optional(), name: z.string().optional() }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});
export type CardActionEvent = z.infer<typeof cardActionEventSchema>;

const challengeSchema = z.object({ type: z.literal('url_verification'), challenge: z.string(), token: z.string().optional() });
const v2Schema = z.object({
  schema: z.literal('2.0'),
  header: z.object({ event_id: z.string().optional(), event_type: z.string(), token: z.string().optional() }),
  event: z.unknown(),
});
/** v1 events (and v1 card callbacks) carry the token at the top level. */
const v1Schema = z.object({ token: z.string().optional(), type: z.string().optional(), event: z.object({ type: z.string().optional() }).optional() });

export const encryptedSchema = z.object({ encrypt: z.string().min(1) });

export type FeishuEnvelope =
  | { kind: 'challenge'; token: string | undefined; challenge: string }
  | { kind: 'message'; token: string | undefined; event: MessageEvent }
  | { kind: 'card_action'; token: string | undefined; event: CardActionEvent }
  | { kind: 'other'; token: string | undefined; eventType: string };

function must<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new PayloadError(`malformed Feishu ${what}: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}`.trim());
  return r.data;
}

/** A decrypted Feishu body → one of the shapes minyi handles; anything else is 'other' (answered 200, logged). */
export function parseEnvelope(body: unknown): FeishuEnvelope {
  const challenge = challengeSchema.safeParse(body);
  if (challenge.success) return { kind: 'challenge', token: challenge.data.token, challenge: challenge.data.challenge };
  const v2 = v2Schema.safeParse(body);
  if (v2.success) {
    const { header, event } = v2.data;
    if (header.event_type === 'im.message.receive_v1') return { kind: 'message', token: header.token, event: must(messageEventSchema, event, 'message event') };
    if (header.event_type === 'card.action.trigger') return { kind: 'card_action', token: header.token, event: must(cardActionEventSchema, event, 'card action') };
    return { kind: 'other', token: header.token, eventType: header.event_type };
  }
  const v1 = v1Schema.safeParse(body);
  if (v1.success) return { kind: 'other', token: v1.data.token, eventType: v1.data.event?.type ?? v1.data.type ?? 'unknown' };
  throw new PayloadError('unrecognised Feishu payload');
}

/** Parses JSON or throws PayloadError (→ 400): malformed input changes nothing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PayloadError('body is not valid JSON');
  }
}
