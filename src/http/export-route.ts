import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app/deps.js';
import { ledgerExport } from '../app/export-ledger.js';
import { PayloadError } from '../core/errors.js';
import { findTown } from '../core/place-decision.js';
import { formatShanghai } from '../core/time.js';
import { bearerAuth } from './auth.js';
import { ledgerWorkbook } from './ledger-xlsx.js';

const DIGITS = /^\d+$/;
const timeParam = z.string().transform((v, ctx) => {
  const ms = DIGITS.test(v) ? Number(v) : Date.parse(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO date or epoch milliseconds' });
    return z.NEVER;
  }
  return ms;
});

/** The record filters of GET /api/records, plus `raw=1` (unmasked; the token is the office admin's). */
const exportQuery = z.object({
  status: z.string().optional(),
  town: z.string().optional(),
  category: z.string().optional(),
  since: timeParam.optional(),
  until: timeParam.optional(),
  raw: z.enum(['0', '1', 'true', 'false']).optional(),
});

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `GET /api/export.xlsx`: the 台账 and 委员履职 as a workbook, masked unless `raw=1`. */
export function exportRoute(deps: AppDeps, token: string): Hono {
  const api = new Hono();
  api.use('/export.xlsx', bearerAuth(token));
  api.get('/export.xlsx', async (c) => {
    const parsed = exportQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new PayloadError(`${issue.path.join('.')}: ${issue.message}`);
    }
    const q = parsed.data;
    const town = q.town ? findTown(deps.district.towns, q.town) : null;
    if (q.town && !town) throw new PayloadError(`town: 未知镇街「${q.town}」`);
    const raw = q.raw === '1' || q.raw === 'true';
    const data = await ledgerExport(deps, {
      ...(q.status ? { status: q.status.split(',').map((s) => s.trim()) } : {}),
      ...(town ? { townCode: town.code } : {}),
      ...(q.category ? { categoryCode: q.category } : {}),
      ...(q.since !== undefined ? { since: q.since } : {}),
      ...(q.until !== undefined ? { until: q.until } : {}),
    }, raw);
    if (raw) deps.log.warn('export.raw', { rows: data.rows.length });
    const body = await ledgerWorkbook(data);
    const name = `minyi-ledger-${formatShanghai(deps.clock.now()).slice(0, 10)}.xlsx`;
    return new Response(body, { headers: { 'content-type': XLSX_TYPE, 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' } });
  });
  return api;
}
