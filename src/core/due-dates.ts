import type { DueSpec } from './commands.js';
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

/** A typed 时限 (7天 / 2026-12-05) as a deadline; it wins over the default. A date in the past is refused. */
export function resolveDue(spec: DueSpec, now: number): number {
  if ('days' in spec) {
    if (spec.days < 1 || spec.days > 365) throw new BotError('bad_request', '时限应在 1 到 365 天之间');
    return endOfLocalDay(now, spec.days);
  }
  const m = DATE_RE.exec(spec.date);
  if (!m) throw new BotError('bad_request', `无法识别的日期 ${spec.date}`);
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - SHANGHAI_OFFSET_MS;
  const check = new Date(at + SHANGHAI_OFFSET_MS);
  if (check.getUTCMonth() + 1 !== Number(m[2])) throw new BotError('bad_request', `无效日期 ${spec.date}`);
  const due = endOfLocalDay(at);
  if (due < now) throw new BotError('bad_request', `时限 ${spec.date} 已经过去`);
  return due;
}
