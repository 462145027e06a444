import type { PlaceMatch } from './gazetteer.js';
import { listContext, masksAsWhole, standsAlone, trimItem } from './item-words.js';

/**
 * A member's own numbered list of residents' problems (「1. 灌口镇深青村路灯坏了；2. 后溪镇溪西村垃圾没人清运」):
 * the numbers 1, 2, 3 … (1. 1、 (1) 1） ① 一、 （一） 第一，) in order, each at the start of the text or after a
 * separator, so 「1.5米」 or 「3、4月份」 inside a sentence is no item. Each notation is a capture group.
 */
const MARKER_RE = /(?<=^|[\s：:；;。，,！!？?])(?:[（(]([1-9])[)）]|([1-9])[.．、](?![0-9０-９])|([1-9])[)）]|([①-⑨])|([一二三四五六七八九])[、．.]|[（(]([一二三四五六七八九])[)）]|第([一二三四五六七八九])[，,、：:])/gu;
/** How each group of MARKER_RE writes its number. */
const NOTATIONS = ['arabic', 'arabic', 'arabic', 'circled', 'chinese', 'chinese', 'chinese'] as const;
const CHINESE_DIGITS = '一二三四五六七八九';

interface Marker {
  at: number;
  /** Where the item's words start, after the number. */
  words: number;
  number: number;
  /** Which notation: a list switches none midway (「1.」 then 「(2)」 is not one list). */
  style: number;
}

function markersIn(text: string): Marker[] {
  const out: Marker[] = [];
  for (const m of text.matchAll(MARKER_RE)) {
    const style = NOTATIONS.findIndex((_, g) => m[g + 1] !== undefined);
    const digit = m[style + 1]!;
    const notation = NOTATIONS[style]!;
    const number = notation === 'circled' ? digit.charCodeAt(0) - 0x2460 + 1 : notation === 'chinese' ? CHINESE_DIGITS.indexOf(digit) + 1 : Number(digit);
    out.push({ at: m.index, words: m.index + m[0].length, number, style });
  }
  return out;
}

/** The first run 1, 2, … n (n ≥ 2) in one notation; a numbered point inside an item would break the run. */
function numberedRun(markers: readonly Marker[]): Marker[] {
  const start = markers.findIndex((m) => m.number === 1);
  if (start < 0) return [];
  const run = [markers[start]!];
  for (const m of markers.slice(start + 1)) {
    if (m.style !== run[0]!.style || m.number !== run.length + 1) return [];
    run.push(m);
  }
  return run.length >= 2 ? run : [];
}

/**
 * The items of a numbered list whose items each name a place, not all the same one: each is one problem where
 * it happened, so each is filed as its own record. Lists whose items share one place, or where an item names
 * none (one complaint's points: 「违反了以下规定：1、… 2、…」), stay one text: splitting them would file a
 * complaint's reasons as separate problems. The words before the list go in front of each item when they say
 * more than 「居民反映两个问题：」 (listContext); items that say nothing but where (「1、深青村 2、田头村」) are
 * cut only under such words (「以下几个村的路灯都坏了：」). Empty when the text stays whole; also when an item
 * would mask differently on its own than inside the message (a phone number's context word in another item),
 * since each record masks its own text.
 */
export function itemsByPlace(text: string, resolvePlace: (text: string) => PlaceMatch): string[] {
  const run = numberedRun(markersIn(text));
  if (run.length === 0) return [];
  const head = text.slice(0, run[0]!.at);
  const context = listContext(head, resolvePlace);
  // Each item runs to the next number; `pieces` keep the numbers, for the masking check below.
  const pieces = run.map((m, i) => text.slice(m.at, run[i + 1]?.at ?? text.length));
  const items = pieces.map((piece, i) => trimItem(piece.slice(run[i]!.words - run[i]!.at)));
  const places = new Set<string>();
  for (const item of items) {
    const match = resolvePlace(item);
    if (match.townCode === null || (!context && !standsAlone(item, match.evidence))) return [];
    places.add(`${match.townCode}/${match.place ?? ''}`);
  }
  if (places.size < 2) return [];
  if (!masksAsWhole([head, ...pieces], text)) return [];
  return items.map((item) => context + item);
}
