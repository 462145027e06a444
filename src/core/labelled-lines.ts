import type { PlaceMatch } from './gazetteer.js';
import { hanBeyond, listContext, masksAsWhole, separatePlaces, standsAlone, trimItem } from './item-words.js';

/** A line's label: the words before its first colon (「深青村：路灯坏了」), or in 【】 at its start (「【深青村】路灯坏了」). */
const LABEL_RE = /^\s*(?:【([^】\n]{2,16})】|([^\s：:，,。；;【]{2,16})[：:])/u;
/** At most this many characters in a label besides its place: 「深青村这边：」 is a place's label, 「深青村村民反映：」 is not. */
const LABEL_EXTRA_MAX = 2;

/** Whether a line opens with a place and a colon, as a member lists places line by line. */
function isPlaceLabelled(line: string, resolvePlace: (text: string) => PlaceMatch): boolean {
  const m = LABEL_RE.exec(line);
  const label = m?.[1] ?? m?.[2];
  if (!label) return false;
  const match = resolvePlace(label);
  return match.townCode !== null && hanBeyond(label, match.evidence) <= LABEL_EXTRA_MAX;
}

/**
 * A member's problems listed line by line, each line opening with its place and a colon, or its place in 【】
 * (「深青村：路灯坏了\n后溪镇溪西村：垃圾没人清运」, 「【深青村】路灯坏了」): one item per place, as a numbered list
 * is cut (enumerated-items.ts). Lines without such a label go on with the item above them; lines before the first
 * item may only be a heading ending in a colon (「居民反映以下问题：」), which goes in front of each item when it says
 * something and names no place (listContext). The text stays whole unless every item says what is wrong on its
 * own (or under its heading) and the places lie apart (separatePlaces).
 */
export function itemsByLabel(text: string, resolvePlace: (text: string) => PlaceMatch): string[] {
  const lines = text.split('\n');
  const head: string[] = [];
  const items: string[][] = [];
  for (const line of lines) {
    if (isPlaceLabelled(line, resolvePlace)) items.push([line]);
    else (items.at(-1) ?? head).push(line);
  }
  if (items.length < 2) return [];
  const heading = head.join('\n').trim();
  if (heading && !/[：:]$/u.test(heading)) return [];
  const context = heading ? listContext(heading, resolvePlace) : '';
  const texts = items.map((item) => trimItem(item.join('\n')));
  const matches = texts.map((item) => resolvePlace(item));
  if (!matches.every((m, i) => m.townCode !== null && (context || standsAlone(texts[i]!, m.evidence))) || !separatePlaces(matches)) return [];
  // Each piece with the line break after it, so together they are the text, for the masking check.
  const pieces = [head, ...items].filter((p) => p.length > 0).map((p) => p.join('\n'));
  if (!masksAsWhole(pieces.map((p, i) => (i < pieces.length - 1 ? `${p}\n` : p)), text)) return [];
  return texts.map((item) => context + item);
}
