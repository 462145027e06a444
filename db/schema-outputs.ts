/**
 * Tables for what the bot drafts and schedules: 微协商 consultations and their action items, 社情民意
 * write-ups, scheduled runs (so a bulletin is never posted twice), and 民主党派 pairings per 镇街.
 * Same conventions as schema.ts: epoch milliseconds, JSON as TEXT.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const consultations = sqliteTable(
  'consultations',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    townCode: text('town_code').notNull(),
    /** 'bridge' (牵线搭桥型) or 'expertise' (智力支持型). */
    type: text('type').notNull(),
    party: text('party'),
    topic: text('topic').notNull(),
    /** proposed | scheduled | held | closed | declined */
    status: text('status').notNull(),
    /** Identifies the cluster that triggered a proposal, so one cluster proposes once. */
    clusterKey: text('cluster_key'),
    proposedBy: text('proposed_by').notNull(),
    scheduledAt: integer('scheduled_at'),
    heldAt: integer('held_at'),
    closedAt: integer('closed_at'),
    agenda: text('agenda').notNull(),
    minutes: text('minutes'),
    recordIds: text('record_ids').notNull().default('[]'),
    /** Person ids of members who attended (委员履职). */
    attendees: text('attendees').notNull().default('[]'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('consultations_code').on(t.code),
    uniqueIndex('consultations_town_cluster').on(t.townCode, t.clusterKey),
    index('consultations_town_status').on(t.townCode, t.status),
  ],
);

/** Decisions of a held consultation, tracked like records: owner, due date, status. */
export const consultationItems = sqliteTable(
  'consultation_items',
  {
    id: text('id').primaryKey(),
    consultationId: text('consultation_id').notNull(),
    seq: integer('seq').notNull(),
    text: text('text').notNull(),
    owner: text('owner').notNull(),
    dueAt: integer('due_at'),
    /** open | done | dropped */
    status: text('status').notNull(),
    doneAt: integer('done_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('consultation_items_seq').on(t.consultationId, t.seq), index('consultation_items_due').on(t.status, t.dueAt)],
);

/** The trace of every change to a consultation, item or write-up (who, when, from, to, note). */
export const outputEvents = sqliteTable(
  'output_events',
  {
    id: text('id').primaryKey(),
    entityId: text('entity_id').notNull(),
    at: integer('at').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name'),
    type: text('type').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    note: text('note'),
  },
  (t) => [index('output_events_entity').on(t.entityId, t.at)],
);

export const writeups = sqliteTable(
  'writeups',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    townCode: text('town_code'),
    recordIds: text('record_ids').notNull().default('[]'),
    consultationId: text('consultation_id'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** drafted | submitted | adopted */
    status: text('status').notNull(),
    /** 领导批示 recorded by staff. */
    instructions: text('instructions'),
    createdBy: text('created_by').notNull(),
    submittedAt: integer('submitted_at'),
    adoptedAt: integer('adopted_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('writeups_code').on(t.code), index('writeups_created').on(t.createdAt)],
);

/** One row per task and period: claimed before anything is posted, so a restart never runs it twice. */
export const scheduledRuns = sqliteTable(
  'scheduled_runs',
  {
    id: text('id').primaryKey(),
    task: text('task').notNull(),
    periodKey: text('period_key').notNull(),
    dueAt: integer('due_at').notNull(),
    claimedAt: integer('claimed_at').notNull(),
  },
  (t) => [uniqueIndex('scheduled_runs_task_period').on(t.task, t.periodKey)],
);

/** 民主党派 paired with a 镇街 for 智力支持型 consultations (office data). */
export const partyPairings = sqliteTable('party_pairings', {
  townCode: text('town_code').primaryKey(),
  party: text('party').notNull(),
  expertise: text('expertise'),
  updatedAt: integer('updated_at').notNull(),
});
