/**
 * The contact half of masking.ts: e-mail addresses, WeChat and QQ accounts and passport numbers. Unlike phone
 * numbers these have no shape of their own in Chinese text (lxy_1990 or 12345678 could be anything), so apart
 * from e-mail and WeChat's own wxid_ ids they are masked only right after the word that names them.
 */
import type { PiiKind } from './masking.js';

// The lookbehind lets an address start only where its local part starts, so a long run of letters without an
// @ is scanned once, not once per position.
const EMAIL = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+)([@＠][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?![A-Za-z0-9-])/g;
// An account right after the word that names it (微信号：lxy_1990, vx wxid_…, QQ 12345678, 护照E12345678),
// and WeChat's generated ids anywhere. WeChat ids are 6–20 letters, digits, _ and -, starting with a letter.
const NAMED_AFTER = '(?:号码|账号|帐号|号)?[:：是为 　]{0,3}';
// A Latin abbreviation counts only as a word of its own, and wx / vx only with something between it and the
// account: inside an id such as msg_…0wxtvfg070… it is two letters of the id (our own ids went out masked).
const LATIN_WORD = '(?<![-_A-Za-z0-9])';
const WECHAT_LATIN = `${LATIN_WORD}(?:[VvWw][Xx]|[Ww]eixin|WeChat|wechat)(?:(?:号码|账号|帐号|号)[:：是为 　]{0,3}|[:：是为 　]{1,3})`;
const WECHAT = new RegExp(`((?:(?:微信|[Vv]信)${NAMED_AFTER})|${WECHAT_LATIN})([A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])`, 'g');
const WXID = /(?<![-_A-Za-z0-9])wxid_[-_A-Za-z0-9]{4,30}(?![-_A-Za-z0-9])/g;
const QQ = new RegExp(`((?:${LATIN_WORD}[Qq]{2}|ＱＱ|扣扣)${NAMED_AFTER})([1-9][0-9]{4,10})(?![-_A-Za-z0-9])`, 'g');
const PASSPORT = new RegExp(`((?:护照|通行证)${NAMED_AFTER})([A-Za-z]{1,2}[0-9]{7,8})(?![A-Za-z0-9])`, 'g');

/** Words without which nothing here is masked; most texts have none and skip every pattern. */
export const CONTACT_HINT = /[@＠]|微信|[VvWw][Xx]|[Vv]信|weixin|wechat|[Qq]{2}|ＱＱ|扣扣|护照|通行证/i;

/** A little of the start and the end stays, so staff can tell two accounts apart: wx****90, 12****89. */
function keepShape(s: string): string {
  const keep = s.length >= 7 ? 2 : 1;
  return `${s.slice(0, keep)}****${s.slice(-keep)}`;
}

/** Masks every e-mail address and named account in `text`, counting each through `count`. */
export function maskContacts(text: string, count: (kind: PiiKind) => void): string {
  if (!CONTACT_HINT.test(text)) return text;
  const named = (kind: PiiKind) => (_m: string, word: string, account: string) => {
    count(kind);
    return `${word}${keepShape(account)}`;
  };
  return text
    .replace(EMAIL, (_m: string, local: string, domain: string) => {
      count('email');
      // The domain says which provider and stays; the local part is the person.
      return `${local.slice(0, Math.min(2, local.length - 1) || 1)}****${domain}`;
    })
    // WeChat's own ids first, so that the wx of wxid_… is not read as the word that names an account.
    .replace(WXID, (id: string) => {
      count('im_account');
      return keepShape(id);
    })
    .replace(WECHAT, named('im_account'))
    .replace(QQ, named('im_account'))
    .replace(PASSPORT, named('passport'));
}
