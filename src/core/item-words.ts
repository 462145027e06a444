import type { PlaceMatch } from './gazetteer.js';
import { maskPersonalData } from './masking.js';
import { cutWords } from './similarity.js';

/*
 * What decides whether a piece of a member's message is a problem of its own, for each way one message is cut
 * into several records: a numbered list (enumerated-items.ts), lines labelled with places (labelled-lines.ts),
 * 「另外，…」 (added-items.ts), a merged forward's residents (bundle-items.ts).
 */

/** Fewer characters than this besides the place names are no problem of their own (「1、深青村 2、田头村」). */
const MIN_PROBLEM_CHARS = 3;
const HAN_RE = /\p{Script=Han}/gu;

/** How many Chinese characters a text has besides the place words in it. */
export function hanBeyond(text: string, placeWords: readonly string[]): number {
  return cutWords(text, placeWords).match(HAN_RE)?.length ?? 0;
}

/** Whether an item says more than where: 「深青村路灯坏了」 does, 「深青村」 or 「深青村村口」 does not. */
export function saysWhatIsWrong(item: string, placeWords: readonly string[]): boolean {
  return hanBeyond(item, placeWords) >= MIN_PROBLEM_CHARS;
}

/** What separates one item from the next (「；」 before 「2、」, a trailing comma): not part of the item. */
const TRAILING_RE = /[\s；;，,]+$/u;

/** An item's words as filed: without the separator after them. */
export const trimItem = (item: string): string => item.replace(TRAILING_RE, '').trim();

/** Words that open a list without saying anything of it (「居民反映以下几个问题：」). */
const OPENER_RE = /居民|群众|市民|村民|反映|反应|以下|如下|下列|[几两二三四五六七八九十]个|问题|情况|事情|您好|你好|[有的个件条点和等]/gu;

/**
 * The words before the list when they say something its items need (「以下路段路灯不亮：」 before 「1、深青村村口那段」),
 * to go in front of each item; empty when they only open the list (「居民反映两个问题：」), and when they name a
 * place: in front of every item, that place would contradict the item's own (「我是深青村村民…：2、后溪镇…」).
 */
export function listContext(head: string, resolvePlace: (text: string) => PlaceMatch): string {
  const said = head.replace(OPENER_RE, '').match(HAN_RE)?.length ?? 0;
  if (said < MIN_PROBLEM_CHARS || resolvePlace(head).evidence.length > 0) return '';
  return head.trim();
}

/**
 * Words by which an item leans on the one before, right after its place or at its start (「后溪镇溪西村也是」,
 * 「我们溪西村也受影响」, 「同样，溪西村…」): nothing said on its own. Read once the place words are cut to line breaks.
 */
const SAME_AS_BEFORE_RE = /(?:^|\n)[\s，,。：:]*(?:也|同样|一样|类似)/u;

/**
 * Whether an item says what is wrong where it names, without the item before it: filed alone, 「溪西村也是这样」
 * would be a record that does not say what.
 */
export function standsAlone(item: string, placeWords: readonly string[]): boolean {
  return saysWhatIsWrong(item, placeWords) && !SAME_AS_BEFORE_RE.test(cutWords(item, placeWords));
}

/**
 * Whether each item's place is apart from every other's: two towns, or two 社区/村 of one town. A town on one
 * side and one of its 社区/村 on the other may be one place told twice (「灌口镇…」 then 「深青村…」), as one
 * complaint naming its town first and its 村 later does.
 */
export function separatePlaces(matches: readonly PlaceMatch[]): boolean {
  return matches.every((a, i) => matches.slice(i + 1).every((b) => a.townCode !== b.townCode || (a.place !== null && b.place !== null && a.place !== b.place)));
}

/**
 * Whether the pieces of a text, masked one by one, read as the whole text masked: a phone number's context word
 * (电话) in one piece and its digits in the next would leave the digits unmasked in a record of their own.
 */
export function masksAsWhole(pieces: readonly string[], text: string): boolean {
  return pieces.map((p) => maskPersonalData(p).text).join('') === maskPersonalData(text).text;
}
