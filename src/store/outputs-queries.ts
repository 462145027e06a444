/** Read models over records and outputs: cluster candidates, bulletin figures, the 台账, member figures. */
import { and, asc, count, desc, eq, gte, inArray, isNull, like, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import * as t from '../../db/schema.js';
import * as o from '../../db/schema-outputs.js';
import type { BulletinFigures, WeekGroup } from '../core/bulletin.js';
import type { ClusterRecord } from '../core/cluster.js';
import type { LedgerRow, MemberFigure } from '../core/outputs-ports.js';
import type { RecordFilter } from '../core/ports.js';
import { isOpen, RECORD_STATUSES } from '../core/status.js';
import type { Platform } from '../core/types.js';
import type { Db } from './db.js';
import { knownStatuses } from './record-listing.js';
import { toReply } from './row-mapping.js';

const OPEN_STATUSES = RECORD_STATUSES.filter(isOpen);
/** Records that were closed with an answer (办结); duplicates and rejections are neither on time nor late. */
const DONE_STATUSES = ['resolved', 'unresolved', 'visited'];
const NOT_COUNTED = ['duplicate', 'rejected'];
const ACTIVE_CONSULTATION = ['proposed', 'scheduled', 'held'];

/** Open records of one town in the window that no active consultation has taken up yet. */
export async function clusterCandidates(db: Db, townCode: string, since: number): Promise<ClusterRecord[]> {
  const linked = new Set<string>();
  const active = await db.select({ ids: o.consultations.recordIds }).from(o.consultations)
    .where(and(eq(o.consultations.townCode, townCode), inArray(o.consultations.status, ACTIVE_CONSULTATION)));
  for (const a of active) for (const id of JSON.parse(a.ids) as string[]) linked.add(id);
  const rows = await db.select({
    id: t.records.id, code: t.records.code, townCode: t.records.townCode, categoryCode: t.records.categoryCode, place: t.records.place,
    fingerprint: t.records.fingerprint, affectedCount: t.records.affectedCount, createdAt: t.records.createdAt, summary: t.records.summary,
  }).from(t.records)
    .where(and(eq(t.records.townCode, townCode), inArray(t.records.status, OPEN_STATUSES.filter((s) => s !== 'awaiting_info')), gte(t.records.createdAt, since)))
    .orderBy(desc(t.records.createdAt)).limit(2000);
  return rows.filter((r) => !linked.has(r.id)).map((r) => ({ ...r, townCode }));
}

export async function memberNames(db: Db, townCode: string): Promise<string[]> {
  const rows = await db.select({ name: t.people.name }).from(t.people)
    .where(and(eq(t.people.townCode, townCode), eq(t.people.role, 'member'))).orderBy(asc(t.people.name));
  return rows.map((r) => r.name);
}

async function countWhere(db: Db, table: typeof t.records | typeof o.consultations | typeof o.writeups, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return row?.n ?? 0;
}

/**
 * Records assigned (交办) in the week, from the week's events (events_to_at). A town's are each checked for
 * their town in records_id_town (migration 0005); CROSS JOIN fixes that loop order, or SQLite would start from
 * the town's records, every one of them. The district needs no records at all.
 */
async function assignedIn(db: Db, townCode: string | null, weekStart: number, weekEnd: number): Promise<number> {
  const inWeek = sql`e.at >= ${weekStart} AND e.at < ${weekEnd} AND e.to_value IN ('assigned', '已交办')`;
  const [row] = await db.all<{ n: number }>(townCode
    ? sql`SELECT count(DISTINCT e.record_id) AS n FROM record_events e CROSS JOIN records r ON r.id = e.record_id
        WHERE ${inWeek} AND r.town_code = ${townCode}`
    : sql`SELECT count(DISTINCT e.record_id) AS n FROM record_events e WHERE ${inWeek}`);
  return Number(row?.n ?? 0);
}

/** Records other than duplicates, of one town or all, from the counters of migration 0003. */
async function recordsKept(db: Db, townCode: string | null): Promise<number> {
  const scope = townCode
    ? sql`name IN (${`records:town:${townCode}`}, ${`records:dup:${townCode}`})`
    : sql`(name LIKE 'records:town:%' OR name LIKE 'records:dup:%')`;
  const [row] = await db.all<{ n: number | null }>(sql`
    SELECT sum(CASE WHEN name LIKE 'records:town:%' THEN value ELSE -value END) AS n FROM counters WHERE ${scope}`);
  return Number(row?.n ?? 0);
}

export async function bulletinData(db: Db, townCode: string | null, scopeName: string, weekStart: number, weekEnd: number, asOf: number): Promise<BulletinFigures> {
  const r = t.records;
  const town = townCode ? eq(r.townCode, townCode) : undefined;
  // From records_created_bulletin alone (migration 0005), grouped (core/bulletin.ts, BulletinGroup) in no
  // order: the bulletin sorts what it shows. A town's week is filtered inside the district's: the unary +
  // keeps SQLite off the town indexes, whose rows would have to be read. A plain statement: the query
  // builder's row mapping cost more than the query.
  const week = (await db.all<WeekGroup>(sql`
    SELECT category_code AS categoryCode, category_name AS categoryName, town_code AS townCode, affected_count AS affectedCount,
      count(*) AS records, min(code) AS firstCode
    FROM records WHERE created_at >= ${weekStart} AND created_at < ${weekEnd} AND status <> 'duplicate'
    ${townCode ? sql`AND +town_code = ${townCode}` : sql``}
    GROUP BY category_code, category_name, town_code, affected_count`)).map((g) => ({ ...g, records: Number(g.records) }));
  // All of last week's records less its duplicates: two counts over covering indexes, where `status <>` would
  // read every row of the week (a district's week at a million records: 20 ms).
  const prevWeek = [gte(r.createdAt, weekStart - 7 * 86_400_000), lt(r.createdAt, weekStart)];
  const prevWeekCount = await countWhere(db, r, and(town, ...prevWeek)) - await countWhere(db, r, and(town, eq(r.status, 'duplicate'), ...prevWeek));
  // All records but duplicates up to the week's end: the totals triggers keep (migration 0003), less what was
  // filed after the week, a short index range (nothing at all for the current week).
  const cumulative = await recordsKept(db, townCode)
    - await countWhere(db, r, and(town, gte(r.createdAt, weekEnd)))
    + await countWhere(db, r, and(town, eq(r.status, 'duplicate'), gte(r.createdAt, weekEnd)));
  const assigned = await assignedIn(db, townCode, weekStart, weekEnd);
  // Found by when they closed, counted per status from the index alone (it carries due_at and status,
  // migration 0004). Grouped, not filtered by status in SQL: with `status IN (…)` SQLite picks the status
  // index and reads every row of those statuses (seconds at a million records).
  const closedByStatus = await db.all<{ status: string; n: number; onTime: number }>(sql`
    SELECT status, count(*) AS n, sum(due_at IS NULL OR closed_at <= due_at) AS onTime FROM records
    WHERE closed_at >= ${weekStart} AND closed_at < ${weekEnd} ${townCode ? sql`AND town_code = ${townCode}` : sql``} GROUP BY status`);
  const done = closedByStatus.filter((x) => DONE_STATUSES.includes(x.status));
  // Open at asOf and past due: still open now, or closed only after asOf; two ranges of the (town, closed_at,
  // due_at, status) index, read from it alone. closed_at IS NULL is the open set (closing sets it, 重办 clears it,
  // so no 重复/不予受理 is in it), and a deadline is never before filing (a past 时限 is refused), so due_at < asOf
  // implies created_at < asOf: reading created_at too cost a table row for each record closed since asOf.
  const openPastDue = await countWhere(db, r, and(town, isNull(r.closedAt), lt(r.dueAt, asOf)))
    + await countWhere(db, r, and(town, gte(r.closedAt, asOf), lt(r.dueAt, asOf), notInArray(r.status, NOT_COUNTED)));
  const c = o.consultations;
  const ctown = townCode ? eq(c.townCode, townCode) : undefined;
  const w = o.writeups;
  const wtown = townCode ? eq(w.townCode, townCode) : undefined;
  return {
    scopeName, weekStart, weekEnd, week, prevWeekCount, cumulative,
    assigned,
    closed: done.reduce((n, x) => n + Number(x.n), 0),
    closedOnTime: done.reduce((n, x) => n + Number(x.onTime), 0),
    openPastDue,
    consultationsHeld: await countWhere(db, c, and(ctown, gte(c.heldAt, weekStart), lt(c.heldAt, weekEnd))),
    consultationsPlanned: await countWhere(db, c, and(ctown, eq(c.status, 'scheduled'))),
    writeupsSubmitted: await countWhere(db, w, and(wtown, gte(w.submittedAt, weekStart), lt(w.submittedAt, weekEnd))),
    writeupsAdopted: await countWhere(db, w, and(wtown, gte(w.adoptedAt, weekStart), lt(w.adoptedAt, weekEnd))),
  };
}

export async function maskedTexts(db: Db, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db.select({ code: t.records.code, text: t.records.textMasked }).from(t.records).where(inArray(t.records.code, codes));
  return new Map(rows.map((x) => [x.code, x.text]));
}

export async function ledger(db: Db, f: Omit<RecordFilter, 'limit' | 'cursor'>, raw: boolean, limit: number): Promise<LedgerRow[]> {
  const r = t.records;
  const where: SQL[] = [];
  const statuses = knownStatuses(f.status);
  if (statuses.length) where.push(inArray(r.status, statuses));
  if (f.townCode) where.push(eq(r.townCode, f.townCode));
  if (f.categoryCode) where.push(or(eq(r.categoryCode, f.categoryCode), like(r.categoryCode, `${f.categoryCode}.%`))!);
  if (f.since !== undefined) where.push(gte(r.createdAt, f.since));
  if (f.until !== undefined) where.push(lt(r.createdAt, f.until));
  if (f.filedBy) where.push(eq(r.filedBy, f.filedBy));
  const rows = await db.select({
    id: r.id, code: r.code, status: r.status, categoryCode: r.categoryCode, categoryName: r.categoryName, appealType: r.appealType,
    townCode: r.townCode, place: r.place, summary: r.summary, text: raw ? r.text : r.textMasked, affectedCount: r.affectedCount,
    department: r.department, dueAt: r.dueAt, createdAt: r.createdAt, closedAt: r.closedAt, filedBy: r.filedBy, filedByName: r.filedByName,
    sourcePlatform: r.sourcePlatform,
  }).from(r).where(and(...where)).orderBy(asc(r.createdAt), asc(r.id)).limit(limit);
  return rows.map((x) => ({ ...x, sourcePlatform: x.sourcePlatform as Platform }));
}

/**
 * 委员履职: items forwarded (every source a member contributed, "+1"s included), consultations attended
 * (attendance recorded when a consultation is marked held), write-ups adopted (credited to the members
 * whose records the write-up was drawn from). Senders not registered as people are listed by their name.
 * Registered staff and admins are not members: what they file or attend is their work, not 履职, so they are
 * left out; so is an attendee written in 参加 who is nobody registered (a 社区书记, a department's officer).
 */
export async function memberFigures(db: Db): Promise<MemberFigure[]> {
  const people = await db.select({ id: t.people.id, name: t.people.name, role: t.people.role, townCode: t.people.townCode }).from(t.people);
  const idents = await db.select().from(t.identities);
  const personOf = new Map(idents.map((i) => [i.externalId, i.personId]));
  const figures = new Map<string, MemberFigure>();
  for (const p of people.filter((x) => x.role === 'member')) {
    figures.set(p.id, { personId: p.id, name: p.name, townCode: p.townCode, forwarded: 0, consultationsAttended: 0, writeupsAdopted: 0 });
  }
  const notMember = new Set(people.filter((x) => x.role !== 'member').map((x) => x.id));
  const get = (key: string, name: string | null): MemberFigure => {
    let f = figures.get(key);
    if (!f) {
      const p = people.find((x) => x.id === key);
      f = { personId: p?.id ?? null, name: p?.name ?? name ?? key, townCode: p?.townCode ?? null, forwarded: 0, consultationsAttended: 0, writeupsAdopted: 0 };
      figures.set(key, f);
    }
    return f;
  };
  const sources = await db.select({ senderId: t.recordSources.senderId, senderName: t.recordSources.senderName, n: count() })
    .from(t.recordSources).groupBy(t.recordSources.senderId, t.recordSources.senderName);
  for (const s of sources) {
    const key = personOf.get(s.senderId) ?? s.senderId;
    if (!notMember.has(key)) get(key, s.senderName).forwarded += s.n;
  }
  const held = await db.select({ attendees: o.consultations.attendees }).from(o.consultations).where(inArray(o.consultations.status, ['held', 'closed']));
  for (const c of held) for (const a of JSON.parse(c.attendees) as string[]) if (figures.has(a)) figures.get(a)!.consultationsAttended += 1;
  const adopted = await db.select({ recordIds: o.writeups.recordIds }).from(o.writeups).where(eq(o.writeups.status, 'adopted'));
  for (const w of adopted) {
    const ids = JSON.parse(w.recordIds) as string[];
    if (!ids.length) continue;
    const filers = await db.selectDistinct({ filedBy: t.records.filedBy, name: t.records.filedByName }).from(t.records).where(inArray(t.records.id, ids));
    const credited = new Set(filers.map((f) => personOf.get(f.filedBy) ?? f.filedBy));
    for (const key of credited) if (!notMember.has(key)) get(key, filers.find((f) => (personOf.get(f.filedBy) ?? f.filedBy) === key)?.name ?? null).writeupsAdopted += 1;
  }
  return [...figures.values()].sort((a, b) => b.forwarded - a.forwarded || a.name.localeCompare(b.name));
}

export async function repliesToChat(db: Db, chatId: string) {
  const rows = await db.select().from(t.replies).where(like(t.replies.target, `%"chatId":${JSON.stringify(chatId)}%`)).orderBy(asc(t.replies.createdAt), sql`rowid`);
  return rows.map(toReply);
}
