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
    const code = await file(s, '侨英街道兑山社区路灯坏了，联系电话13812345678，身份证350211199001011234', 'm1');
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
    // The registered name, as 委员履职 shows it, not the name the platform sent ('委员m1').
    expect(row[14]).toBe('张委员');
    expect(figures[0]).toEqual(['委员', '镇街', '反映件数', '参加协商', '社情民意采用']);
    expect(figures.find((f) => f[0] === '张委员')?.[2]).toBe(1);

    const raw = JSON.stringify((await sheetRows(await s.api('/api/export.xlsx?raw=1'))).ledger);
    expect(raw).toContain('13812345678');
    expect((await s.api('/api/export.xlsx', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await s.api('/api/export.xlsx?town=火星')).status).toBe(400);
  });
});

describe('xlsx export: masking every text cell, and filters that refuse what they do not know', () => {
  it('masks the filer\'s name in 台账 and 委员履职 unless raw=1', async () => {
    s = await startTestServer({ clock: new FixedClock(MONDAY + 10 * HOUR) });
    const res = await s.api('/api/messages', { method: 'POST', body: JSON.stringify({ text: '侨英街道兑山社区路灯坏了', sender: { id: 'r9', name: '李四 13800001111' } }) });
    expect(res.status).toBe(202);
    await s.settle();
    const { ledger, figures } = await sheetRows(await s.api('/api/export.xlsx'));
    expect(JSON.stringify([ledger, figures])).not.toContain('13800001111');
    expect(ledger[1]![14]).toBe('李四 138****1111');
    // Codes and times are not personal data and come out as they were.
    expect(ledger[1]![0]).toMatch(/^JM-\d{4}-\d{4}$/);
    expect(ledger[1]![11]).toBe('2026-06-01 10:00');
    expect((await sheetRows(await s.api('/api/export.xlsx?raw=1'))).ledger[1]![14]).toBe('李四 13800001111');
  });

  it('answers 400 naming an unknown status, parameter or category instead of exporting everything', async () => {
    s = await startTestServer({ clock: new FixedClock(MONDAY + 10 * HOUR) });
    const refused = async (query: string, names: string) => {
      const res = await s.api(`/api/export.xlsx?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(names);
    };
    await refused('status=resovled', 'resovled');
    await refused('status=resolved,bogus', 'bogus');
    await refused('stauts=resolved', 'stauts');
    await refused('foo=bar', 'foo');
    await refused('category=99', '99');
    await refused('since=Nov%2027', 'Nov 27');
    expect((await s.api('/api/export.xlsx?status=resolved&category=01')).status).toBe(200);
  });

  it('reads a date-only since/until as whole days in Asia/Shanghai', async () => {
    const clock = new FixedClock(MONDAY + 30 * 60_000); // 2026-06-01 00:30 Shanghai, still 05-31 in UTC
    s = await startTestServer({ clock });
    const early = await file(s, '侨英街道兑山社区路灯坏了');
    clock.advance(23 * HOUR); // 2026-06-01 23:30 Shanghai, 06-01 in UTC too
    const late = await file(s, '侨英街道金林社区下水道堵了');
    clock.advance(HOUR); // 2026-06-02 00:30 Shanghai
    await file(s, '灌口镇黄庄社区垃圾没人清理');
    const codes = async (q: string) => (await sheetRows(await s.api(`/api/export.xlsx?${q}`))).ledger.slice(1).map((r) => r[0]);
    expect(await codes('since=2026-06-01&until=2026-06-01')).toEqual([early, late]);
    expect(await codes('since=2026-06-01T23:00&until=2026-06-02T00:00')).toEqual([late]);
  });
});
