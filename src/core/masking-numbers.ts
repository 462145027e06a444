/**
 * The numeric half of masking.ts: mobile and landline phones, 身份证号 and bank cards. Residents write the
 * same number many ways (138 1234 5678, 138－1234－5678, 138.1234.5678, 3502 1119 9001 0112 3X), so rather
 * than one pattern per spelling this finds runs of digit groups, compacts them and decides by the digits.
 */
import type { PiiKind } from './masking.js';

const D = '[0-9０-９]';
const G = `${D}+`;
const SEP = '[\\s\\-－.．/／]';

// Groups joined by one or two spaces or dashes (an IME types U+3000 and －, a paste may bring a newline), or
// by dots or slashes between groups of three or more digits: shorter ones are decimals, dates and fractions
// (3.5米, 2026.11.27). A bracketed first group is an area code; +86 or 0086 may come first and an id card
// may end in X. The lookbehind stops a run from starting inside a number; the lookahead skips runs of fewer
// than 7 digits inside the pattern, since most numbers in a message are short and a callback each costs time.
const NUMBER_RUN = new RegExp(
  `(?=[+＋(（0-9０-９])(?<!${D})((?:[+＋]|00)86[\\s\\-－]{0,2})?` +
    `((?:[(（]${G}[)）][\\s\\-－]?)?(?=${D}(?:${SEP}{0,2}${D}){6})${G}` +
    `(?:(?:[\\s\\-－]{1,2}${G})+|(?:(?<=${D}{3})[.．]${D}{3,})+|(?:(?<=${D}{3})[/／]${D}{3,})+)?` +
    '(?:[XxＸｘ](?![A-Za-zＡ-Ｚａ-ｚ]))?)',
  'g',
);
const DIGIT_GROUP = /([0-9０-９]+[XxＸｘ]?)/;
const ONE_GROUP = /^[0-9０-９]+[XxＸｘ]?$/;
const FULL_WIDTH = /[０-９Ｘｘ]/g;
const HAS_FULL_WIDTH = /[０-９Ｘｘ]/;

// No kind is shorter than a 7-digit local number or longer than a 19-digit card.
const MIN_DIGITS = 7;
const MAX_DIGITS = 19;

const ONLY_DIGITS = /^\d+$/;
const ID18_SHAPE = /^[1-9]\d{16}[\dXx]$/;
const ENDS_WITH_X = /[Xx]$/;
const BIRTH_YEAR = /^(?:19|20)\d{2}$/;
const MOBILE = /^(?:86)?1[3-9]\d{9}$/;
// 010 and 02x are the only two-digit area codes; every other one has three digits after the 0.
const TWO_DIGIT_AREA = /^(?:10|2)/;

// Context words seen just before a number; 12 characters covers "银行卡号（工商银行）：".
const CONTEXT_WINDOW = 12;
const BANK_CONTEXT = /卡号|银行卡|[工农建中交招]行卡|储蓄卡|信用卡|借记卡|账号|帐号|账户|帐户/;
const ID_CONTEXT = /身份证|证件号|身份号/;
// A bare 7–8 digit number is a phone only right after words like these: 电话号码：6012345, 打6012345找我.
const LOCAL_CONTEXT = /(?:电话|座机|固话|手机|联系|[Tt][Ee][Ll]|打)(?:号码|号|方式)?[:：是为\s]{0,3}$/;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** What a compact number is; `area` counts the area-code digits of a landline (0 for a local number). */
interface Hit {
  kind: PiiKind;
  area: number;
}

function ascii(s: string): string {
  return HAS_FULL_WIDTH.test(s) ? s.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)) : s;
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
  if (trunk < 0) return 0;
  const usual = TWO_DIGIT_AREA.test(digits.slice(trunk)) ? 2 : 3;
  for (const area of [usual, 5 - usual]) {
    const local = digits.length - trunk - area;
    if (local === 7 || local === 8) return trunk + area;
  }
  return 0;
}

/** What the compact `digits` starting at `whole[start]` are; words before the number can settle it. */
function classify(digits: string, international: boolean, whole: string, start: number): Hit | undefined {
  const n = digits.length;
  if (n < MIN_DIGITS || n > MAX_DIGITS) return undefined;
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
  if (n <= 8 && LOCAL_CONTEXT.test(before(whole, start))) return { kind: 'landline', area: 0 };
  return undefined;
}

/** The masked form of `raw` (the compact digits as written); `area` is a landline's area code as shown. */
function maskedForm(hit: Hit, raw: string, area = raw.slice(0, hit.area)): string {
  if (hit.kind === 'phone') return `${raw.slice(0, -8)}****${raw.slice(-4)}`;
  if (hit.kind === 'landline') return `${area}${stars(raw.length - hit.area - 3)}${raw.slice(-3)}`;
  return keepEnds(ascii(raw));
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
    seps.push(sep);
    groups.push(group);
    starts.push(pos + sep.length);
    pos += sep.length + group.length;
  }
  const test = (i: number, j: number): Hit | undefined =>
    classify(ascii(groups.slice(i, j + 1).join('')), prefix !== '' && i === 0, whole, starts[i] ?? 0);
  const alone = groups.map((g, k) => (g.length >= MIN_DIGITS ? test(k, k) : undefined));

  let out = prefix;
  let masked = false;
  for (let i = 0; i < groups.length; ) {
    let hit = alone[i];
    let j = i;
    if (!hit) {
      let last = i;
      let len = groups[i]?.length ?? 0;
      while (last + 1 < groups.length && !alone[last + 1] && len + (groups[last + 1]?.length ?? 0) <= MAX_DIGITS) len += groups[++last]?.length ?? 0;
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
  return text.replace(NUMBER_RUN, (match: string, prefix: string | undefined, body: string, offset: number, whole: string) => {
    const pre = prefix ?? '';
    // Most numbers are one plain group; they skip the splitting.
    if (!ONE_GROUP.test(body)) return maskGroups(pre, body, offset, whole, count) ?? match;
    const hit = classify(ascii(body), pre !== '', whole, offset + pre.length);
    if (!hit) return match;
    count(hit.kind);
    return `${pre}${maskedForm(hit, body)}`;
  });
}
