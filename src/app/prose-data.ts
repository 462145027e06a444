/**
 * The structured data a Writer turns into prose, built from the same objects the templates render: only
 * masked excerpts and computed figures, never a resident's raw text.
 */
import type { Agenda } from '../core/agenda.js';
import type { Bulletin } from '../core/bulletin.js';
import type { Writer } from '../core/ports.js';
import { templateWriter } from '../core/template-writer.js';
import type { RecordView } from '../core/types.js';
import { residentSentences } from '../core/writeup-text.js';
import type { AppDeps } from './deps.js';
import { groupQuote, outwardRecord } from './outward-text.js';

const EXCERPT_CHARS = 120;
const clip = (s: string) => (s.length > EXCERPT_CHARS ? `${s.slice(0, EXCERPT_CHARS)}…` : s);

export function writerOf(deps: AppDeps): Writer {
  return deps.writer ?? templateWriter;
}

export function agendaProseData(a: Agenda, records: RecordView[], townName: string, categoryName: string) {
  return {
    topic: a.topic, townName, categoryName, facts: a.background, excerpts: records.map((r) => clip(groupQuote(r.textMasked))),
    consultationType: a.typeLabel, participants: a.participants.map((p) => `${p.role}：${p.who}`),
  };
}

/** Residents' contact details are not in what the model sees either: it could only copy them into the write-up. */
export function writeupProseData(main: RecordView, records: RecordView[], townName: string | null, categoryName: string) {
  const words = (text: string) => residentSentences(text).join('');
  return {
    recordCode: records.map((r) => r.code).join('、'), categoryName, townName, summary: words(outwardRecord(main).summary) || categoryName,
    texts: records.map((r) => clip(words(outwardRecord(r).textMasked))).filter(Boolean), affectedCount: records.reduce((n, r) => n + Math.max(1, r.affectedCount), 0),
  };
}

/** Figures exactly as the template prints them; hot issues by category only (no resident text). */
export function bulletinProseData(b: Bulletin) {
  return {
    weekLabel: b.period, scope: b.title,
    figures: {
      本周新增: b.newCount, 上周新增: b.prevCount, 环比变化百分比: b.changePct ?? '无法计算', 累计: b.cumulative,
      交办: b.assigned, 办结: b.closed, 按时办结: b.closedOnTime, 逾期未办结: b.openPastDue,
      按时办结率: b.onTimeRate === null ? '—' : `${b.onTimeRate}%`,
      本周召开微协商: b.consultations.held, 已安排微协商: b.consultations.planned,
      报送社情民意信息: b.writeups.submitted, 采用社情民意信息: b.writeups.adopted,
    },
    byCategory: b.byCategory, byTown: b.byTown,
    hotIssues: b.hot.map((h) => ({ summary: `${h.category}（${h.records} 件）`, count: h.reports })),
  };
}
