/**
 * Records newest first, keyset-paged (GET /api/records, 本周待办's waiting list, 我的记录).
 *
 * Why one query per status and per category code: SQLite walks an index in (created_at) order only for one
 * value of each equality column. With `status IN (a, b)`, or a category and its children (`LIKE '01.%'`,
 * which no index serves), it either sorts every match (tens of thousands of full rows at a million records)
 * or walks the whole table by date looking for rare ones. One ordered walk per value with LIMIT n, merged
 * here, reads at most values × (n + 1) keys and n + 1 whole rows whatever the table holds
 * (test/bench/query-bench.ts).
 */
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import * as t from '../../db/schema.js';
import { BotError } from '../core/errors.js';
import type { RecordFilter } from '../core/ports.js';
import { isStatus, RECORD_STATUSES } from '../core/status.js';
import type { Db } from './db.js';
import { decodeCursor, encodeCursor, type RecordViewColumn } from './row-mapping.js';

type RecordRow = Pick<typeof t.records.$inferSelect, RecordViewColumn>;

const r = t.records;
/**
 * Why not every column: a row's raw text and fingerprint were most of the bytes read and turned into strings
 * for each listed record, only to be dropped by the view (50 records of a town: 0.63 → 0.38 ms in SQLite).
 */
const viewColumns = {
  id: r.id, code: r.code, status: r.status, categoryCode: r.categoryCode, categoryName: r.categoryName, categorySource: r.categorySource,
  appealType: r.appealType, townCode: r.townCode, townAssumed: r.townAssumed, place: r.place, summary: r.summary, textMasked: r.textMasked,
  urgency: r.urgency, confidence: r.confidence, rationale: r.rationale, affectedCount: r.affectedCount, duplicateOf: r.duplicateOf,
  department: r.department, dueAt: r.dueAt, filedBy: r.filedBy, filedByName: r.filedByName, sourcePlatform: r.sourcePlatform,
  sourceChatId: r.sourceChatId, createdAt: r.createdAt, updatedAt: r.updatedAt,
} satisfies Record<RecordViewColumn, unknown>;

/** Above this many (status × category) walks one query with IN lists is cheaper than the round trips. */
const MAX_WALKS = 24;
/** A level-1 category has a dozen children at most; the bound only stops a runaway loop. */
const MAX_CHILD_CODES = 200;

/**
 * The category and the codes below it that records actually carry, found by hopping along the category
 * index (one O(log n) probe per code) rather than reading every matching row.
 */
async function categoryCodes(db: Db, code: string): Promise<string[]> {
  const c = t.records.categoryCode;
  const codes = [code];
  // '/' sorts right after '.', so [code., code/) holds exactly the codes that start with "code.".
  const end = `${code}/`;
  let after = `${code}.`;
  for (let i = 0; i < MAX_CHILD_CODES; i++) {
    const [row] = await db.select({ code: c }).from(t.records).where(and(gt(c, after), lt(c, end))).orderBy(asc(c)).limit(1);
    if (!row) break;
    codes.push(row.code);
    after = row.code;
  }
  return codes;
}

function newestFirst(a: Pick<RecordRow, 'id' | 'createdAt'>, b: Pick<RecordRow, 'id' | 'createdAt'>): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * Several walks: each reads only its keys (id, created_at), the merge keeps the newest `n`, and only those
 * are read whole. Why: mapping full rows (thirty columns, the message text) was most of the time when a
 * level-1 category's dozen walks read 51 rows each to keep 51.
 */
async function mergedWalks(db: Db, common: SQL[], walks: SQL[][], n: number): Promise<RecordRow[]> {
  const keys = await Promise.all(walks.map((w) => db.select({ id: r.id, createdAt: r.createdAt }).from(r).where(and(...common, ...w))
    .orderBy(desc(r.createdAt), desc(r.id)).limit(n)));
  const newest = keys.flat().sort(newestFirst).slice(0, n);
  if (newest.length === 0) return [];
  // One JSON parameter rather than one per id: D1 binds at most 100 parameters, and a page may hold 500.
  const ids = JSON.stringify(newest.map((k) => k.id));
  const rows = await db.select(viewColumns).from(r).where(sql`${r.id} IN (SELECT value FROM json_each(${ids}))`);
  return rows.sort(newestFirst);
}

export async function listRecordRows(db: Db, f: RecordFilter): Promise<{ rows: RecordRow[]; nextCursor: string | null }> {
  const common: SQL[] = [];
  if (f.townCode) common.push(eq(r.townCode, f.townCode));
  if (f.since !== undefined) common.push(gte(r.createdAt, f.since));
  if (f.filedBy) common.push(eq(r.filedBy, f.filedBy));
  const after = f.cursor ? decodeCursor(f.cursor) : null;
  if (f.cursor && !after) throw new BotError('bad_request', 'cursor 无效');
  // One upper bound on created_at, the tighter: given two (`until` and a page's cursor), SQLite seeks the
  // index by `until` and reads every row between it and the cursor (a month's last page: 3 ms, not 0.1).
  if (f.until !== undefined && !(after && after.createdAt < f.until)) common.push(lt(r.createdAt, f.until));
  if (after) {
    // The `<=` repeats what the OR implies: SQLite seeks only by a plain range, and with the OR alone each walk
    // started at the newest record and read every row above the cursor for its id (page k read k pages).
    common.push(lte(r.createdAt, after.createdAt), or(lt(r.createdAt, after.createdAt), and(eq(r.createdAt, after.createdAt), lt(r.id, after.id)))!);
  }
  const statuses = knownStatuses(f.status);
  const codes = f.categoryCode ? await categoryCodes(db, f.categoryCode) : [];
  const statusSets: SQL[][] = statuses.length ? statuses.map((s) => [eq(r.status, s)]) : [[]];
  const codeSets: SQL[][] = codes.length ? codes.map((c) => [eq(r.categoryCode, c)]) : [[]];
  let walks: SQL[][];
  if (statusSets.length * codeSets.length <= MAX_WALKS) walks = statusSets.flatMap((s) => codeSets.map((c) => [...s, ...c]));
  else walks = statusSets.map((s) => [...s, inArray(r.categoryCode, codes)]);
  const rows = walks.length === 1
    ? await db.select(viewColumns).from(r).where(and(...common, ...walks[0]!)).orderBy(desc(r.createdAt), desc(r.id)).limit(f.limit + 1)
    : await mergedWalks(db, common, walks, f.limit + 1);
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > f.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

/**
 * A filter's statuses, refused rather than dropped when one is unknown: dropping every value of a typo'd list
 * would leave no status filter at all (a whole ledger for `status=resovled`).
 */
export function knownStatuses(list: string[] | undefined): string[] {
  const unknown = list?.find((s) => !isStatus(s));
  if (unknown !== undefined) throw new BotError('bad_request', `status: 未知状态「${unknown}」（可选：${RECORD_STATUSES.join(', ')}）`);
  return [...new Set(list ?? [])];
}
