import { and, count, gte, lt, sql, sum } from 'drizzle-orm';
import * as t from '../../db/schema.js';
import type { Db } from './db.js';

export interface TokenStats {
  records: number;
  /** Records the LLM classified, and records that fell back to the local classifier. */
  llm: number;
  fallback: number;
  promptTokens: number;
  completionTokens: number;
  byModel: { model: string; promptVersion: string | null; records: number; promptTokens: number; completionTokens: number }[];
}

/** LLM cost for `minyi stats` and the weekly bulletin: tokens summed from the per-record counts. */
export async function tokenStats(db: Db, range: { since?: number; until?: number } = {}): Promise<TokenStats> {
  const where = and(
    range.since === undefined ? undefined : gte(t.records.createdAt, range.since),
    range.until === undefined ? undefined : lt(t.records.createdAt, range.until),
  );
  const num = (v: unknown) => Number(v ?? 0);
  const [total] = await db.select({
    records: count(),
    llm: sum(sql`case when ${t.records.categorySource} = 'llm' then 1 else 0 end`),
    fallback: sum(sql`case when ${t.records.categorySource} = 'local_fallback' then 1 else 0 end`),
    prompt: sum(t.records.promptTokens),
    completion: sum(t.records.completionTokens),
  }).from(t.records).where(where);
  const models = await db.select({
    model: t.records.model, promptVersion: t.records.promptVersion, records: count(),
    prompt: sum(t.records.promptTokens), completion: sum(t.records.completionTokens),
  }).from(t.records).where(and(where, sql`${t.records.model} is not null`)).groupBy(t.records.model, t.records.promptVersion);
  return {
    records: num(total?.records), llm: num(total?.llm), fallback: num(total?.fallback),
    promptTokens: num(total?.prompt), completionTokens: num(total?.completion),
    byModel: models.map((m) => ({ model: m.model ?? '', promptVersion: m.promptVersion, records: num(m.records), promptTokens: num(m.prompt), completionTokens: num(m.completion) })),
  };
}
