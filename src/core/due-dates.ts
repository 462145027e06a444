import type { DueSpec } from './due-spec.js';
import { BotError } from './errors.js';
import { SHANGHAI_OFFSET_MS } from './time.js';
import type { Urgency } from './types.js';

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days to handle by urgency (the 12345 practice: urgent within days, ordinary within 15 working days). */
const BY_URGENCY: Record<Urgency, number> = { urgent: 3, normal: 15, low: 30 };

/**
 * Level-1 categories whose ordinary items usually move faster or slower than 15 days. Safety and
 * livelihood matters (卫生计生, 民政, 劳动和社会保障) are shorter; planning-type ones (国土资源) longer.
 */
const CATEGORY_DAYS: Readonly<Record<string, number>> = {
  '05': 10, // 劳动和社会保障: wage arrears cannot wait
  '07': 10, // 卫生计生
  '08': 10, // 民政
  '11': 30, // 国土资源
};

export function dueDays(urgency: Urgency, categoryCode: string): number {
  if (urgency !== 'normal') return BY_URGENCY[urgency];
  return CATEGORY_DAYS[categoryCode.split('.')[0] ?? ''] ?? BY_URGENCY.normal;
}

/** The end (23:59:59.999 Asia/Shanghai) of the local day `days` days after `now`. */
export function endOfLocalDay(now: number, days = 0): number {
  const local = now + SHANGHAI_OFFSET_MS;
  const start = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  return start + (days + 1) * DAY_MS - 1 - SHANGHAI_OFFSET_MS;
}

export function defaultDueAt(now: number, urgency: Urgency, categoryCode: string): number {
  return endOfLocalDay(now, dueDays(urgency, categoryCode));
}

/** A typed 时限 (7天 / 10个工作日 / 一个月 / 2026-12-05 / 12月5日) as a deadline; it wins over the default. */
export function resolveDue(spec: DueSpec, now: number): number {
  if ('days' in spec) {
    if (spec.days < 1 || spec.days > 365) throw new BotError('bad_request', '时限应在 1 到 365 天之间');
    return endOfLocalDay(now, spec.days);
  }
  if ('workdays' in spec) {
    if (spec.workdays < 1 || spec.workdays > 250) throw new BotError('bad_request', '时限应在 1 到 250 个工作日之间');
    return endOfLocalDay(now, calendarDaysFor(spec.workdays, localWeekday(now)));
  }
  const today = localDate(now);
  if ('months' in spec) {
    if (spec.months < 1 || spec.months > 12) throw new BotError('bad_request', '时限应在 1 到 12 个月之间');
    const month = today.month + spec.months;
    const year = today.year + Math.floor((month - 1) / 12);
    const m = ((month - 1) % 12) + 1;
    // 1月31日 plus one month is the last day of February, as people count it.
    return dayEnd(year, m, Math.min(today.day, daysInMonth(year, m)));
  }
  if ('month' in spec) {
    const label = `${spec.month}月${spec.day}日`;
    if (!realDate(today.year, spec.month, spec.day) && !realDate(today.year + 1, spec.month, spec.day)) throw new BotError('bad_request', `无效日期 ${label}`);
    const thisYear = realDate(today.year, spec.month, spec.day) ? dayEnd(today.year, spec.month, spec.day) : -1;
    return thisYear >= now ? thisYear : dayEnd(today.year + 1, spec.month, spec.day);
  }
  const m = DATE_RE.exec(spec.date);
  if (!m) throw new BotError('bad_request', `无法识别的日期 ${spec.date}`);
  if (!realDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw new BotError('bad_request', `无效日期 ${spec.date}`);
  const due = dayEnd(Number(m[1]), Number(m[2]), Number(m[3]));
  if (due < now) throw new BotError('bad_request', `时限 ${spec.date} 已经过去`);
  return due;
}

/** Calendar days from a day of the week (0 Sunday) until `workdays` weekdays have passed after it. */
function calendarDaysFor(workdays: number, weekday: number): number {
  let days = 0;
  for (let left = workdays; left > 0; ) {
    days++;
    const d = (weekday + days) % 7;
    if (d !== 0 && d !== 6) left--;
  }
  return days;
}

function localDate(now: number): { year: number; month: number; day: number } {
  const d = new Date(now + SHANGHAI_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function localWeekday(now: number): number {
  return new Date(now + SHANGHAI_OFFSET_MS).getUTCDay();
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function realDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The end of a local calendar day (23:59:59.999 Asia/Shanghai). */
function dayEnd(year: number, month: number, day: number): number {
  return endOfLocalDay(Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS);
}
