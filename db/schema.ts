/**
 * One schema for better-sqlite3 (Node) and Cloudflare D1 (Workers). Timestamps are epoch milliseconds;
 * JSON columns are TEXT. Migrations in ./migrations are generated from this file by drizzle-kit.
 */
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const inboundMessages = sqliteTable(
  'inbound_messages',
  {
    id: text('id').primaryKey(),
    platform: text('platform').notNull(),
    messageKey: text('message_key').notNull(),
    chatId: text('chat_id').notNull(),
    senderId: text('sender_id').notNull(),
    raw: text('raw').notNull(),
    state: text('state').notNull().default('queued'),
    outcome: text('outcome'),
    error: text('error'),
    receivedAt: integer('received_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('inbound_platform_key').on(t.platform, t.messageKey),
    index('inbound_state').on(t.state),
    // A member's note right after a forwarded bundle joins the bundle's record (app/bundle-note.ts).
    index('inbound_chat_sender_received').on(t.platform, t.chatId, t.senderId, t.receivedAt),
  ],
);

/**
 * A bundle (合并转发) filed through a reply that quotes it (a group member's @bot reply): the quoted message's
 * key names the bundle, the reply's row holds its records. Later replies quoting the same bundle are notes on
 * those records, not the bundle filed again (app/bundle-note.ts).
 */
export const quotedBundles = sqliteTable(
  'quoted_bundles',
  {
    platform: text('platform').notNull(),
    quotedKey: text('quoted_key').notNull(),
    inboundMessageId: text('inbound_message_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('quoted_bundles_key').on(t.platform, t.quotedKey)],
);

export const records = sqliteTable(
  'records',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    status: text('status').notNull(),
    categoryCode: text('category_code').notNull(),
    categoryName: text('category_name').notNull(),
    categorySource: text('category_source').notNull(),
    appealType: text('appeal_type').notNull(),
    townCode: text('town_code'),
    townAssumed: integer('town_assumed', { mode: 'boolean' }).notNull().default(false),
    place: text('place'),
    placeEvidence: text('place_evidence').notNull().default('[]'),
    summary: text('summary').notNull(),
    text: text('text').notNull(),
    textMasked: text('text_masked').notNull(),
    fingerprint: text('fingerprint').notNull(),
    urgency: text('urgency').notNull(),
    confidence: real('confidence').notNull(),
    alternatives: text('alternatives').notNull().default('[]'),
    rationale: text('rationale').notNull(),
    model: text('model'),
    promptId: text('prompt_id'),
    promptVersion: text('prompt_version'),
    /** LLM tokens spent on this record's classification (its share of the call); null when no LLM answered. */
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    affectedCount: integer('affected_count').notNull().default(1),
    duplicateOf: text('duplicate_of'),
    department: text('department'),
    dueAt: integer('due_at'),
    filedBy: text('filed_by').notNull(),
    filedByName: text('filed_by_name'),
    sourcePlatform: text('source_platform').notNull(),
    sourceChatId: text('source_chat_id').notNull(),
    sourceMessageId: text('source_message_id'),
    replyTarget: text('reply_target').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    closedAt: integer('closed_at'),
  },
  (t) => [
    uniqueIndex('records_code').on(t.code),
    index('records_town_status_created').on(t.townCode, t.status, t.createdAt),
    // Dedupe reads a town's newest open records: walking (town, created_at) backwards stops at the limit.
    index('records_town_created').on(t.townCode, t.createdAt),
    index('records_status_created').on(t.status, t.createdAt),
    index('records_created').on(t.createdAt),
    index('records_category_created').on(t.categoryCode, t.createdAt),
    // 我的记录 and the ledger's filedBy filter walk one member's records newest first.
    index('records_filed_by_created').on(t.filedBy, t.createdAt),
    // Open records by deadline (本周待办, reminders: closed_at IS NULL, walked in due order up to the limit) and
    // a week's closings for the bulletin, whose status the index also carries so they are counted without
    // reading a row (a district's week at a million records: 35 ms); replaces an index on due_at alone.
    index('records_town_closed_due_status').on(t.townCode, t.closedAt, t.dueAt, t.status),
    index('records_closed_due_status').on(t.closedAt, t.dueAt, t.status),
    // A week's records for the bulletin (by category, by 镇街, hot problems and their typical case), read from
    // the index alone: affected_count sits after the message texts, so reading it from a row walks the text's
    // overflow pages (a district's full week at a million records: 106 ms). Towns filter inside the week.
    index('records_created_bulletin').on(t.createdAt, t.status, t.categoryCode, t.categoryName, t.townCode, t.affectedCount, t.code),
    // A town's 交办 in the week: each assignment event's record is checked for its town from this index, not
    // from the row (a town's last week at a million records: 18 → 2 ms).
    index('records_id_town').on(t.id, t.townCode),
  ],
);

export const recordEvents = sqliteTable(
  'record_events',
  {
    id: text('id').primaryKey(),
    recordId: text('record_id').notNull(),
    at: integer('at').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name'),
    type: text('type').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    note: text('note'),
  },
  (t) => [
    index('events_record_at').on(t.recordId, t.at),
    // The bulletin's 交办 count: a week's events of one kind, read from the index alone.
    index('events_to_at').on(t.toValue, t.at, t.recordId),
  ],
);

export const recordSources = sqliteTable(
  'record_sources',
  {
    id: text('id').primaryKey(),
    recordId: text('record_id').notNull(),
    inboundMessageId: text('inbound_message_id').notNull(),
    itemIndex: integer('item_index').notNull(),
    senderId: text('sender_id').notNull(),
    senderName: text('sender_name'),
    excerpt: text('excerpt').notNull(),
    excerptMasked: text('excerpt_masked').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [
    uniqueIndex('sources_inbound_item').on(t.inboundMessageId, t.itemIndex),
    index('sources_record').on(t.recordId),
    // 我的记录: a member's reports newest first, whether they filed the record or joined it as "+1".
    index('sources_sender_at').on(t.senderId, t.at),
  ],
);

export const replies = sqliteTable(
  'replies',
  {
    id: text('id').primaryKey(),
    key: text('key').notNull(),
    inboundMessageId: text('inbound_message_id'),
    recordId: text('record_id'),
    kind: text('kind').notNull(),
    target: text('target').notNull(),
    payload: text('payload').notNull(),
    state: text('state').notNull().default('pending'),
    platformMessageId: text('platform_message_id'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('replies_key').on(t.key),
    index('replies_inbound').on(t.inboundMessageId),
    // A member's reply to the bot's receipt names the bot's message: its record takes the reply as a note (app/receipt-note.ts).
    index('replies_platform_message').on(t.platformMessageId),
  ],
);

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    payload: text('payload').notNull(),
    state: text('state').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    runAt: integer('run_at').notNull(),
    leaseUntil: integer('lease_until'),
    dedupeKey: text('dedupe_key'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('jobs_dedupe').on(t.dedupeKey), index('jobs_state_run').on(t.state, t.runAt)],
);

export const counters = sqliteTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});

export const people = sqliteTable('people', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  townCode: text('town_code'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const identities = sqliteTable(
  'identities',
  {
    platform: text('platform').notNull(),
    externalId: text('external_id').notNull(),
    personId: text('person_id').notNull(),
  },
  (t) => [uniqueIndex('identities_platform_external').on(t.platform, t.externalId), index('identities_person').on(t.personId)],
);

export const chats = sqliteTable(
  'chats',
  {
    id: text('id').primaryKey(),
    platform: text('platform').notNull(),
    externalId: text('external_id').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    townCode: text('town_code'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('chats_platform_external').on(t.platform, t.externalId)],
);

export const towns = sqliteTable('towns', {
  code: text('code').primaryKey(),
  districtCode: text('district_code').notNull(),
  name: text('name').notNull(),
  short: text('short').notNull(),
  type: text('type').notNull(),
});

/** 社区/村 from the national codes, and aliases the office adds (roads, 小区, landmarks). */
export const places = sqliteTable(
  'places',
  {
    id: text('id').primaryKey(),
    townCode: text('town_code').notNull(),
    name: text('name').notNull(),
    short: text('short'),
    kind: text('kind').notNull(),
    /** For aliases: the 社区/村 the alias lies in, when known. */
    placeName: text('place_name'),
  },
  (t) => [index('places_town').on(t.townCode), uniqueIndex('places_town_name_kind').on(t.townCode, t.name, t.kind)],
);

export const categories = sqliteTable('categories', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  parent: text('parent'),
  departments: text('departments').notNull().default('[]'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull().default(sql`0`),
});
