/**
 * Masks personal data in text that leaves the database (LLM prompts, group posts, exports). The raw text
 * stays in the database for authorised staff.
 *
 * Masked forms keep enough shape for staff to tell items apart, and contain `*` so that no pattern matches
 * them again (masking is idempotent):
 *   phone         13812345678, 138-1234-5678, +86 138 1234 5678  → 138****5678 (any +86 prefix is kept)
 *   landline      0592-1234567, (0592)1234567                    → 0592-****567, (0592)****567
 *                 电话：6012345 (local number after 电话/座机/固话)   → 电话：****345
 *   id_card       18 or 15 digits                                 → 3502**********1234
 *   bank_card     16–19 digits, Luhn-valid or after 卡号/银行卡/账号 → 6222***********0123
 *   plate         闽D·12345, 闽D12345, 粤B D12345                  → 闽D·***45, 闽D***45, 粤B ****45
 *   house_number  (opt-in) 3号楼502室, 12栋1单元301                  → 3号楼***室, 12栋1单元***
 * Building and unit stay visible on purpose: they locate the problem, only the room identifies a household.
 * Digit groups written with spaces or dashes are compacted in the masked form.
 */

export type PiiKind = 'phone' | 'landline' | 'id_card' | 'bank_card' | 'plate' | 'house_number';

export interface MaskResult {
  text: string;
  found: Partial<Record<PiiKind, number>>;
}

export interface MaskOptions {
  /** Also mask room numbers (502室, 12栋1单元301); off by default because many groups need them. */
  houseNumbers?: boolean;
}

// Residents typing with a Chinese IME often produce full-width digits, so every digit class accepts both.
const D = '[0-9０-９]';
const NOT_AFTER_DIGIT = `(?<!${D})`;
const NOT_BEFORE_DIGIT = `(?!${D})`;

const ANY_DIGIT = /[0-9０-９]/;
const FULL_WIDTH_DIGIT = /[０-９]/g;
const SEPARATORS = /[\s\-－]/g;

const ID18 = new RegExp(`${NOT_AFTER_DIGIT}[1-9１-９]${D}{5}[- ]?${D}{8}[- ]?${D}{3}[0-9０-９Xx]${NOT_BEFORE_DIGIT}(?![A-Za-z])`, 'g');
const ID15 = new RegExp(`${NOT_AFTER_DIGIT}[1-9１-９]${D}{14}${NOT_BEFORE_DIGIT}`, 'g');
const BANK = new RegExp(`${NOT_AFTER_DIGIT}(?:${D}{16,19}|${D}{4}(?:[ -]${D}{4}){3}(?:[ -]?${D}{1,3})?)${NOT_BEFORE_DIGIT}`, 'g');
const MOBILE = new RegExp(`${NOT_AFTER_DIGIT}((?:[+＋]|00)?86[- ]?)?([1１][3-9３-９]${D})[- ]?(${D}{4})[- ]?(${D}{4})${NOT_BEFORE_DIGIT}`, 'g');
const LANDLINE = new RegExp(`${NOT_AFTER_DIGIT}([(（]?)(0${D}{2,3})([)）]?)([- ]?)(${D}{7,8})${NOT_BEFORE_DIGIT}`, 'g');
const LOCAL_LANDLINE = new RegExp(`(电话|座机|固话|[Tt][Ee][Ll])([:：是为\\s]{0,3})(${D}{7,8})${NOT_BEFORE_DIGIT}`, 'g');

// Province abbreviations, then the issuing-office letter (I and O are never used), then 5 characters (6 for
// new-energy vehicles) and an optional special-use suffix.
const PLATE = /([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])([A-HJ-NP-Za-hj-np-z])([·•・.．\- ]?)([A-HJ-NP-Za-hj-np-z0-9]{5,6})([学警挂港澳领]?)(?![A-Za-z0-9])/g;
const DIGITS_IN = /[0-9]/g;
const BIRTH_YEAR = /^(?:19|20)\d{2}$/;
const ENDS_WITH_X = /[Xx]$/;

// A room number after a building/unit word, or before 室/房. The look-aheads keep counts and money
// (3栋2026年, 一座650吨, 1500房租) out.
const ROOM_AFTER_BUILDING = new RegExp(`(号楼|栋|幢|座|单元)([-－]?)(${D}{3,4})(?![0-9０-９年月日元户人个家次天层期平米㎡吨斤公千万亿辆台mM%])`, 'g');
const ROOM_BEFORE_SUFFIX = new RegExp(`${NOT_AFTER_DIGIT}(${D}{3,4})(?=室(?![友内外])|房(?![租价款贷补产源东屋子间型]))`, 'g');

// Context words seen just before a number; 12 characters covers "银行卡号（工商银行）：".
const CONTEXT_WINDOW = 12;
const BANK_CONTEXT = /卡号|银行卡|储蓄卡|信用卡|借记卡|账号|帐号|账户|帐户/;
const ID_CONTEXT = /身份证|证件号|身份号/;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

function ascii(s: string): string {
  return s.replace(FULL_WIDTH_DIGIT, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(SEPARATORS, '');
}

function stars(n: number): string {
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

function before(text: string, offset: number): string {
  return text.slice(Math.max(0, offset - CONTEXT_WINDOW), offset);
}

export function maskPersonalData(text: string, opts: MaskOptions = {}): MaskResult {
  const found: Partial<Record<PiiKind, number>> = {};
  if (!ANY_DIGIT.test(text)) return { text, found };
  const count = (kind: PiiKind): void => {
    found[kind] = (found[kind] ?? 0) + 1;
  };

  let out = text.replace(ID18, (match: string, offset: number, whole: string) => {
    const id = ascii(match);
    const dateOk = BIRTH_YEAR.test(id.slice(6, 10)) && validDate(id.slice(10, 12), id.slice(12, 14));
    // A checksum-valid id wins; a Luhn-valid number that is not one is a bank card; a date-shaped number
    // with a bad checksum is most likely a mistyped id, and leaking it costs more than over-masking.
    let kind: PiiKind | undefined;
    if (idChecksumOk(id)) kind = 'id_card';
    else if (ENDS_WITH_X.test(id)) kind = 'id_card';
    else if (luhnOk(id)) kind = 'bank_card';
    else if (dateOk || ID_CONTEXT.test(before(whole, offset))) kind = 'id_card';
    if (!kind) return match;
    count(kind);
    return keepEnds(id);
  });

  out = out.replace(ID15, (match: string, offset: number, whole: string) => {
    const id = ascii(match);
    if (!validDate(id.slice(8, 10), id.slice(10, 12)) && !ID_CONTEXT.test(before(whole, offset))) return match;
    count('id_card');
    return keepEnds(id);
  });

  out = out.replace(BANK, (match: string, offset: number, whole: string) => {
    const digits = ascii(match);
    if (!luhnOk(digits) && !BANK_CONTEXT.test(before(whole, offset))) return match;
    count('bank_card');
    return keepEnds(digits);
  });

  out = out.replace(MOBILE, (_m: string, prefix: string | undefined, head: string, _mid: string, tail: string) => {
    count('phone');
    return `${prefix ?? ''}${head}****${tail}`;
  });

  out = out.replace(LANDLINE, (match: string, open: string, area: string, close: string, sep: string, local: string) => {
    // Unbalanced brackets mean this is not "(0592)1234567"; leave it alone.
    if ((open === '') !== (close === '')) return match;
    count('landline');
    return `${open}${area}${close}${sep}${stars(local.length - 3)}${local.slice(-3)}`;
  });

  out = out.replace(LOCAL_LANDLINE, (_m: string, word: string, glue: string, local: string) => {
    count('landline');
    return `${word}${glue}${stars(local.length - 3)}${local.slice(-3)}`;
  });

  out = out.replace(PLATE, (match: string, province: string, office: string, sep: string, serial: string, suffix: string) => {
    const digits = serial.match(DIGITS_IN)?.length ?? 0;
    // Real serials are mostly digits; this keeps words such as 新A股 or 新iPhone out.
    if (digits < (serial.length === 6 ? 4 : 3)) return match;
    count('plate');
    return `${province}${office}${sep}${stars(serial.length - 2)}${serial.slice(-2)}${suffix}`;
  });

  if (opts.houseNumbers) {
    out = out.replace(ROOM_AFTER_BUILDING, (_m: string, word: string, dash: string, room: string) => {
      count('house_number');
      return `${word}${dash}${stars(room.length)}`;
    });
    out = out.replace(ROOM_BEFORE_SUFFIX, (room: string) => {
      count('house_number');
      return stars(room.length);
    });
  }

  return { text: out, found };
}

/** Kinds of personal data still readable in `text`; empty when it is safe to send. */
export function containsUnmaskedPii(text: string, opts: MaskOptions = {}): PiiKind[] {
  return Object.keys(maskPersonalData(text, opts).found) as PiiKind[];
}
