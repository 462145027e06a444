/**
 * Staff workflow tables: writes proposed in chat wait here until their author confirms them, and admins hand
 * out one-time codes that bind a chat account to a person.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const pendingActions = sqliteTable(
  'pending_actions',
  {
    id: text('id').primaryKey(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name'),
    platform: text('platform').notNull(),
    chatId: text('chat_id').notNull(),
    /** The proposed change as JSON (core/pending-action.ts), validated again when confirmed. */
    action: text('action').notNull(),
    summary: text('summary').notNull(),
    state: text('state').notNull().default('pending'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    decidedAt: integer('decided_at'),
  },
  (t) => [index('pending_chat_actor_state').on(t.chatId, t.actorId, t.state, t.createdAt)],
);

export const bindCodes = sqliteTable('bind_codes', {
  code: text('code').primaryKey(),
  personId: text('person_id').notNull(),
  createdBy: text('created_by').notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  usedBy: text('used_by'),
});
