import { and, asc, desc, eq, gte, or, type SQL, sql } from 'drizzle-orm';
import * as t from '../../db/schema.js';
import { BotError } from '../core/errors.js';
import type {
  ChatInput,
  DedupeCandidate,
  DedupeCandidates,
  Effects,
  InboundState,
  NewEvent,
  NewInbound,
  NewJob,
  NewRecord,
  NewSource,
  PersonInput,
  RecordFilter,
  RecordPatch,
  Store,
  StoredPerson,
} from '../core/ports.js';
import { isOpen, RECORD_STATUSES } from '../core/status.js';
import type { Platform, RecordView, Role } from '../core/types.js';
import type { Atomic, Db, Pending } from './db.js';
import { listRecordRows } from './record-listing.js';
import { SqlWorkflowStore } from './workflow-store.js';
import { type DedupeCache, GENERATION_COUNTER } from './dedupe-cache.js';
import { counterSet, counterValue, nextInSequence } from './counters.js';
import { effectStatements, eventInsert } from './effect-statements.js';
import { type RecordViewColumn, toEvent, toInbound, toRecordView, toReply, toSource } from './row-mapping.js';

const OPEN_STATUSES = RECORD_STATUSES.filter(isOpen);

/** `text` is a value, or a subquery when the words are copied from another row (a split report). */
function recordInsert(r: Omit<NewRecord, 'text'>, text: string | SQL, now: number): Pending {
  const c = r.classification;
  return sql`INSERT INTO records (id, code, status, category_code, category_name, category_source, appeal_type, town_code,
      town_assumed, place, place_evidence, summary, text, text_masked, fingerprint, urgency, confidence, alternatives,
      rationale, model, prompt_id, prompt_version, prompt_tokens, completion_tokens, due_at, filed_by, filed_by_name,
      source_platform, source_chat_id, source_message_id, reply_target, created_at, updated_at)
    VALUES (${r.id}, ${r.code}, ${r.status}, ${c.categoryCode}, ${c.categoryName}, ${c.source}, ${c.appealType}, ${r.townCode},
      ${r.townAssumed ? 1 : 0}, ${r.place}, ${JSON.stringify(r.placeEvidence)}, ${c.summary}, ${text}, ${r.textMasked}, ${r.fingerprint},
      ${c.urgency}, ${c.confidence}, ${JSON.stringify(c.alternatives)}, ${c.rationale}, ${c.model ?? null}, ${c.promptId ?? null},
      ${c.promptVersion ?? null}, ${c.tokens?.prompt ?? null}, ${c.tokens?.completion ?? null}, ${r.dueAt}, ${r.filedBy},
      ${r.filedByName}, ${r.sourcePlatform}, ${r.sourceChatId}, ${r.sourceMessageId}, ${JSON.stringify(r.replyTarget)}, ${now}, ${now})`;
}

/** The drizzle store: the same code on better-sqlite3 and D1. */
export class SqlStore extends SqlWorkflowStore implements Store {
  /** `dedupe` only where one process's memory can be kept in step by the generation triggers (not D1 isolates). */
  constructor(db: Db, atomic: Atomic, private readonly dedupe: DedupeCache | null = null) {
    super(db, atomic);
  }

  async acceptInbound(row: NewInbound, job: NewJob): Promise<{ id: string; duplicate: boolean }> {
    const [inserted] = await this.atomic([
      sql`INSERT INTO inbound_messages (id, platform, message_key, chat_id, sender_id, raw, state, received_at, updated_at)
        VALUES (${row.id}, ${row.platform}, ${row.key}, ${row.chatId}, ${row.senderId}, ${row.raw}, 'queued', ${row.receivedAt}, ${row.receivedAt})
        ON CONFLICT DO NOTHING`,
      // The job exists only if this very row was inserted: a redelivery adds no second job.
      sql`INSERT INTO jobs (id, type, payload, state, attempts, run_at, dedupe_key, created_at, updated_at)
        SELECT ${job.id}, ${job.type}, ${JSON.stringify(job.payload)}, 'queued', 0, ${job.runAt}, ${job.dedupeKey ?? null}, ${row.receivedAt}, ${row.receivedAt}
        FROM inbound_messages WHERE id = ${row.id}
        ON CONFLICT DO NOTHING`,
    ]);
    // Only a redelivery needs the first message's id read back; the acknowledgement of a new one skips the read.
    if (inserted === 1) return { id: row.id, duplicate: false };
    const [stored] = await this.db.all<{ id: string }>(sql`SELECT id FROM inbound_messages WHERE platform = ${row.platform} AND message_key = ${row.key}`);
    if (!stored) throw new BotError('internal', 'inbound message vanished after insert');
    return { id: stored.id, duplicate: stored.id !== row.id };
  }

  async getInbound(id: string) {
    const [m] = await this.db.all<typeof t.inboundMessages.$inferSelect>(sql`
      SELECT id, platform, message_key AS messageKey, chat_id AS chatId, sender_id AS senderId, raw, state, outcome, error,
        received_at AS receivedAt, updated_at AS updatedAt
      FROM inbound_messages WHERE id = ${id}`);
    return m ? toInbound(m) : null;
  }

  async setInboundState(id: string, state: InboundState, now: number, outcome?: Record<string, unknown> | null, error?: string | null) {
    // An argument left out keeps the stored value; null clears it.
    const keepOutcome = outcome === undefined;
    const keepError = error === undefined;
    await this.db.run(sql`UPDATE inbound_messages SET state = ${state}, updated_at = ${now},
      outcome = CASE WHEN ${keepOutcome ? 1 : 0} THEN outcome ELSE ${outcome == null ? null : JSON.stringify(outcome)} END,
      error = CASE WHEN ${keepError ? 1 : 0} THEN error ELSE ${error ?? null} END
      WHERE id = ${id}`);
  }

  async previousInbound(platform: Platform, chatId: string, senderId: string, before: number, since: number) {
    const [row] = await this.db.all<{ id: string; state: InboundState; outcome: string | null }>(sql`
      SELECT id, state, outcome FROM inbound_messages
      WHERE platform = ${platform} AND chat_id = ${chatId} AND sender_id = ${senderId} AND received_at < ${before} AND received_at >= ${since}
      ORDER BY received_at DESC LIMIT 1`);
    return row ? { id: row.id, state: row.state, outcome: row.outcome ? (JSON.parse(row.outcome) as Record<string, unknown>) : null } : null;
  }

  async inboundByKey(platform: Platform, key: string) {
    const [row] = await this.db.all<{ id: string; state: InboundState; outcome: string | null }>(sql`
      SELECT id, state, outcome FROM inbound_messages WHERE platform = ${platform} AND message_key = ${key}`);
    return row ? { id: row.id, state: row.state, outcome: row.outcome ? (JSON.parse(row.outcome) as Record<string, unknown>) : null } : null;
  }

  async rememberQuotedBundle(platform: Platform, quotedKey: string, inboundId: string, now: number) {
    await this.db.run(sql`INSERT INTO quoted_bundles (platform, quoted_key, inbound_message_id, created_at)
      VALUES (${platform}, ${quotedKey}, ${inboundId}, ${now}) ON CONFLICT DO NOTHING`);
  }

  async quotedBundleFiler(platform: Platform, quotedKey: string) {
    const [row] = await this.db.all<{ id: string; state: InboundState; outcome: string | null }>(sql`
      SELECT m.id, m.state, m.outcome FROM quoted_bundles q JOIN inbound_messages m ON m.id = q.inbound_message_id
      WHERE q.platform = ${platform} AND q.quoted_key = ${quotedKey}`);
    return row ? { id: row.id, state: row.state, outcome: row.outcome ? (JSON.parse(row.outcome) as Record<string, unknown>) : null } : null;
  }

  async fileRecord(r: NewRecord, source: NewSource, event: NewEvent, effects: Effects, now: number) {
    await this.atomic([
      counterSet(r.counter),
      recordInsert(r, r.text, now),
      this.insertSource(r.id, source, now),
      eventInsert(r.id, event, now),
      ...effectStatements(effects, now),
    ]);
    this.dedupeFiled(r, now);
  }

  async splitSource(fromId: string, sourceId: string, r: Omit<NewRecord, 'text'>, events: { from: NewEvent; created: NewEvent }, effects: Effects, now: number) {
    await this.atomic([
      counterSet(r.counter),
      recordInsert(r, sql`(SELECT excerpt FROM record_sources WHERE id = ${sourceId})`, now),
      sql`UPDATE record_sources SET record_id = ${r.id} WHERE id = ${sourceId} AND record_id = ${fromId}`,
      sql`UPDATE records SET affected_count = max(1, affected_count - 1), updated_at = ${now} WHERE id = ${fromId}`,
      eventInsert(fromId, events.from, now),
      eventInsert(r.id, events.created, now),
      ...effectStatements(effects, now),
    ]);
    this.dedupe?.addToCount(fromId, -1);
    this.dedupeFiled(r, now);
    return this.mustGet(r.id);
  }

  /** Keeps the in-memory dedupe lists in step with a record this store just wrote. */
  private dedupeFiled(r: Omit<NewRecord, 'text'>, now: number) {
    if (!this.dedupe) return;
    const c = r.classification;
    const candidate = r.townCode && isOpen(r.status)
      ? { id: r.id, code: r.code, fingerprint: r.fingerprint, summary: c.summary, affectedCount: 1, createdAt: now, categoryCode: c.categoryCode, place: r.place }
      : null;
    this.dedupe.filed(r.townCode, candidate);
  }

  async addSource(recordId: string, source: NewSource, event: NewEvent, effects: Effects, now: number) {
    const { db } = this;
    await this.atomic([
      db.update(t.records).set({ affectedCount: sql`${t.records.affectedCount} + 1`, updatedAt: now }).where(eq(t.records.id, recordId)),
      this.insertSource(recordId, source, now),
      eventInsert(recordId, event, now),
      ...effectStatements(effects, now),
    ]);
    this.dedupe?.addToCount(recordId, 1);
  }

  async changeRecord(recordId: string, patch: RecordPatch, event: NewEvent | readonly NewEvent[], effects: Effects, now: number) {
    const closing = patch.status !== undefined && !isOpen(patch.status);
    // closedAt is when the record was first closed (已回访 after 办结 keeps it: the on-time rate needs it);
    // reopening clears it so the next closing counts.
    const closedAt = closing ? { closedAt: sql`coalesce(${t.records.closedAt}, ${now})` } : patch.status === 'reopened' ? { closedAt: null } : {};
    await this.atomic([
      this.db.update(t.records).set({ ...patch, updatedAt: now, ...closedAt }).where(eq(t.records.id, recordId)),
      ...(Array.isArray(event) ? event : [event]).map((e: NewEvent) => eventInsert(recordId, e, now)),
      ...effectStatements(effects, now),
    ]);
    return this.mustGet(recordId);
  }

  private insertSource(recordId: string, s: NewSource, now: number): Pending {
    return sql`INSERT INTO record_sources (id, record_id, inbound_message_id, item_index, sender_id, sender_name, excerpt, excerpt_masked, at)
      VALUES (${s.id}, ${recordId}, ${s.inboundMessageId}, ${s.itemIndex}, ${s.senderId}, ${s.senderName}, ${s.excerpt}, ${s.excerptMasked}, ${now})`;
  }

  private async mustGet(id: string): Promise<RecordView> {
    const r = await this.getRecord(id);
    if (!r) throw new BotError('internal', `record ${id} missing after write`);
    return r;
  }

  nextSequence(counter: string): Promise<number> {
    return nextInSequence(this.db, counter);
  }

  async findDedupeCandidates(townCode: string, since: number, limit: number): Promise<DedupeCandidates> {
    if (!this.dedupe) return { list: await this.loadDedupeCandidates(townCode, since, limit) };
    const generation = await this.generation();
    return this.dedupe.get(townCode, since, limit, generation)
      ?? this.dedupe.put(townCode, limit, await this.loadDedupeCandidates(townCode, since, limit), generation);
  }

  private generation(): Promise<number> {
    return counterValue(this.db, GENERATION_COUNTER);
  }

  /**
   * The hottest read of intake without the cache (hundreds of rows), so it skips the query builder's per-row
   * mapping: a plain statement returns plain rows on both drivers. Newest first, as DedupeCache needs.
   */
  private async loadDedupeCandidates(townCode: string, since: number, limit: number): Promise<DedupeCandidate[]> {
    return this.db.all<DedupeCandidate>(sql`
      SELECT id, code, fingerprint, summary, affected_count AS affectedCount, created_at AS createdAt,
        category_code AS categoryCode, place
      FROM records
      WHERE town_code = ${townCode} AND status IN (${sql.join(OPEN_STATUSES.map((st) => sql`${st}`), sql`, `)}) AND created_at >= ${since}
      ORDER BY created_at DESC LIMIT ${limit}`);
  }

  async findAwaitingInfo(chatId: string, senderId: string, since: number) {
    const [r] = await this.db.select().from(t.records)
      .where(and(eq(t.records.sourceChatId, chatId), eq(t.records.filedBy, senderId), eq(t.records.status, 'awaiting_info'), gte(t.records.createdAt, since)))
      .orderBy(desc(t.records.createdAt)).limit(1);
    return r ? this.withTown(r) : null;
  }

  async sourcedItems(inboundId: string) {
    return this.db.all<{ itemIndex: number; recordId: string }>(sql`
      SELECT item_index AS itemIndex, record_id AS recordId FROM record_sources WHERE inbound_message_id = ${inboundId}`);
  }

  async getRecord(idOrCode: string) {
    const [r] = await this.db.select().from(t.records).where(or(eq(t.records.id, idOrCode), eq(t.records.code, idOrCode)));
    return r ? this.withTown(r) : null;
  }

  private townNames: Map<string, string> | null = null;

  /** Records with their towns' names, the names read again only when a town is not known yet. */
  private async withTowns(rows: Array<Pick<typeof t.records.$inferSelect, RecordViewColumn>>): Promise<RecordView[]> {
    // Once for the whole page: looked up row by row, a cold start read the towns table once per row.
    if (rows.some((r) => r.townCode !== null && !this.townNames?.has(r.townCode))) {
      const towns = await this.db.select({ code: t.towns.code, name: t.towns.name }).from(t.towns);
      this.townNames = new Map(towns.map((x) => [x.code, x.name]));
    }
    return rows.map((r) => toRecordView(r, r.townCode === null ? null : (this.townNames?.get(r.townCode) ?? null)));
  }

  private async withTown(r: typeof t.records.$inferSelect): Promise<RecordView> {
    return (await this.withTowns([r]))[0]!;
  }

  async listRecords(f: RecordFilter) {
    const { rows, nextCursor } = await listRecordRows(this.db, f);
    return { records: await this.withTowns(rows), nextCursor };
  }

  async recordEvents(recordId: string) {
    // Ties on `at` in the order written (rowid; events_record_at carries it): ids made in the same millisecond
    // have random tails, and one action's events share a moment.
    const rows = await this.db.select().from(t.recordEvents).where(eq(t.recordEvents.recordId, recordId)).orderBy(asc(t.recordEvents.at), sql`rowid`);
    return rows.map(toEvent);
  }

  async recordSources(recordId: string) {
    const rows = await this.db.select().from(t.recordSources).where(eq(t.recordSources.recordId, recordId)).orderBy(asc(t.recordSources.at), sql`rowid`);
    return rows.map(toSource);
  }

  async recordsReportedBy(senderId: string, limit: number) {
    // The sender's reports newest first (sources_sender_at); one who reported a record twice needs a few more.
    let ids: string[] = [];
    for (let want = limit * 2; ; want *= 4) {
      const rows = await this.db.all<{ recordId: string }>(sql`
        SELECT record_id AS recordId FROM record_sources WHERE sender_id = ${senderId} ORDER BY at DESC, rowid DESC LIMIT ${want}`);
      ids = [...new Set(rows.map((r) => r.recordId))];
      if (ids.length >= limit || rows.length < want) break;
    }
    ids = ids.slice(0, limit);
    if (ids.length === 0) return [];
    // One JSON parameter rather than one per id: D1 binds at most 100 parameters.
    const rows = await this.db.select().from(t.records).where(sql`${t.records.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return this.withTowns(ids.flatMap((id) => byId.get(id) ?? []));
  }

  async repliesFor(inboundId: string) {
    const rows = await this.db.select().from(t.replies).where(eq(t.replies.inboundMessageId, inboundId)).orderBy(asc(t.replies.createdAt), sql`rowid`);
    return rows.map(toReply);
  }

  async getReplyByKey(key: string) {
    const [r] = await this.db.select().from(t.replies).where(eq(t.replies.key, key));
    return r ? toReply(r) : null;
  }

  async replyBySentId(platform: Platform, platformMessageId: string) {
    // Ids are the platform's own; two platforms could coin the same one, so the reply's target names its platform.
    const [r] = await this.db.select().from(t.replies)
      .where(and(eq(t.replies.platformMessageId, platformMessageId), sql`json_extract(${t.replies.target}, '$.platform') = ${platform}`)).limit(1);
    return r ? toReply(r) : null;
  }

  async writeEffects(effects: Effects, now: number) {
    const statements = effectStatements(effects, now);
    if (statements.length) await this.atomic(statements);
  }

  async markReplySent(id: string, platformMessageId: string | null, now: number) {
    await this.db.update(t.replies).set({ state: 'sent', platformMessageId, sentAt: now }).where(eq(t.replies.id, id));
  }

  async findPerson(platform: Platform, externalId: string): Promise<StoredPerson | null> {
    const [p] = await this.db.all<{ id: string; name: string; role: Role; townCode: string | null }>(sql`
      SELECT p.id, p.name, p.role, p.town_code AS townCode
      FROM identities i JOIN people p ON p.id = i.person_id
      WHERE i.platform = ${platform} AND i.external_id = ${externalId}`);
    if (!p) return null;
    const ids = await this.db.all<{ platform: Platform; externalId: string }>(sql`
      SELECT platform, external_id AS externalId FROM identities WHERE person_id = ${p.id}`);
    return { id: p.id, name: p.name, role: p.role, townCode: p.townCode, identities: ids };
  }

  async upsertPerson(p: PersonInput, now: number) {
    const { db } = this;
    await this.atomic([
      db.insert(t.people).values({ id: p.id, name: p.name, role: p.role, townCode: p.townCode, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: t.people.id, set: { name: p.name, role: p.role, townCode: p.townCode, updatedAt: now } }),
      ...p.identities.map((i) => db.insert(t.identities).values({ platform: i.platform, externalId: i.externalId, personId: p.id })
        .onConflictDoUpdate({ target: [t.identities.platform, t.identities.externalId], set: { personId: p.id } })),
    ]);
  }

  async upsertChat(c: ChatInput, now: number) {
    await this.db.insert(t.chats).values({ ...c, updatedAt: now })
      .onConflictDoUpdate({ target: [t.chats.platform, t.chats.externalId], set: { name: c.name, role: c.role, townCode: c.townCode, updatedAt: now } });
  }

  async listChats(role?: ChatInput['role']) {
    const rows = await this.db.select().from(t.chats).where(role ? eq(t.chats.role, role) : undefined);
    return rows.map((c) => ({ ...c, platform: c.platform as Platform, role: c.role as ChatInput['role'] }));
  }
}
