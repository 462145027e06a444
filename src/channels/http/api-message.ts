import { z } from 'zod';

/** Body of `POST /api/messages` (DESIGN.md "Contracts"). */
export const apiMessageSchema = z.object({
  text: z.string().trim().min(1, 'text 不能为空').max(20_000, 'text 超过 20000 字'),
  sender: z.object({ id: z.string().trim().min(1).max(200), name: z.string().trim().max(100).optional() }),
  chat: z.object({ id: z.string().trim().min(1).max(200), type: z.enum(['p2p', 'group']).optional() }).optional(),
  town: z.string().trim().max(50).optional(),
});

export type ApiMessage = z.infer<typeof apiMessageSchema>;

/** What is stored for an API message: the body plus the key and time the server gave it. */
export const storedApiMessageSchema = apiMessageSchema.extend({ key: z.string(), receivedAt: z.number() });
export type StoredApiMessage = z.infer<typeof storedApiMessageSchema>;
