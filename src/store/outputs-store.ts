import { and, asc, desc, eq, inArray, like, or, sql } from 'drizzle-orm';
import * as t from '../../db/schema.js';
import * as o from '../../db/schema-outputs.js';
import type { Agenda, ConsultationType } from '../core/agenda.js';
import { BotError } from '../core/errors.js';
import type {
  ActionItem,
  ActionItemStatus,
  Consultation,
  ConsultationPatch,
  ConsultationStatus,
  NewConsultation,
  NewWriteup,
  OutputEvent,
  OutputsRepo,
  WriteupRow,
  WriteupStatus,
} from '../core/outputs-ports.js';
import type { Effects, NewEvent, NewJob, RecordFilter } from '../core/ports.js';
import type { Atomic, Db, Pending } from './db.js';
import { bulletinData, clusterCandidates, ledger, maskedTexts, memberFigures, memberNames, repliesToChat } from './outputs-queries.js';
import { counterSet, nextInSequence } from './counters.js';
import { effectStatements } from './effect-statements.js';

const INSTALLED_TASK = 'scheduler:first_start';

type ConsultationRow = typeof o.consultations.$inferSelect;
type WriteupDbRow = typeof o.writeups.$inferSelect;

function toConsultation(r: ConsultationRow): Consultation {
  return {
    ...r, type: r.type as ConsultationType, status: r.status as ConsultationStatus, agenda: JSON.parse(r.agenda) as Agenda,
    recordIds: JSON.parse(r.recordIds) as string[], attendees: JSON.parse(r.attendees) as string[],
  };
}

function toWriteup(r: WriteupDbRow): WriteupRow {
  return { ...r, status: r.status as WriteupStatus, recordIds: JSON.parse(r.recordIds) as string[] };
}

/** Consultations, action items, write-ups, scheduled runs and pairings; the same code on SQLite and D1. */
export class OutputsStore implements OutputsRepo {
  constructor(
    private readonly db: Db,
    private readonly atomic: Atomic,
  ) {}

  clusterCandidates(townCode: string, since: number) {
    return clusterCandidates(this.db, townCode, since);
  }

  nextSequence(counter: string): Promise<number> {
    return nextInSequence(this.db, counter);
  }

  private event(entityId: string, e: NewEvent, now: number): Pending {
    return this.db.insert(o.outputEvents).values({
      id: e.id, entityId, at: now, actorId: e.actorId, actorName: e.actorName, type: e.type, fromValue: e.from, toValue: e.to, note: e.note,
    });
  }

  async proposeConsultation(c: NewConsultation, event: NewEvent, effects: Effects, now: number): Promise<boolean> {
    if (c.clusterKey) {
      const [seen] = await this.db.select({ id: o.consultations.id }).from(o.consultations)
        .where(and(eq(o.consultations.townCode, c.townCode), eq(o.consultations.clusterKey, c.clusterKey)));
      if (seen) return false;
    }
    await this.atomic([
      counterSet(c.counter),
      this.db.insert(o.consultations).values({
        id: c.id, code: c.code, townCode: c.townCode, type: c.type, party: c.party, topic: c.topic, status: 'proposed',
        clusterKey: c.clusterKey, proposedBy: c.proposedBy, agenda: JSON.stringify(c.agenda), recordIds: JSON.stringify(c.recordIds),
        createdAt: now, updatedAt: now,
      }),
      this.event(c.id, event, now),
      ...effectStatements(effects, now),
    ]);
    return true;
  }

  async getConsultation(idOrCode: string) {
    const [r] = await this.db.select().from(o.consultations).where(or(eq(o.consultations.id, idOrCode), eq(o.consultations.code, idOrCode)));
    return r ? toConsultation(r) : null;
  }

  async listConsultations(f: { townCode?: string; statuses?: ConsultationStatus[] }) {
    const rows = await this.db.select().from(o.consultations).where(and(
      f.townCode ? eq(o.consultations.townCode, f.townCode) : undefined,
      f.statuses?.length ? inArray(o.consultations.status, f.statuses) : undefined,
    )).orderBy(desc(o.consultations.createdAt));
    return rows.map(toConsultation);
  }

  async updateConsultation(id: string, patch: ConsultationPatch, event: NewEvent, effects: Effects, now: number) {
    const { attendees, ...rest } = patch;
    await this.atomic([
      this.db.update(o.consultations).set({ ...rest, ...(attendees ? { attendees: JSON.stringify(attendees) } : {}), updatedAt: now }).where(eq(o.consultations.id, id)),
      this.event(id, event, now),
      ...effectStatements(effects, now),
    ]);
    const c = await this.getConsultation(id);
    if (!c) throw new BotError('internal', `consultation ${id} missing after write`);
    return c;
  }

  async addActionItems(consultationId: string, items: Omit<ActionItem, 'consultationId' | 'createdAt' | 'doneAt' | 'status'>[], event: NewEvent, now: number) {
    await this.atomic([
      ...items.map((i) => this.db.insert(o.consultationItems).values({
        id: i.id, consultationId, seq: i.seq, text: i.text, owner: i.owner, dueAt: i.dueAt, status: 'open', createdAt: now, updatedAt: now,
      }).onConflictDoNothing()),
      this.event(consultationId, event, now),
    ]);
  }

  async listActionItems(f: { consultationId?: string; openDueBefore?: number }): Promise<ActionItem[]> {
    const rows = await this.db.select().from(o.consultationItems).where(and(
      f.consultationId ? eq(o.consultationItems.consultationId, f.consultationId) : undefined,
      f.openDueBefore !== undefined ? and(eq(o.consultationItems.status, 'open'), sql`${o.consultationItems.dueAt} < ${f.openDueBefore}`) : undefined,
    )).orderBy(o.consultationItems.consultationId, o.consultationItems.seq);
    return rows.map((r) => ({ ...r, status: r.status as ActionItemStatus }));
  }

  async setActionItemStatus(id: string, status: ActionItemStatus, event: NewEvent, now: number) {
    await this.atomic([
      this.db.update(o.consultationItems).set({ status, doneAt: status === 'done' ? now : null, updatedAt: now }).where(eq(o.consultationItems.id, id)),
      this.event(id, event, now),
    ]);
  }

  async insertWriteup(w: NewWriteup, event: NewEvent, now: number) {
    await this.atomic([
      counterSet(w.counter),
      this.db.insert(o.writeups).values({
        id: w.id, code: w.code, townCode: w.townCode, recordIds: JSON.stringify(w.recordIds), consultationId: w.consultationId,
        title: w.title, body: w.body, status: 'drafted', createdBy: w.createdBy, createdAt: now, updatedAt: now,
      }),
      this.event(w.id, event, now),
    ]);
    return (await this.getWriteup(w.id))!;
  }

  async getWriteup(idOrCode: string) {
    const [r] = await this.db.select().from(o.writeups).where(or(eq(o.writeups.id, idOrCode), eq(o.writeups.code, idOrCode)));
    return r ? toWriteup(r) : null;
  }

  async setWriteupStatus(id: string, status: WriteupStatus, instructions: string | null, event: NewEvent, now: number) {
    await this.atomic([
      this.db.update(o.writeups).set({
        status, updatedAt: now,
        // First time only: recording a 批示 later (same status) must not move the week a write-up counts in.
        ...(status === 'submitted' ? { submittedAt: sql`coalesce(${o.writeups.submittedAt}, ${now})` } : {}),
        ...(status === 'adopted' ? { adoptedAt: sql`coalesce(${o.writeups.adoptedAt}, ${now})`, submittedAt: sql`coalesce(${o.writeups.submittedAt}, ${now})` } : {}),
        ...(instructions !== null ? { instructions } : {}),
      }).where(eq(o.writeups.id, id)),
      this.event(id, event, now),
    ]);
    return (await this.getWriteup(id))!;
  }

  async listWriteups(f: { recordId: string }): Promise<WriteupRow[]> {
    // record_ids is a JSON array; LIKE narrows (its _ wildcard may over-match), the parsed array decides.
    const rows = await this.db.select().from(o.writeups).where(like(o.writeups.recordIds, `%${JSON.stringify(f.recordId)}%`))
      .orderBy(desc(o.writeups.createdAt), desc(o.writeups.id));
    return rows.map(toWriteup).filter((w) => w.recordIds.includes(f.recordId));
  }

  async outputEvents(entityId: string): Promise<OutputEvent[]> {
    const rows = await this.db.select().from(o.outputEvents).where(eq(o.outputEvents.entityId, entityId)).orderBy(asc(o.outputEvents.at), sql`rowid`); // the order written, as record events
    return rows.map(({ fromValue, toValue, ...r }) => ({ ...r, from: fromValue, to: toValue }));
  }

  async claimRun(task: string, periodKey: string, dueAt: number, job: NewJob, now: number): Promise<boolean> {
    const runId = job.id;
    await this.atomic([
      this.db.insert(o.scheduledRuns).values({ id: runId, task, periodKey, dueAt, claimedAt: now }).onConflictDoNothing(),
      // The job exists only if this very claim was inserted (the same shape as acceptInbound).
      this.db.insert(t.jobs).select(
        this.db.select({
          id: sql`${job.id}`.as('id'), type: sql`${job.type}`.as('type'), payload: sql`${JSON.stringify(job.payload)}`.as('payload'),
          state: sql`'queued'`.as('state'), attempts: sql`0`.as('attempts'), runAt: sql`${job.runAt}`.as('run_at'),
          leaseUntil: sql`NULL`.as('lease_until'), dedupeKey: sql`${job.dedupeKey ?? null}`.as('dedupe_key'),
          lastError: sql`NULL`.as('last_error'), createdAt: sql`${now}`.as('created_at'), updatedAt: sql`${now}`.as('updated_at'),
        }).from(o.scheduledRuns).where(eq(o.scheduledRuns.id, runId)),
      ).onConflictDoNothing(),
    ]);
    const [row] = await this.db.select({ id: o.scheduledRuns.id }).from(o.scheduledRuns)
      .where(and(eq(o.scheduledRuns.task, task), eq(o.scheduledRuns.periodKey, periodKey)));
    return row?.id === runId;
  }

  async firstStart(now: number): Promise<number> {
    await this.db.insert(o.scheduledRuns).values({ id: `run_${INSTALLED_TASK}`, task: INSTALLED_TASK, periodKey: 'once', dueAt: now, claimedAt: now }).onConflictDoNothing();
    const [row] = await this.db.select({ at: o.scheduledRuns.claimedAt }).from(o.scheduledRuns).where(eq(o.scheduledRuns.task, INSTALLED_TASK));
    return row?.at ?? now;
  }

  async upsertPairing(townCode: string, party: string, expertise: string | null, now: number) {
    await this.db.insert(o.partyPairings).values({ townCode, party, expertise, updatedAt: now })
      .onConflictDoUpdate({ target: o.partyPairings.townCode, set: { party, expertise, updatedAt: now } });
  }

  async getPairing(townCode: string) {
    const [r] = await this.db.select().from(o.partyPairings).where(eq(o.partyPairings.townCode, townCode));
    return r ? { party: r.party, expertise: r.expertise } : null;
  }

  memberNames(townCode: string) {
    return memberNames(this.db, townCode);
  }

  bulletinData(townCode: string | null, scopeName: string, weekStart: number, weekEnd: number, asOf: number) {
    return bulletinData(this.db, townCode, scopeName, weekStart, weekEnd, asOf);
  }

  maskedTexts(codes: string[]) {
    return maskedTexts(this.db, codes);
  }

  ledger(filter: Omit<RecordFilter, 'limit' | 'cursor'>, raw: boolean, limit: number) {
    return ledger(this.db, filter, raw, limit);
  }

  memberFigures() {
    return memberFigures(this.db);
  }

  repliesToChat(chatId: string) {
    return repliesToChat(this.db, chatId);
  }
}
