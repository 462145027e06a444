import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app/deps.js';
import { ledgerExport } from '../app/export-ledger.js';
import { formatShanghai } from '../core/time.js';
import { bearerAuth } from './auth.js';
import { ledgerWorkbook } from './ledger-xlsx.js';
import { parseOrThrow, recordFilter, recordFilterFields, singleValued } from './record-query.js';

/** The record filters of GET /api/records, plus `raw=1` (unmasked; the token is the office admin's). */
const exportQuery = z.strictObject({
  ...recordFilterFields,
  raw: z.enum(['0', '1', 'true', 'false']).optional(),
});

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `GET /api/export.xlsx`: the 台账 and 委员履职 as a workbook, masked unless `raw=1`. */
export function exportRoute(deps: AppDeps, token: string): Hono {
  const api = new Hono();
  api.use('/export.xlsx', bearerAuth(token));
  api.get('/export.xlsx', async (c) => {
    const q = parseOrThrow(exportQuery, singleValued(c.req.queries()), 'query');
    const raw = q.raw === '1' || q.raw === 'true';
    const data = await ledgerExport(deps, recordFilter(deps, q), raw);
    if (raw) deps.log.warn('export.raw', { rows: data.rows.length });
    const body = await ledgerWorkbook(data);
    const name = `minyi-ledger-${formatShanghai(deps.clock.now()).slice(0, 10)}.xlsx`;
    return new Response(body, { headers: { 'content-type': XLSX_TYPE, 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' } });
  });
  return api;
}
