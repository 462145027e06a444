import { SHANGHAI_OFFSET_MS } from '../core/time.js';

/**
 * `since`/`until` of GET /api/records and the export. The office, its staff and every date they type are in
 * Asia/Shanghai, so a value without an offset is Shanghai time whatever the server's zone (Date.parse would
 * read a date-only value as UTC, a date-time as the server's local time, and accept "Nov 27" as 2001).
 *   2026-11-27                  since: that day's 00:00 Shanghai; until: the next day's 00:00, so the day is included
 *   2026-11-27T08:30[:15[.250]] Shanghai local time (a space may stand for the T)
 *   …Z or …+08:00 / …-0500       that instant
 *   1764201600000               epoch milliseconds
 * `until` is exclusive in every form.
 */
export type TimeEdge = 'since' | 'until';

const DAY_MS = 86_400_000;
const EPOCH_MS = /^\d{1,15}$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
// An unencoded "+08:00" in a query string arrives as " 08:00": worth a hint rather than a bare refusal.
const LOST_PLUS = /[T ]\d{2}:\d{2}(?::\d{2})? \d{2}:?\d{2}$/;

export const TIME_FORMS = 'YYYY-MM-DD, YYYY-MM-DDTHH:mm[:ss] (Asia/Shanghai unless an offset such as Z or +08:00 follows) or epoch milliseconds';

/** Epoch ms, or a message saying why the value is refused. */
export function parseQueryTime(value: string, edge: TimeEdge): number | { error: string } {
  if (EPOCH_MS.test(value)) return Number(value);
  const m = ISO.exec(value);
  if (!m) {
    if (LOST_PLUS.test(value)) return { error: `「${value}」: write the offset's + as %2B in a URL` };
    return { error: `「${value}」 is not a time; expected ${TIME_FORMS}` };
  }
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x)));
  const frac = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  // Date.UTC maps years 0–99 to 19xx; nothing in the ledger predates 1970 anyway.
  if (y! < 1970) return { error: `「${value}」: years before 1970 are not accepted` };
  const utc = Date.UTC(y!, mo! - 1, d!, h, mi, s, frac);
  const back = new Date(utc);
  if (back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59) {
    return { error: `「${value}」 is not a real date or time` };
  }
  const zone = m[8];
  let offset = SHANGHAI_OFFSET_MS;
  if (zone && zone.toUpperCase() === 'Z') offset = 0;
  else if (zone) {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 14 || om > 59) return { error: `「${value}」: offset ${zone} is not a real offset` };
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 3600_000 + om * 60_000);
  }
  const dateOnly = m[4] === undefined;
  return utc - offset + (dateOnly && edge === 'until' ? DAY_MS : 0);
}
