/**
 * The 台账 for export: records with the API's filters, personal data masked unless `raw` (which only an
 * admin may ask for: on the API the bearer token is the office admin's, on the CLI it is whoever holds
 * the database file), plus the member figures.
 */
import { maskPersonalData } from '../core/masking.js';
import type { LedgerRow, MemberFigure } from '../core/outputs-ports.js';
import type { RecordFilter } from '../core/ports.js';
import { statusLabel } from '../core/status.js';
import { formatShanghai } from '../core/time.js';
import type { AppDeps } from './deps.js';
import { outputsOf, townName } from './outputs-common.js';

export const LEDGER_COLUMNS = ['编号', '状态', '分类', '诉求类型', '镇街', '社区/村', '摘要', '反映内容', '反映人次', '承办部门', '时限', '登记时间', '办结时间', '按时办结', '反映委员', '来源'] as const;
export const FIGURE_COLUMNS = ['委员', '镇街', '反映件数', '参加协商', '社情民意采用'] as const;
export const MAX_EXPORT_ROWS = 100_000;

const SOURCE_LABELS: Record<string, string> = { feishu: '飞书', dingtalk: '钉钉', http: '接口' };

export interface LedgerExport {
  rows: (string | number)[][];
  figures: (string | number)[][];
  raw: boolean;
}

function onTime(r: LedgerRow, now: number): string {
  if (r.dueAt === null) return '';
  if (r.closedAt !== null) return r.closedAt <= r.dueAt ? '是' : '否';
  return r.dueAt < now ? '已逾期' : '';
}

export async function ledgerExport(deps: AppDeps, filter: Omit<RecordFilter, 'limit' | 'cursor'>, raw: boolean): Promise<LedgerExport> {
  const out = outputsOf(deps);
  const now = deps.clock.now();
  // Every text cell, not a chosen few: names and staff-typed fields hold phone numbers as often as the text.
  const mask = (row: (string | number | null)[]) => row.map((v) => (v === null ? '' : raw || typeof v !== 'string' ? v : maskPersonalData(v, { houseNumbers: true }).text));
  const ledger = await out.ledger(filter, raw, MAX_EXPORT_ROWS);
  const rows = ledger.map((r) => mask([
    r.code, statusLabel(r.status), r.categoryName, r.appealType, r.townCode ? townName(deps, r.townCode) : '待确认', r.place,
    r.summary, r.text, r.affectedCount, r.department, r.dueAt ? formatShanghai(r.dueAt) : '',
    formatShanghai(r.createdAt), r.closedAt ? formatShanghai(r.closedAt) : '', onTime(r, now), r.filedByName ?? r.filedBy,
    SOURCE_LABELS[r.sourcePlatform] ?? r.sourcePlatform,
  ]));
  const figures = (await out.memberFigures()).map((f: MemberFigure) => mask([f.name, f.townCode ? townName(deps, f.townCode) : '', f.forwarded, f.consultationsAttended, f.writeupsAdopted]));
  return { rows, figures, raw };
}
