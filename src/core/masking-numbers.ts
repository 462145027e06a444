/**
 * The numeric half of masking.ts: mobile and landline phones, 身份证号 and bank cards. Residents write the
 * same number many ways (138 1234 5678, 138 - 1234 - 5678, 138—1234—5678, 138·1234·5678, 一三八 一二三四 五六七八,
 * 3502 1119 9001 0112 3X), so rather than one pattern per spelling this finds runs of digit groups, compacts
 * them and decides by the digits. Chinese numerals (一…九, 〇/零, 幺, 壹…玖) are digits here; a change between
 * them and Arabic digits starts a new group, so 张三13812345678 is a name and a phone, not a 12-digit number.
 */
import type { PiiKind } from './masking.js';

const CN = '〇零一二三四五六七八九幺壹贰貳叁肆伍陆陸柒捌玖';
const CN_VALUE = '00123456789112234566789'.split('');
const CN_DIGIT = new Map([...CN].map((c, i) => [c, CN_VALUE[i] ?? '0']));
/** A digit as residents type it: ASCII, full-width (an IME) or a Chinese numeral (voice input, careful writers). */
export const ANY_DIGIT_CLASS = `[0-9０-９${CN}]`;
const D = ANY_DIGIT_CLASS;
// Zero-width and bidi format characters are invisible: a number split by them reads as one, and the LLM fence
// strips them, so here they join groups like spaces.
const WS_CHARS = '\\s\\u200b-\\u200f\\u2060-\\u2064\\u202a-\\u202e\\u2066-\\u2069';
const WS = `[${WS_CHARS}]`;
// Hyphens and dashes as IMEs and word processors type them (－ — – ― ‐ ‑ ‒ − ﹣) and the underscore.
const DASH_CHARS = '\\-－—–―‐‑‒−﹣_＿';
const DASH = `[${DASH_CHARS}]`;
const DOT_CHARS = '.．·•・、';
const DOT = `[${DOT_CHARS}]`;
const SLASH = '[/／]';
const ANY_SEP = `[${WS_CHARS}${DASH_CHARS}${DOT_CHARS}/／]`;
/** One or two dashes with spaces or a line break around them (138 - 1234, 138 \n 1234), or whitespace alone. */
const JOIN = `(?:${WS}{0,3}${DASH}{1,2}${WS}{0,3}|${WS}{1,4})`;

// Groups joined as above, or by dots, middle dots, 、 or slashes between groups of three or more digits:
// shorter ones are decimals, dates, fractions and enumerations (3.5米, 2026.11.27, 1、2、3). A bracketed first
// group is an area code; +86 or 0086 may come first and an id card may end in X. The lookbehind stops a run from
// starting inside a number; the lookahead skips runs of fewer than 7 digits inside the pattern, since most
// numbers in a message are short and a callback each costs time. Joins and groups never overlap, so the run is
// matched in one pass.
const numberRun = (d: string): RegExp =>
  new RegExp(
    `(?=[+＋(（${d.slice(1, -1)}])(?<!${d})((?:[+＋]|00)86[\\s\\-－]{0,2})?` +
      `((?:[(（]${d}+[)）][\\s\\-－]?)?(?=${d}(?:${ANY_SEP}{0,10}${d}){6})${d}+` +
      `(?:(?:${JOIN}${d}+)+|(?:(?<=${d}{3})${DOT}${d}{3,})+|(?:(?<=${d}{3})${SLASH}${d}{3,})+)?` +
      '(?:[XxＸｘ](?![A-Za-zＡ-Ｚａ-ｚ]))?)',
    'g',
  );
// Scanning for a class with Chinese characters in it costs V8 several times more than for digits alone, and
// most messages have no numerals written out: those are scanned for digits only.
const NUMBER_RUN = numberRun('[0-9０-９]');
const NUMBER_RUN_WITH_NUMERALS = numberRun(D);
const NEAR = `[${WS_CHARS}${DASH_CHARS}${DOT_CHARS}/／()（）+＋]{0,10}`;
const DIGIT_FOLLOWS = new RegExp(`^${NEAR}${D}`);
const DIGIT_PRECEDES = new RegExp(`[0-9０-９]${NEAR}$`);
// A regex scan for a class of Chinese characters costs V8 more than masking a whole message of digits; a table
// of their char codes does not.
const IS_NUMERAL = new Uint8Array(0xa000);
for (const c of CN) IS_NUMERAL[c.charCodeAt(0)] = 1;

/**
 * Whether a Chinese numeral stands next to another digit or numeral (only separators between). Every number
 * with a Chinese numeral in it has one, so a text without is scanned for digits only.
 */
export function hasNumeralNumber(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (IS_NUMERAL[text.charCodeAt(i)] !== 1) continue;
    if (DIGIT_FOLLOWS.test(text.slice(i + 1, i + 12)) || DIGIT_PRECEDES.test(text.slice(Math.max(0, i - 11), i))) return true;
  }
  return false;
}
const DIGIT_GROUP = new RegExp(`([0-9０-９]+[XxＸｘ]?|[${CN}]+)`);
const ONE_GROUP = new RegExp(`^(?:[0-9０-９]+[XxＸｘ]?|[${CN}]+)$`);
const NOT_ASCII = new RegExp(`[０-９Ｘｘ${CN}]`, 'g');
const HAS_NOT_ASCII = new RegExp(`[０-９Ｘｘ${CN}]`);

// No kind is shorter than a 7-digit local number or longer than a 19-digit card.
const MIN_DIGITS = 7;
const MAX_DIGITS = 19;

const ONLY_DIGITS = /^\d+$/;
const ID18_SHAPE = /^[1-9]\d{16}[\dXx]$/;
const ID_ANY_LENGTH = /^\d{14,17}[\dXx]$/;
const ENDS_WITH_X = /[Xx]$/;
const BIRTH_YEAR = /^(?:19|20)\d{2}$/;
const MOBILE = /^(?:86)?1[3-9]\d{9}$/;
const MOBILE_ONLY = /^1[3-9]\d{9}$/;
// 010 and 02x are the only two-digit area codes; every other one has three digits after the 0.
const TWO_DIGIT_AREA = /^(?:10|2)/;
// A date written YYYY-MM-DD is never part of a number, whatever stands beside it (JM-XS-2026-0001 2026-12-05).
const DATE_YEAR = /^(?:19|20)\d{2}$/;
const DATE_PART = /^\d{1,2}$/;
const DATE_SEP = new RegExp(`^${DASH}$`);

// Context words seen just before a number; 12 characters covers "银行卡号（工商银行）：".
const CONTEXT_WINDOW = 12;
const BANK_CONTEXT = /卡号|银行卡|[工农建中交招]行卡|储蓄卡|信用卡|借记卡|账号|帐号|账户|帐户/;
const ID_CONTEXT = /身份证|证件号|身份号/;
// A bare 7–8 digit number is a phone only right after words like these: 电话号码：6012345, 打6012345找我.
const LOCAL_CONTEXT = /(?:电话|座机|固话|手机|联系|[Tt][Ee][Ll]|打)(?:号码|号|方式)?[:：是为\s]{0,3}$/;
// ...and not when a counter word follows: 联系 1234567 户居民 and 手机 1234567 台 are counts.
const COUNT_AFTER = /^[\s　]*[户台人元个次件名位辆套间家条张把只头块万亿千百平米吨斤亩公天年月日岁多余项份起笔株棵例层栋幢座%％]/;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** What a compact number is; `area` counts the area-code digits of a landline (0 for a local number). */
interface Hit {
  kind: PiiKind;
  area: number;
}

function ascii(s: string): string {
  return HAS_NOT_ASCII.test(s) ? s.replace(NOT_ASCII, (c) => CN_DIGIT.get(c) ?? String.fromCharCode(c.charCodeAt(0) - 0xfee0)) : s;
}

function before(text: string, offset: number): string {
  return text.slice(Math.max(0, offset - CONTEXT_WINDOW), offset);
}

export function stars(n: number): string {
  return '*'.repeat(Math.max(0, n));
}

/** First 4 and last 4 characters visible, the rest starred; used for id cards and bank cards. */
function keepEnds(compact: string): string {
  return compact.slice(0, 4) + stars(compact.length - 8) + compact.slice(-4);
}

function validDate(month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

function idChecksumOk(id: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS[sum % 11] === id[17]?.toUpperCase();
}

function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let v = digits.charCodeAt(i) - 48;
    if (double) v = v > 4 ? v * 2 - 9 : v * 2;
    sum += v;
  }
  return sum % 10 === 0;
}

/** Area-code length including the trunk 0, or 0 when `digits` is no landline; after +86 the 0 is dropped. */
function areaLength(digits: string, international: boolean): number {
  const trunk = digits[0] === '0' ? 1 : international ? 0 : -1;
  // After the trunk 0 an area code never starts with 0 either: 0001 in JM-XS-2026-0001 is no area code.
  if (trunk < 0 || digits[trunk] === '0') return 0;
  const usual = TWO_DIGIT_AREA.test(digits.slice(trunk)) ? 2 : 3;
  for (const area of [usual, 5 - usual]) {
    const local = digits.length - trunk - area;
    if (local === 7 || local === 8) return trunk + area;
  }
  return 0;
}

/**
 * What the compact `digits` written from `whole[start]` to `whole[end]` are; words before the number can settle
 * it, and a counter word after it makes a bare 7–8 digit number a count.
 */
function classify(digits: string, international: boolean, whole: string, start: number, end: number): Hit | undefined {
  const n = digits.length;
  if (n < MIN_DIGITS || n > MAX_DIGITS) return undefined;
  // Named as an id, any id-length number is one, even with a digit missing or extra: 身份证35021119900101123.
  if (n >= 15 && n <= 18 && ID_ANY_LENGTH.test(digits) && ID_CONTEXT.test(before(whole, start))) return { kind: 'id_card', area: 0 };
  if (n === 18 && ID18_SHAPE.test(digits)) {
    // A checksum-valid id wins; a Luhn-valid number that is not one is a bank card; a date-shaped number
    // with a bad checksum is most likely a mistyped id, and leaking it costs more than over-masking.
    if (idChecksumOk(digits) || ENDS_WITH_X.test(digits)) return { kind: 'id_card', area: 0 };
    if (luhnOk(digits)) return { kind: 'bank_card', area: 0 };
    const dateOk = BIRTH_YEAR.test(digits.slice(6, 10)) && validDate(digits.slice(10, 12), digits.slice(12, 14));
    if (dateOk || ID_CONTEXT.test(before(whole, start))) return { kind: 'id_card', area: 0 };
  }
  if (!ONLY_DIGITS.test(digits)) return undefined;
  if (n >= 16) return luhnOk(digits) || BANK_CONTEXT.test(before(whole, start)) ? { kind: 'bank_card', area: 0 } : undefined;
  if (n === 15 && digits[0] !== '0' && (validDate(digits.slice(8, 10), digits.slice(10, 12)) || ID_CONTEXT.test(before(whole, start)))) {
    return { kind: 'id_card', area: 0 };
  }
  if (MOBILE.test(digits)) return { kind: 'phone', area: 0 };
  const area = areaLength(digits, international);
  if (area > 0) return { kind: 'landline', area };
  if (n <= 8 && LOCAL_CONTEXT.test(before(whole, start)) && !COUNT_AFTER.test(whole.slice(end, end + 3))) return { kind: 'landline', area: 0 };
  return undefined;
}

/** The masked form of `raw` (the compact digits as written); `area` is a landline's area code as shown. */
function maskedForm(hit: Hit, raw: string, area = raw.slice(0, hit.area)): string {
  if (hit.kind === 'phone') return `${raw.slice(0, -8)}****${raw.slice(-4)}`;
  if (hit.kind === 'landline') return `${area}${stars(raw.length - hit.area - 3)}${raw.slice(-3)}`;
  return keepEnds(ascii(raw));
}

/** The 11-digit mobiles a group of 22 or 33 digits is made of, if it is made of nothing else. */
function chainedMobiles(group: string): string[] | undefined {
  if (group.length !== 22 && group.length !== 33) return undefined;
  const chunks = group.match(/.{11}/g) ?? [];
  return chunks.every((c) => MOBILE_ONLY.test(ascii(c))) ? chunks : undefined;
}

/** Which groups are a date's year, month and day (2026-12-05): those are never part of a number. */
function dateGroups(seps: string[], groups: string[]): boolean[] {
  const dated = groups.map(() => false);
  for (let k = 0; k + 2 < groups.length; k++) {
    const [y, m, d] = [groups[k], groups[k + 1], groups[k + 2]].map((g) => ascii(g ?? ''));
    if (!DATE_YEAR.test(y ?? '') || !DATE_PART.test(m ?? '') || !DATE_PART.test(d ?? '')) continue;
    if (!DATE_SEP.test(seps[k + 1] ?? '') || seps[k + 2] !== seps[k + 1] || !validDate(m ?? '', d ?? '')) continue;
    dated[k] = dated[k + 1] = dated[k + 2] = true;
  }
  return dated;
}

/**
 * Masks the personal numbers among one run's digit groups and leaves the rest as written. From each group
 * the longest span that is a known kind wins, but a span never swallows a group that is one on its own, so
 * "6012345 13812345678" stays two numbers instead of becoming an 18-digit one.
 */
function maskGroups(prefix: string, body: string, offset: number, whole: string, count: (kind: PiiKind) => void): string | undefined {
  const parts = body.split(DIGIT_GROUP);
  const seps: string[] = [];
  const groups: string[] = [];
  const starts: number[] = [];
  for (let k = 0, pos = offset + prefix.length; k + 1 < parts.length; k += 2) {
    const sep = parts[k] ?? '';
    const group = parts[k + 1] ?? '';
    // Mobiles typed without a break between them (1391234567813812345678) are read as 11-digit groups.
    const chunks = chainedMobiles(group) ?? [group];
    chunks.forEach((chunk, c) => {
      seps.push(c === 0 ? sep : '');
      groups.push(chunk);
      starts.push(pos + sep.length + 11 * c);
    });
    pos += sep.length + group.length;
  }
  const test = (i: number, j: number): Hit | undefined =>
    classify(ascii(groups.slice(i, j + 1).join('')), prefix !== '' && i === 0, whole, starts[i] ?? 0, (starts[j] ?? 0) + (groups[j]?.length ?? 0));
  const dated = dateGroups(seps, groups);
  const alone = groups.map((g, k) => (g.length >= MIN_DIGITS && !dated[k] ? test(k, k) : undefined));

  let out = prefix;
  let masked = false;
  for (let i = 0; i < groups.length; ) {
    let hit = alone[i];
    let j = i;
    if (!hit && !dated[i]) {
      let last = i;
      let len = groups[i]?.length ?? 0;
      while (last + 1 < groups.length && !alone[last + 1] && !dated[last + 1] && len + (groups[last + 1]?.length ?? 0) <= MAX_DIGITS) len += groups[++last]?.length ?? 0;
      for (j = last; j > i; j--) if ((hit = test(i, j))) break;
    }
    if (!hit) {
      out += `${seps[i]}${groups[i]}`;
      i++;
      continue;
    }
    masked = true;
    count(hit.kind);
    const raw = groups.slice(i, j + 1).join('');
    // An area code written as groups of its own keeps its brackets and separator: (0592)****567.
    let k = i;
    let areaDigits = 0;
    while (areaDigits < hit.area) areaDigits += groups[k++]?.length ?? 0;
    const areaAsWritten = hit.area > 0 && areaDigits === hit.area;
    const text = maskedForm(hit, raw, areaAsWritten ? whole.slice(starts[i], starts[k]) : undefined);
    // An opening bracket goes with its closing one, which compacting drops unless the area code kept it.
    out += `${i > 0 || j === i || areaAsWritten ? seps[i] : ''}${text}`;
    i = j + 1;
  }
  return masked ? out : undefined;
}

/** Masks every phone, id card and bank card in `text`, counting each through `count`. */
export function maskNumbers(text: string, count: (kind: PiiKind) => void): string {
  return text.replace(hasNumeralNumber(text) ? NUMBER_RUN_WITH_NUMERALS : NUMBER_RUN, (match: string, prefix: string | undefined, body: string, offset: number, whole: string) => {
    const pre = prefix ?? '';
    // Most numbers are one plain group; they skip the splitting.
    if (!ONE_GROUP.test(body) || body.length > MAX_DIGITS) return maskGroups(pre, body, offset, whole, count) ?? match;
    const hit = classify(ascii(body), pre !== '', whole, offset + pre.length, offset + match.length);
    if (!hit) return match;
    count(hit.kind);
    return `${pre}${maskedForm(hit, body)}`;
  });
}

// A bundle puts each resident message on its own line, after the sender and time (王建国 2025-12-29 17:21：), so a
// number sent in two messages (我电话138 / 12345678) ends one line and starts the next.
const ACROSS_LINES = new RegExp(
  `((?:电话|手机|座机|固话|联系方式|号码|[Tt][Ee][Ll])(?:号码|号)?[:：是为]?[ \\t　]*)(${D}{1,10})` +
    `([ \\t　]*\\r?\\n[ \\t　]*(?:[^\\n：]{1,40}：[ \\t　]*)?)(${D}{1,10})(?!${D})`,
  'g',
);

/** Masks a phone whose digits a phone word starts on one line and the next line finishes. */
export function maskAcrossLines(text: string, count: (kind: PiiKind) => void): string {
  if (!text.includes('\n')) return text;
  return text.replace(ACROSS_LINES, (match: string, word: string, head: string, gap: string, tail: string, offset: number, whole: string) => {
    const hit = classify(ascii(head + tail), false, whole, offset + word.length, offset + match.length);
    if (!hit || (hit.kind !== 'phone' && !(hit.kind === 'landline' && hit.area > 0))) return match;
    count(hit.kind);
    const masked = maskedForm(hit, head + tail);
    return `${word}${masked.slice(0, head.length)}${gap}${masked.slice(head.length)}`;
  });
}
