/**
 * The record filters GET /api/records and GET /api/export.xlsx share. Every value is checked here, because a
 * filter that silently ignores a typo answers with more than was asked for (the whole ledger, for an export).
 */
import { z } from 'zod';
import type { AppDeps } from '../app/deps.js';
import { PayloadError } from '../core/errors.js';
import { findTown, unknownTown } from '../core/place-decision.js';
import type { RecordFilter } from '../core/ports.js';
import { parseQueryTime, type TimeEdge } from './query-time.js';

const timeParam = (edge: TimeEdge) => z.string().transform((v, ctx) => {
  const t = parseQueryTime(v.trim(), edge);
  if (typeof t === 'number') return t;
  ctx.addIssue({ code: 'custom', message: t.error });
  return z.NEVER;
});

export const recordFilterFields = {
  status: z.string().optional(),
  town: z.string().optional(),
  category: z.string().optional(),
  since: timeParam('since').optional(),
  until: timeParam('until').optional(),
};

type FilterQuery = { status?: string | undefined; town?: string | undefined; category?: string | undefined; since?: number | undefined; until?: number | undefined };

/**
 * Parses a request body or query, or throws a 400 naming the field. With a strict schema an unknown (often
 * misspelt) parameter is named too, with the ones that exist.
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query'): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const known = schema instanceof z.ZodObject ? Object.keys(schema.shape).join(', ') : '';
    throw new PayloadError(`未知参数「${issue.keys.join('」「')}」（可用：${known}）`);
  }
  throw new PayloadError(`${issue.path.join('.') || where}: ${issue.message}`);
}

/** The store's filter for a parsed query; an unknown status, 镇街 or category is a 400, never "no filter". */
export function recordFilter(deps: AppDeps, q: FilterQuery): Omit<RecordFilter, 'limit' | 'cursor'> {
  // Unknown statuses are refused by the store's filter itself (store/record-listing.ts knownStatuses).
  const statuses = q.status?.split(',').map((x) => x.trim()).filter(Boolean);
  const townIssue = unknownTown(deps.district.towns, q.town);
  if (townIssue) throw new PayloadError(townIssue);
  const town = q.town ? findTown(deps.district.towns, q.town) : null;
  const category = q.category?.trim();
  if (category && !deps.taxonomy.byCode.has(category)) throw new PayloadError(`category: 未知分类「${category}」`);
  return {
    ...(statuses?.length ? { status: statuses } : {}),
    ...(town ? { townCode: town.code } : {}),
    ...(category ? { categoryCode: category } : {}),
    ...(q.since !== undefined ? { since: q.since } : {}),
    ...(q.until !== undefined ? { until: q.until } : {}),
  };
}
