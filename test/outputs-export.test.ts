import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { LEDGER_COLUMNS } from '../src/app/export-ledger.js';
import { file, HOUR, MONDAY, person } from './support/outputs-helpers.js';
import { FixedClock, startTestServer, type TestServer } from './support/runtime.js';

let s: TestServer;
afterEach(async () => s?.close());

async function sheetRows(res: Response): Promise<{ ledger: unknown[][]; figures: unknown[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const rows = (name: string) => {
    const out: unknown[][] = [];
    wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
    return out;
  };
  return { ledger: rows('台账'), figures: rows('委员履职') };
}

describe('xlsx export', () => {
  it('opens with the expected columns, masked personal data, and the member figures', async () => {
    s = await startTestServer({ clock: new FixedClock(MONDAY + 10 * HOUR) });
    await person(s.deps, 'm1', '张委员', 'member', null);
    const code = await file(s, '集美街道兑山社区路灯坏了，联系电话13812345678，身份证350211199001011234', 'm1');
    const res = await s.api('/api/export.xlsx?town=侨英街道');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const { ledger, figures } = await sheetRows(res);
    expect(ledger[0]).toEqual([...LEDGER_COLUMNS]);
    const row = ledger.find((r) => r[0] === code)!;
    expect(row).toBeTruthy();
    const all = JSON.stringify(ledger);
    expect(all).not.toContain('13812345678');
    expect(all).not.toContain('350211199001011234');
    expect(all).toContain('138****5678');
    expect(row[14]).toBe('委员m1');
    expect(figures[0]).toEqual(['委员', '镇街', '反映件数', '参加协商', '社情民意采用']);
    expect(figures.find((f) => f[0] === '张委员')?.[2]).toBe(1);

    const raw = JSON.stringify((await sheetRows(await s.api('/api/export.xlsx?raw=1'))).ledger);
    expect(raw).toContain('13812345678');
    expect((await s.api('/api/export.xlsx', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await s.api('/api/export.xlsx?town=火星')).status).toBe(400);
  });
});
