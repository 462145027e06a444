/**
 * Masks personal data in text that leaves the database (LLM prompts, group posts, exports). The raw text
 * stays in the database for authorised staff.
 *
 * Masked forms keep enough shape for staff to tell items apart, and contain `*` so that no pattern matches
 * them again (masking is idempotent):
 *   phone         13812345678, 138 1234 5678, +86 138-1234-5678   → 138****5678 (any +86 prefix is kept)
 *                 一三八一二三四五六七八, 一三八1234五六七八, 壹叁捌…   → 一三八****五六七八, 壹叁捌****伍陆柒捌
 *                 我电话138⏎（bundle line）12345678                  → 我电话138⏎****5678 (a phone word, then the next line)
 *   landline      0592-1234567, (0592)1234567, +86 592 6012345   → 0592-****567, (0592)****567, +86 592 ****345
 *                 电话号码：6012345 (7–8 digits right after 电话/座机/固话/手机/联系方式/打) → 电话号码：****345
 *                 (not a count: 联系 1234567 户居民 stays)
 *   id_card       18 or 15 digits; 15–18 after 身份证/证件号        → 3502**********1234
 *   bank_card     16–19 digits, Luhn-valid or after 卡号/银行卡/账号 → 6222***********0123
 *   email         wangxm@163.com                                  → wa****@163.com
 *   im_account    after 微信/vx/wx: wxid_wangxm1990, lxy_1990; after QQ/扣扣: 5–11 digits → wx****90, lx****90, 12****89
 *   passport      after 护照/通行证: E12345678                      → E1****78
 *   plate         闽D·12345, 闽D12345, 粤B D12345, 闽 D12345, 闽DF 12345 → 闽D·***45, 闽D***45, 粤B ****45, 闽 D***45, 闽D****45
 *   house_number  (opt-in) 3号楼502室, 12栋1单元301, 3-502           → 3号楼***室, 12栋1单元***, 3-***
 *                 or, as words (houseNumbers: 'words')                → 3号楼某室, 12栋1单元某室, 3号楼某室
 * Building and unit stay visible on purpose: they locate the problem, only the room identifies a household.
 * Digits may be full-width or Chinese numerals and grouped by spaces (U+3000 too), line breaks, zero-width
 * characters, dashes of any kind or underscores (with spaces around them: 138 - 1234 - 5678), or by dots, middle
 * dots, 、 or slashes (masking-numbers.ts); the masked form compacts the groups, except that a landline's area
 * code keeps its own separator. A date written 2026-12-05 is never read as part of a number.
 */

import { CONTACT_HINT, maskContacts } from './masking-contacts.js';
import { ANY_DIGIT_CLASS, hasNumeralNumber, maskAcrossLines, maskNumbers, stars } from './masking-numbers.js';

export type PiiKind = 'phone' | 'landline' | 'id_card' | 'bank_card' | 'email' | 'im_account' | 'passport' | 'plate' | 'house_number';

export interface MaskResult {
  text: string;
  found: Partial<Record<PiiKind, number>>;
}

export interface MaskOptions {
  /**
   * Also mask room numbers (502室, 12栋1单元301); off by default because many groups need them. `'words'`
   * writes 某室 instead of stars: for texts people read as prose (bulletins, agendas, write-ups), where a
   * clause keeps its problem (3号楼某室楼上漏水) and stars would read as something withheld about a person.
   */
  houseNumbers?: boolean | 'words';
}

// Residents typing with a Chinese IME often produce full-width digits and letters, so every class accepts both.
const D = '[0-9０-９]';
const NOT_AFTER_DIGIT = `(?<!${D})`;

// Province abbreviations, then the issuing-office letter (I and O are never used), then 5 characters (6 for
// new-energy vehicles) and an optional special-use suffix. The serial may have one space inside (闽DF 12345):
// each place for it is spelled out, which keeps the pattern free of nested repetition.
const LETTER = '[A-HJ-NP-Za-hj-np-zＡ-ＨＪ-ＮＰ-Ｚａ-ｈｊ-ｎｐ-ｚ]';
const SERIAL_CHAR = `(?:${LETTER}|${D})`;
const SERIAL_SPACED = [1, 2, 3, 4, 5].map((k) => `${SERIAL_CHAR}{${k}}[ 　]${SERIAL_CHAR}{${Math.max(1, 5 - k)},${6 - k}}`).join('|');
const PLATE = new RegExp(
  `([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])([ 　]?)(${LETTER})([·•・.．\\- ]?)(${SERIAL_CHAR}{5,6}|${SERIAL_SPACED}|${SERIAL_CHAR}{4}(?=[学警挂港澳领]))([学警挂港澳领]?)(?![A-Za-z0-9Ａ-Ｚａ-ｚ０-９])`,
  'g',
);
const DIGITS_IN = /[0-9０-９]/g;
const SERIAL_SPACE = /[ 　]/g;

// A room number after a building/unit word, or before 室/房. The look-aheads keep counts, money and years
// (3栋2026年, 一座650吨, 全栋300多户, 12栋1500套房, 该栋2019届, 1500房租) out.
const ROOM_AFTER_BUILDING = new RegExp(`(号楼|栋|幢|座|单元)([-－]?)(${D}{3,4})(?![0-9０-９年月日元户人个家次天层期平米㎡吨斤公千万亿辆台多余来套间届名位mM%])`, 'g');
const ROOM_BEFORE_SUFFIX = new RegExp(`${NOT_AFTER_DIGIT}(${D}{3,4})(?=室(?![友内外])|房(?![租价款贷补产源东屋子间型]))`, 'g');
// 3-502 or 3#502: a building and a room in the short form residents type. A count or a range (100-200元,
// 300-500米) is not a room, nor a date's tail (12-05: a room has three digits or more), nor a group of a
// longer number (400-123-4567).
const ROOM_AFTER_DASH = new RegExp(`(?<![0-9０-９\\-－])(${D}{1,3})[-－#＃](${D}{3,4})(?![0-9０-９\\-－年月日元户人个家次天层期平米㎡吨斤公千万亿辆台多余来套间届名位号路mM%])`, 'g');
const ROOM_WORD_RE = /[室房]/;

/**
 * Every number masked here needs three digits or more (a plate's serial has at least three; a room number
 * three), or a Chinese numeral beside another digit (hasNumeralNumber); contacts need their word or an @ (CONTACT_HINT): a text with none
 * of these has nothing to mask.
 */
const MAYBE_PERSONAL = /[0-9０-９][^0-9０-９]*[0-9０-９][^0-9０-９]*[0-9０-９]/;
const ANY_DIGIT = new RegExp(ANY_DIGIT_CLASS);

export function maskPersonalData(text: string, opts: MaskOptions = {}): MaskResult {
  // Most strings that leave the database (names, labels, short notes) hold nothing to mask; answering those
  // without running every pattern keeps masking whole API answers cheap.
  if (!MAYBE_PERSONAL.test(text) && !hasNumeralNumber(text) && !CONTACT_HINT.test(text)) return { text, found: {} };
  const found: Partial<Record<PiiKind, number>> = {};
  const count = (kind: PiiKind): void => {
    found[kind] = (found[kind] ?? 0) + 1;
  };

  // Contacts first: the digits of 13812345678@139.com belong to the address, not to a phone of their own.
  let out = maskContacts(text, count);
  if (!ANY_DIGIT.test(out)) return { text: out, found };
  out = maskAcrossLines(maskNumbers(out, count), count);

  out = out.replace(PLATE, (match: string, province: string, space: string, office: string, sep: string, serial: string, suffix: string) => {
    const compact = serial.replace(SERIAL_SPACE, '');
    const digits = compact.match(DIGITS_IN)?.length ?? 0;
    // Real serials are mostly digits; this keeps words such as 新A股 or 新iPhone out.
    if (digits < (compact.length === 6 ? 4 : 3)) return match;
    count('plate');
    return `${province}${space}${office}${sep}${stars(compact.length - 2)}${compact.slice(-2)}${suffix}`;
  });

  if (opts.houseNumbers) {
    const words = opts.houseNumbers === 'words';
    out = out.replace(ROOM_AFTER_BUILDING, (m: string, word: string, dash: string, room: string, at: number, all: string) => {
      count('house_number');
      if (!words) return `${word}${dash}${stars(room.length)}`;
      return `${word}${ROOM_WORD_RE.test(all[at + m.length] ?? '') ? '某' : '某室'}`;
    });
    out = out.replace(ROOM_AFTER_DASH, (m: string, building: string, room: string, at: number, all: string) => {
      count('house_number');
      if (!words) return `${m.slice(0, -room.length)}${stars(room.length)}`;
      return `${building}号楼${ROOM_WORD_RE.test(all[at + m.length] ?? '') ? '某' : '某室'}`;
    });
    out = out.replace(ROOM_BEFORE_SUFFIX, (room: string) => {
      count('house_number');
      return words ? '某' : stars(room.length);
    });
  }

  return { text: out, found };
}

/** Kinds of personal data still readable in `text`; empty when it is safe to send. */
export function containsUnmaskedPii(text: string, opts: MaskOptions = {}): PiiKind[] {
  return Object.keys(maskPersonalData(text, opts).found) as PiiKind[];
}
