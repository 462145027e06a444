/**
 * Asia/Shanghai has no daylight saving time, so a fixed +08:00 offset is exact and keeps the core free of
 * Intl time-zone data (which Workers and Node ship differently).
 */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export interface LocalDate {
  year: number;
  month: number;
  day: number;
  weekday: number; // 1 = Monday … 7 = Sunday
}

export function shanghaiDate(ms: number): LocalDate {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  const wd = d.getUTCDay();
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: wd === 0 ? 7 : wd };
}

/** [start, end) of the Monday–Sunday week containing `ms`, in UTC epoch milliseconds. */
export function shanghaiWeek(ms: number, offsetWeeks = 0): { start: number; end: number } {
  const local = ms + SHANGHAI_OFFSET_MS;
  const dayStart = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  const weekday = shanghaiDate(ms).weekday;
  const start = dayStart - (weekday - 1) * DAY_MS - SHANGHAI_OFFSET_MS + offsetWeeks * 7 * DAY_MS;
  return { start, end: start + 7 * DAY_MS };
}

export function formatShanghai(ms: number): string {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

export function addDays(ms: number, days: number): number {
  return ms + days * DAY_MS;
}
