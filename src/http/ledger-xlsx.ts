import ExcelJS from 'exceljs';
import { FIGURE_COLUMNS, LEDGER_COLUMNS, type LedgerExport } from '../app/export-ledger.js';

/** The 台账 workbook: sheet 台账 (one row per record) and sheet 委员履职. */
export async function ledgerWorkbook(data: LedgerExport): Promise<Uint8Array<ArrayBuffer>> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minyi';
  const sheet = wb.addWorksheet('台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...LEDGER_COLUMNS]);
  for (const r of data.rows) sheet.addRow(r);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((c, i) => {
    c.width = [16, 12, 16, 8, 10, 14, 30, 50][i] ?? 12;
  });
  const figures = wb.addWorksheet('委员履职');
  figures.addRow([...FIGURE_COLUMNS]);
  for (const f of data.figures) figures.addRow(f);
  figures.getRow(1).font = { bold: true };
  if (!data.raw) sheet.headerFooter.oddFooter = '个人信息已脱敏';
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
