import { statusLabel } from './status.js';
import { formatShanghai, shanghaiWeek } from './time.js';
import type { RecordView } from './types.js';

/**
 * 本周待办 for one scope. Each record appears once, in the most pressing group: overdue, then due this
 * week, then waiting for 研判 (new, not yet assigned). Weeks are Monday–Sunday in Asia/Shanghai.
 */
export interface TodoConsultation {
  code: string;
  title: string;
  at: number;
}

export interface TodoInput {
  scopeLabel: string;
  now: number;
  /** Records in registered / awaiting_info, newest first. */
  waiting: RecordView[];
  /** Open records with a due date before the end of this week. */
  due: RecordView[];
  consultations: TodoConsultation[];
  /** Per group, how many to list before "…还有 N 条". */
  maxPerGroup?: number;
  /** A query stopped at its limit: that group's count is a lower bound, shown as "N+". */
  truncated?: { waiting: boolean; due: boolean };
}

export interface TodoGroup {
  key: 'overdue' | 'due_this_week' | 'waiting' | 'consultations';
  label: string;
  lines: string[];
  total: number;
}

const WAITING = new Set(['registered', 'awaiting_info']);

function line(r: RecordView, extra: string): string {
  return `${r.code} ${statusLabel(r.status)} ${r.townName ?? '镇街待确认'}｜${r.summary}${extra}`;
}

function day(ms: number): string {
  return formatShanghai(ms).slice(5, 10);
}

export function weekTodo(input: TodoInput): { title: string; groups: TodoGroup[]; text: string } {
  const week = shanghaiWeek(input.now);
  const max = input.maxPerGroup ?? 20;
  const seen = new Set<string>();
  const take = (rs: RecordView[]) => rs.filter((r) => !seen.has(r.id) && (seen.add(r.id), true));
  const overdue = take(input.due.filter((r) => r.dueAt !== null && r.dueAt < input.now));
  const dueWeek = take(input.due.filter((r) => r.dueAt !== null && r.dueAt >= input.now && r.dueAt < week.end));
  const waiting = take(input.waiting.filter((r) => WAITING.has(r.status)));
  const consults = input.consultations.filter((c) => c.at >= week.start && c.at < week.end);
  const groups: TodoGroup[] = [
    { key: 'overdue', label: '已逾期', total: overdue.length, lines: overdue.map((r) => line(r, `（应于 ${day(r.dueAt!)} 办结${r.department ? `，${r.department}` : ''}）`)) },
    { key: 'due_this_week', label: '本周到期', total: dueWeek.length, lines: dueWeek.map((r) => line(r, `（${day(r.dueAt!)} 到期${r.department ? `，${r.department}` : ''}）`)) },
    { key: 'waiting', label: '待研判（新登记，尚未交办）', total: waiting.length, lines: waiting.map((r) => line(r, r.affectedCount > 1 ? `（${r.affectedCount} 人次）` : '')) },
    { key: 'consultations', label: '本周协商', total: consults.length, lines: consults.map((c) => `${c.code} ${formatShanghai(c.at).slice(5)}｜${c.title}`) },
  ];
  const plus = (key: TodoGroup['key']) => (key === 'waiting' ? input.truncated?.waiting : key === 'consultations' ? false : input.truncated?.due) ?? false;
  const title = `本周待办（${input.scopeLabel}，${day(week.start)}—${day(week.end - 1)}）`;
  const body = groups.filter((g) => g.total > 0).map((g) => {
    const more = g.lines.length > max ? [`…还有 ${g.lines.length - max} 条`] : [];
    return [`【${g.label}】${g.total}${plus(g.key) ? '+' : ''} 条`, ...g.lines.slice(0, max).map((l) => `· ${l}`), ...more].join('\n');
  });
  return { title, groups, text: body.length ? body.join('\n\n') : '本周没有待办事项。' };
}
