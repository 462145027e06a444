import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, like, lt, sql } from 'drizzle-orm';
import * as t from '../../db/schema.js';
import { bindCodes, pendingActions } from '../../db/schema-workflow.js';
import type { PendingAction, PendingState, ProposedChange } from '../core/pending-action.js';
import type { Effects, NewEvent, StoredPerson } from '../core/ports.js';
import { isOpen, RECORD_STATUSES } from '../core/status.js';
import type { Platform, RecordView, ReplyTarget, Role } from '../core/types.js';
import type { WorkflowStore } from '../core/workflow-ports.js';
import type { Atomic, Db } from './db.js';
import { effectStatements, eventInsert } from './effect-statements.js';
import { toRecordView } from './row-mapping.js';

const OPEN_STATUSES = RECORD_STATUSES.filter(isOpen);

/**
 * The workflow half of the SQL store (SqlStore extends it), kept apart so intake and workflow code do not
 * edit one file. Same drizzle code on better-sqlite3 and D1.
 */
export abstract class SqlWorkflowStore implements WorkflowStore {
  constructor(
    protected readonly db: Db,
    protected readonly atomic: Atomic,
  ) {}

  abstract getRecord(idOrCode: string): Promise<RecordView | null>;

  async getReplyTarget(recordId: string): Promise<ReplyTarget | null> {
    const [r] = await this.db.select({ target: t.records.replyTarget }).from(t.records).where(eq(t.records.id, recordId));
    return r ? (JSON.parse(r.target) as ReplyTarget) : null;
  }

  /**
   * `closed_at IS NULL` says the same as the open statuses (closing sets it, 重办 clears it) but lets SQLite
   * walk the (town, closed_at, due_at) index in due order and stop at the limit, instead of sorting every
   * open record of the scope.
   */
  async listOpenDue(townCode: string | undefined, before: number, limit: number): Promise<RecordView[]> {
    const rows = await this.db.select().from(t.records)
      .where(and(isNull(t.records.closedAt), inArray(t.records.status, OPEN_STATUSES), isNotNull(t.records.dueAt), lt(t.records.dueAt, before),
        townCode === undefined ? undefined : eq(t.records.townCode, townCode)))
      .orderBy(asc(t.records.dueAt), asc(t.records.id)).limit(limit);
    const names = await this.townNameMap();
    return rows.map((r) => toRecordView(r, r.townCode ? (names.get(r.townCode) ?? null) : null));
  }

  private wfTownNames: Map<string, string> | null = null;

  /** Town names change only with a reseed; one read per store instance. */
  private async townNameMap(): Promise<Map<string, string>> {
    if (!this.wfTownNames) {
      const rows = await this.db.select({ code: t.towns.code, name: t.towns.name }).from(t.towns);
      this.wfTownNames = new Map(rows.map((x) => [x.code, x.name]));
    }
    return this.wfTownNames;
  }

  async mergeRecords(fromId: string, intoId: string, events: { from: NewEvent; into: NewEvent }, effects: Effects, now: number): Promise<RecordView> {
    const { db } = this;
    const into = await this.getRecord(intoId);
    if (!into) throw new Error(`merge target ${intoId} missing`);
    await this.atomic([
      db.update(t.records).set({
        affectedCount: sql`${t.records.affectedCount} + (SELECT r2.affected_count FROM records r2 WHERE r2.id = ${fromId})`, updatedAt: now,
      }).where(eq(t.records.id, intoId)),
      db.update(t.records).set({ status: 'duplicate', duplicateOf: into.code, updatedAt: now, closedAt: now }).where(eq(t.records.id, fromId)),
      // The reports go with the problem: their members follow the record they now count in, and 拆分 can take one back out.
      db.update(t.recordSources).set({ recordId: intoId }).where(eq(t.recordSources.recordId, fromId)),
      eventInsert(fromId, events.from, now),
      eventInsert(intoId, events.into, now),
      ...effectStatements(effects, now),
    ]);
    return (await this.getRecord(intoId))!;
  }

  async createPending(p: PendingAction): Promise<void> {
    const mine = and(eq(pendingActions.chatId, p.chatId), eq(pendingActions.actorId, p.actorId), eq(pendingActions.state, 'pending'));
    await this.atomic([
      this.db.update(pendingActions).set({ state: 'superseded', decidedAt: p.createdAt }).where(mine),
      this.db.insert(pendingActions).values({
        id: p.id, actorId: p.actorId, actorName: p.actorName, platform: p.platform, chatId: p.chatId,
        action: JSON.stringify(p.change), summary: p.summary, state: p.state, createdAt: p.createdAt, expiresAt: p.expiresAt,
      }),
    ]);
  }

  async getPending(id: string): Promise<PendingAction | null> {
    const [r] = await this.db.select().from(pendingActions).where(eq(pendingActions.id, id));
    return r ? toPending(r) : null;
  }

  async findPending(chatId: string, actorId: string, ref: string | null): Promise<PendingAction | null> {
    const [r] = await this.db.select().from(pendingActions)
      .where(and(eq(pendingActions.chatId, chatId), eq(pendingActions.actorId, actorId), ref ? like(pendingActions.id, `%${ref}`) : eq(pendingActions.state, 'pending')))
      .orderBy(desc(pendingActions.createdAt), desc(pendingActions.id)).limit(1);
    return r ? toPending(r) : null;
  }

  async decidePending(id: string, state: 'confirmed' | 'cancelled', now: number): Promise<boolean> {
    const rows = await this.db.update(pendingActions).set({ state, decidedAt: now })
      .where(and(eq(pendingActions.id, id), eq(pendingActions.state, 'pending'))).returning({ id: pendingActions.id });
    return rows.length === 1;
  }

  async reopenPending(id: string): Promise<void> {
    await this.db.update(pendingActions).set({ state: 'pending', decidedAt: null })
      .where(and(eq(pendingActions.id, id), eq(pendingActions.state, 'confirmed')));
  }

  async getPersonById(id: string): Promise<StoredPerson | null> {
    const [p] = await this.db.select().from(t.people).where(eq(t.people.id, id));
    if (!p) return null;
    const ids = await this.db.select().from(t.identities).where(eq(t.identities.personId, id));
    return personOf(p, ids);
  }

  async listPeople(role?: Role): Promise<StoredPerson[]> {
    const people = await this.db.select().from(t.people).where(role ? eq(t.people.role, role) : undefined).orderBy(asc(t.people.name));
    if (!people.length) return [];
    const ids = await this.db.select().from(t.identities).where(inArray(t.identities.personId, people.map((p) => p.id)));
    return people.map((p) => personOf(p, ids.filter((i) => i.personId === p.id)));
  }

  async createBindCode(code: string, personId: string, createdBy: string, expiresAt: number): Promise<void> {
    await this.db.insert(bindCodes).values({ code, personId, createdBy, expiresAt });
  }

  async useBindCode(code: string, identity: { platform: Platform; externalId: string }, now: number): Promise<StoredPerson | null> {
    const used = await this.db.update(bindCodes).set({ usedAt: now, usedBy: `${identity.platform}:${identity.externalId}` })
      .where(and(eq(bindCodes.code, code), isNull(bindCodes.usedAt), gt(bindCodes.expiresAt, now))).returning({ personId: bindCodes.personId });
    const personId = used[0]?.personId;
    if (!personId) return null;
    await this.db.insert(t.identities).values({ platform: identity.platform, externalId: identity.externalId, personId })
      .onConflictDoUpdate({ target: [t.identities.platform, t.identities.externalId], set: { personId } });
    return this.getPersonById(personId);
  }
}

function toPending(r: typeof pendingActions.$inferSelect): PendingAction {
  return {
    id: r.id, actorId: r.actorId, actorName: r.actorName, platform: r.platform as Platform, chatId: r.chatId,
    change: JSON.parse(r.action) as ProposedChange, summary: r.summary, state: r.state as PendingState,
    createdAt: r.createdAt, expiresAt: r.expiresAt,
  };
}

function personOf(p: typeof t.people.$inferSelect, ids: (typeof t.identities.$inferSelect)[]): StoredPerson {
  return {
    id: p.id, name: p.name, role: p.role as Role, townCode: p.townCode,
    identities: ids.map((i) => ({ platform: i.platform as Platform, externalId: i.externalId })),
  };
}
