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

/** `limit` of a listing: a whole number, said so in the words of the other parameters' refusals. */
export function limitParam(max: number, fallback: number) {
  return z.string().optional().transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (n >= 1 && n <= max) return n;
    ctx.addIssue({ code: 'custom', message: `「${v}」 is not a whole number from 1 to ${max}` });
    return z.NEVER;
  });
}

/** Parameters that take several values, given once as a comma list. */
const LISTS = new Set(['status']);

/**
 * A query with each parameter once. Read as a plain object, `status=resolved&status=registered` would keep
 * only the first value and answer for less than was asked, so a repeated parameter is a 400 naming it.
 */
export function singleValued(queries: Record<string, string[]>): Record<string, string> {
  for (const [key, values] of Object.entries(queries)) {
    if (values.length < 2) continue;
    const how = LISTS.has(key) ? `once, several values as a comma list (${key}=${values.join(',')})` : 'once';
    throw new PayloadError(`${key} is given ${values.length} times; give it ${how}`);
  }
  return Object.fromEntries(Object.entries(queries).map(([k, v]) => [k, v[0] ?? '']));
}

type FilterQuery = { status?: string | undefined; town?: string | undefined; category?: string | undefined; since?: number | undefined; until?: number | undefined };

/** The fields of the object schema at `path` (a nested object, possibly optional), for naming what exists. */
function objectKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let at: z.ZodType | undefined = schema;
  for (const key of path) {
    if (at instanceof z.ZodOptional) at = at.unwrap() as z.ZodType;
    at = at instanceof z.ZodObject ? (at.shape as Record<PropertyKey, z.ZodType>)[key] : undefined;
  }
  if (at instanceof z.ZodOptional) at = at.unwrap() as z.ZodType;
  return at instanceof z.ZodObject ? Object.keys(at.shape) : [];
}

/**
 * Parses a request body or query, or throws a 400 naming the field. With a strict schema an unknown (often
 * misspelt) parameter is named too, with the ones that exist.
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query'): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const at = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new PayloadError(`${at}未知参数「${issue.keys.join('」「')}」（可用：${objectKeys(schema, issue.path).join(', ')}）`);
  }
  const at = issue.path.join('.') || where;
  // zod says "expected string, received undefined"; a caller who left a field out needs to hear just that.
  if (issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(value, issue.path) === undefined) {
    throw new PayloadError(`${at}: 缺少必填参数「${String(issue.path.at(-1))}」`);
  }
  throw new PayloadError(`${at}: ${issue.message}`);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
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
