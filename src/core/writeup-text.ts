/**
 * Residents' words as a 社情民意信息 may quote them. A write-up goes up to the CPPCC and beyond, so it must not
 * carry who the residents are or how to reach them — masking alone is not enough there: 「联系人陈先生139****5678」
 * still names a private person and keeps half a number. Contact parts are left out clause by clause (the
 * problem itself rarely shares a clause with a phone number), and what remains is kept as whole sentences.
 * Input is already masked.
 */

// A clause that says who to contact or carries an identifying number (masked or not) is left out whole.
const CONTACT_WORDS_RE = /联系人|联系方式|联系电话|联系号码|身份证|银行卡|银行账号|卡号/;
const NUMBER_AFTER_RE = /(?:电话|手机|座机|固话|QQ|微信|邮箱)\s*(?:号|是|为)?\s*[:：]?\s*[+＋]?[\w.-]*[\d*]/i;
const MASKED_RE = /[*＊]{2,}/;
// Unmasked long numbers (QQ, account numbers); 12345 is the government hotline, not anyone's number.
const LONG_DIGITS_RE = /(?<!\d)(?!12345(?!\d))\d{5,}/;
// A bundle's line starts with who said it and when (「李阿姨 2026-11-27 10:00：」): a resident's name.
const SPEAKER_RE = /^\s*[^：:\n，。,]{1,24}?\s\d{4}-\d{2}-\d{2} \d{2}:\d{2}[：:]\s*/;
const BARE_SPEAKER_RE = /^\s*[^：:\n，。,\s]{1,12}[：:]\s*/;
const PLATFORM_NOTE_RE = /^\s*（平台提示/;
const CLAUSE_RE = /[^，,；;。！!？?]+[，,；;。！!？?]*/g;
const CLAUSE_END_RE = /[，,；;、\s]+$/;
const SENTENCE_END_RE = /[。！!？?…]$/;
// What is left of a clause that was only a contact (「联系人电话139****1234。」 → 「。」) is no clause.
const HAS_WORDS_RE = /[\p{L}\p{N}]/u;

/**
 * A clause that opens with who to contact and goes on with the problem (「139****5678 反映小区路灯坏了」,
 * 「联系人陈先生139****5678：楼道堆物」): the opening goes, the problem stays. Only a masked or a long
 * number counts, so 12345 (the hotline) and dates are words of the problem.
 */
const LEADING_CONTACT_RE = /^[\s，,：:、。]*(?:(?:联系人|联系方式|联系电话|联系号码|电话|手机|座机)[^，,。；;！!？?\d*＊]{0,6}?[:：]?\s*)?[+＋]?(?=[\d-]*[*＊]|\d{7})[\d*＊][\d*＊-]{4,}[\s，,：:、]*(?:(?:反映|投诉|举报|求助)\s*[：:，,]?\s*)?/;

/** `text` from the problem's first words: a contact it opens with is left out (see LEADING_CONTACT_RE). */
export function fromProblem(text: string): string {
  return text.replace(LEADING_CONTACT_RE, '');
}

// 「我叫王**」, 「本人张**」: a resident naming themselves, masked or not, is who they are, not the problem.
const SELF_NAMED_RE = /(?:我叫|我是|本人|姓名)[^，,。；;]{0,4}[*＊]{2,}/;
// 「住3号楼某室」, 「我家住在幸福路12号」: a clause that is only where the resident lives. It must end at the
// address, so 「住在3号楼的居民反映电梯坏了」 and 「住在这里的居民都很困扰」 stay.
const LIVES_AT_RE = /^[\s，,：:、。]*(?:我们?|本人)?家?住(?:在|于)?[^，,。；;！!？?]{0,16}(?:号楼|栋|幢|座|单元|室|房|号|[0-9０-９*＊])[\s，,。；;！!]*$/;
// A clause that is only a number (「，139****5678。」): a way to reach someone, left over from a sentence.
const BARE_NUMBER_RE = /^[^\p{Script=Han}A-Za-z]*[\d*＊]{5,}[^\p{Script=Han}A-Za-z]*$/u;
// Masked as a phone or an ID is (139****5678, 3502**********1234), or as a name is (李**).
const MASKED_NUMBER_RE = /\d[*＊]{3,}\d/;
const MASKED_AFTER_HAN_RE = /\p{Script=Han}[*＊]{2,}/u;

/**
 * A clause that says whom to contact or who and where the resident is: a contact word, a number after
 * 电话/微信…, a resident naming themselves or their home, a bare or masked phone or ID number, a masked name.
 * What groups read (summaries, bulletins, agendas) leaves these out; a masked plate inside a problem's clause
 * (闽D***45的车占用消防通道) stays, being the problem. Outward texts write a room as 某室 (outward-text.ts), so
 * a clause with a room stays unless it only says where the resident lives.
 */
function saysContact(clause: string): boolean {
  return CONTACT_WORDS_RE.test(clause) || NUMBER_AFTER_RE.test(clause) || SELF_NAMED_RE.test(clause) || LIVES_AT_RE.test(clause) || BARE_NUMBER_RE.test(clause)
    || MASKED_NUMBER_RE.test(clause) || MASKED_AFTER_HAN_RE.test(clause);
}

/**
 * For a write-up, any clause holding something masked or a long unmasked number as well (a QQ or account
 * number masking did not know): it goes up to the CPPCC and beyond, where caution costs a clause at most.
 */
function isContact(clause: string): boolean {
  return saysContact(clause) || MASKED_RE.test(clause) || LONG_DIGITS_RE.test(clause);
}

/**
 * `text` line by line without the clauses that say whom to contact, the rest as written: what a summary is
 * made from. Long numbers stay (拖欠工资30000元 is the problem); empty when nothing but contacts is left.
 */
export function withoutContacts(text: string): string {
  return text.split('\n')
    .map((line) => (line.match(CLAUSE_RE) ?? []).map(fromProblem).filter((c) => HAS_WORDS_RE.test(c) && !saysContact(c)).join('').replace(CLAUSE_END_RE, ''))
    .filter(Boolean).join('\n');
}

/**
 * Each line (a resident's message) as one sentence with its contact clauses left out; empty lines dropped.
 * `forGroup`: the rule for texts groups read (see saysContact); by default a write-up's stricter one.
 */
export function residentSentences(text: string, forGroup = false): string[] {
  const contact = forGroup ? saysContact : isContact;
  const out: string[] = [];
  const lines = text.split('\n');
  for (const raw of lines) {
    if (PLATFORM_NOTE_RE.test(raw)) continue;
    // Without a time, 「王师傅：」 is a speaker only in a bundle (several lines); alone it may be the text's own.
    const line = raw.replace(SPEAKER_RE, '').replace(lines.length > 1 ? BARE_SPEAKER_RE : /^$/, '').trim();
    const kept = (line.match(CLAUSE_RE) ?? []).map(fromProblem).filter((c) => HAS_WORDS_RE.test(c) && !contact(c)).join('').replace(CLAUSE_END_RE, '');
    if (kept) out.push(SENTENCE_END_RE.test(kept) ? kept : `${kept}。`);
  }
  return out;
}

/**
 * At most `max` characters, cut after a whole clause where one ends in reach; the result always ends a
 * sentence, so whatever follows it starts a new one.
 */
export function clipSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const cut = Math.max(...['，', '；', '。', '！', '？'].map((p) => head.lastIndexOf(p)));
  const kept = cut > 0 ? head.slice(0, cut) : `${head}…`;
  return `${kept.replace(CLAUSE_END_RE, '')}。`;
}

/** The first clause, without its closing punctuation: what a title can say the problem is. */
export function firstClause(text: string): string {
  return (text.match(CLAUSE_RE)?.[0] ?? text).replace(/[，,；;。！!？?\s]+$/, '');
}

const LEADING_PUNCTUATION_RE = /^[\s，,：:、。]+/;

/** `s` without the names it opens with (the town and 社区 are said once, in front); inside the text they stay. */
export function withoutNames(s: string, names: readonly string[]): string {
  let text = s.replace(LEADING_PUNCTUATION_RE, '');
  for (;;) {
    const name = names.find((n) => n && text.startsWith(n));
    if (!name) return text;
    text = text.slice(name.length).replace(LEADING_PUNCTUATION_RE, '');
  }
}
