/**
 * A time limit (时限) as staff type it after 交办 or in a consultation decision: 「7天」「七天」「10个工作日」
 * 「两周」「一个月」「2026-12-05」「12月5日前」. Parsing is shape only; core/due-dates.ts turns a spec into a
 * deadline against the clock.
 */
export type DueSpec =
  | { days: number }
  /** Monday to Friday; the State Council's adjusted holidays (调休) are not known here. */
  | { workdays: number }
  | { months: number }
  | { date: string }
  /** 「12月5日」: the next such day, this year or next. */
  | { month: number; day: number };

const NUMBER = '([0-9]{1,3}|[一二两三四五六七八九十]{1,3})';
const SPAN_RE = new RegExp(`(?:时限|期限|限期)?\\s*${NUMBER}\\s*(个工作日|工作日|天|日|个星期|星期|周|个月)(?:内)?`);
const DATE_RE = /(?:时限|期限|限期|截止)?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:前|之前)?/;
const MONTH_DAY_RE = /(?:时限|期限|限期|截止)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号](?:前|之前)?/;
const CHINESE_DIGITS = '零一二三四五六七八九';

/** 1–999 as people type it: digits, or Chinese numerals up to 九十九 (二, 十二, 两, 二十三). */
export function countOf(s: string): number | null {
  if (/^[0-9]+$/.test(s)) return Number(s);
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || (!m[2] && m[3]) || s === '') return null;
  const digit = (c: string | undefined) => (c === '两' ? 2 : c ? CHINESE_DIGITS.indexOf(c) : 0);
  return m[2] ? (m[1] ? digit(m[1]) : 1) * 10 + digit(m[3]) : digit(m[1]);
}

const pad = (s: string) => s.padStart(2, '0');

/**
 * The first time limit in `text` and the text without it; null when there is none. Full-width digits are
 * expected to have been made ASCII by the caller (core/commands.ts does it for every command).
 */
export function findDue(text: string): { due: DueSpec; remainder: string } | null {
  const date = DATE_RE.exec(text);
  if (date) return { due: { date: `${date[1]}-${pad(date[2]!)}-${pad(date[3]!)}` }, remainder: cut(text, date) };
  const monthDay = MONTH_DAY_RE.exec(text);
  if (monthDay) return { due: { month: Number(monthDay[1]), day: Number(monthDay[2]) }, remainder: cut(text, monthDay) };
  const span = SPAN_RE.exec(text);
  const n = span ? countOf(span[1]!) : null;
  if (!span || n === null) return null;
  const unit = span[2]!;
  const due: DueSpec = unit.endsWith('工作日') ? { workdays: n } : unit === '个月' ? { months: n } : /周|星期/.test(unit) ? { days: n * 7 } : { days: n };
  return { due, remainder: cut(text, span) };
}

function cut(text: string, m: RegExpExecArray): string {
  return `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim();
}
