import { z } from 'zod';

// Control characters other than tab and line breaks (NUL, BEL, terminal escapes, C1): no one types them, and
// echoed into replies, a terminal or a spreadsheet they do harm.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

/** JSON may spell a lone surrogate (\ud800), which is no character: refused like broken UTF-8 bytes. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);

/** An id or name: refused when it holds a control character, since it is compared and shown as given. */
const label = (max: number) =>
  z.string().trim().max(max)
    .refine(wellFormed, 'contains a lone surrogate (not valid Unicode)')
    .refine((s) => !CONTROL.test(s), 'contains control characters');

const fields = {
  // Stray control characters in pasted text are dropped rather than refused: the words around them are the report.
  text: z.string().refine(wellFormed, 'text contains a lone surrogate (not valid Unicode)')
    .transform((s) => s.replace(CONTROLS, '').trim())
    .pipe(z.string().min(1, 'text 不能为空').max(20_000, 'text 超过 20000 字')),
  sender: z.strictObject({ id: label(200).pipe(z.string().min(1)), name: label(100).optional() }),
  chat: z.strictObject({ id: label(200).pipe(z.string().min(1)), type: z.enum(['p2p', 'group']).optional() }).optional(),
  town: label(50).optional(),
};

/**
 * Body of `POST /api/messages` (DESIGN.md "Contracts"). Strict: a misspelt field (「twon」, 「sender_id」) is a 400
 * naming it, not a message filed without the town or sender the caller meant to give.
 */
export const apiMessageSchema = z.strictObject(fields);

/** A line of `minyi import`: the same message, where the line's other fields (its `id`, a date) are not minyi's. */
export const importedMessageSchema = z.object(fields);

export type ApiMessage = z.infer<typeof apiMessageSchema>;

/** What is stored for an API message: the body plus the key and time the server gave it. */
export const storedApiMessageSchema = apiMessageSchema.extend({ key: z.string(), receivedAt: z.number() });
export type StoredApiMessage = z.infer<typeof storedApiMessageSchema>;
