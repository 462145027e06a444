/**
 * The record filters GET /api/records and GET /api/export.xlsx share. Every value is checked here, because a
 * filter that silently ignores a typo answers with more than was asked for (the whole ledger, for an export).
 */
import { z } from 'zod';
import type { AppDeps } from '../app/deps.js';
import { PayloadError } from '../core/errors.js';
import { findTown } from '../core/place-decision.js';
import type { RecordFilter } from '../core/ports.js';
import { isStatus, RECORD_STATUSES } from '../core/status.js';
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

/** Parses a query with a strict schema: an unknown (often misspelt) parameter is a 400 naming it. */
export function parseQuery<T>(schema: z.ZodType<T>, query: Record<string, string>): T {
  const r = schema.safeParse(query);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const known = schema instanceof z.ZodObject ? Object.keys(schema.shape).join(', ') : '';
    throw new PayloadError(`未知参数「${issue.keys.join('」「')}」（可用：${known}）`);
  }
  throw new PayloadError(`${issue.path.join('.') || 'query'}: ${issue.message}`);
}

/** The store's filter for a parsed query; an unknown status, 镇街 or category is a 400, never "no filter". */
export function recordFilter(deps: AppDeps, q: FilterQuery): Omit<RecordFilter, 'limit' | 'cursor'> {
  const statuses = q.status?.split(',').map((x) => x.trim()).filter(Boolean);
  const unknown = statuses?.find((x) => !isStatus(x));
  if (unknown !== undefined) throw new PayloadError(`status: 未知状态「${unknown}」（可选：${RECORD_STATUSES.join(', ')}）`);
  const town = q.town ? findTown(deps.district.towns, q.town) : null;
  if (q.town && !town) throw new PayloadError(`town: 未知镇街「${q.town}」`);
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
