import type { PlaceMatch } from './gazetteer.js';
import { masksAsWhole, separatePlaces, standsAlone, trimItem } from './item-words.js';

/**
 * Where a member adds another problem without numbering it: 「另外，」「此外」「还有」 at the start of a sentence
 * (「…路灯坏了。另外，后溪镇溪西村垃圾没人清运」), and 另外 or 此外 after a comma. 「，还有」 is left out: after a
 * comma it mostly goes on with the same problem (「，还有很多老人出行不便」), and so are 首先…其次, which order one
 * complaint's reasons. A line break alone is no boundary: a resident's own paragraphs may open with another
 * town's name (「后溪镇环保站我们也反映过」).
 */
const ADDITION_RE = /(?:(?<=^|[。！？；;!?\n])\s*(?:另外|此外|还有就是|还有|再有|另(?=[，,：:]))|(?<=[，,])\s*(?:另外|此外))[，,、：:]?/gu;

/**
 * At most this many characters before the place an added problem opens with (「另外，我们后溪镇…」): a sentence
 * that comes to another town later (「还有，我们向后溪镇政府反映过」) goes on with the problem before it. Of the
 * 7,097 real letters, 271 have such a word; in 14 a sentence after it opens with a place this way. One of those asks
 * a second question at another place (「还有东四路到黄兴镇何时能拉通？」); the rest go on with the letter's own
 * complaint (「向阳社区十分粗暴地…」, 「A4区城管不作为」). So the items must also lie apart (separatePlaces), the
 * first words name a place, and each item say what is wrong on its own.
 */
const PLACE_LEAD_MAX = 2;

interface Segment {
  /** Where the segment's words start (after its marker) and end. */
  start: number;
  end: number;
}

function segmentsOf(text: string): Segment[] {
  const out: Segment[] = [];
  let start = 0;
  for (const m of text.matchAll(ADDITION_RE)) {
    out.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  out.push({ start, end: text.length });
  return out.filter((s) => text.slice(s.start, s.end).trim() !== '');
}

/** Whether words open with the place they name (「后溪镇溪西村垃圾…」, 「我们溪西村…」). */
function opensWithPlace(words: string, match: PlaceMatch): boolean {
  if (match.townCode === null) return false;
  const trimmed = words.replace(/^[\s，,：:、]+/u, '');
  return match.evidence.some((w) => {
    const at = trimmed.indexOf(w);
    return at >= 0 && at <= PLACE_LEAD_MAX;
  });
}

/**
 * The problems of a member's message that adds one at another place with 「另外」「此外」「还有」: one item per
 * place, for one record each, as a numbered list is cut (enumerated-items.ts). A sentence after such a word opens
 * an item only when it opens with a town or 社区/村; else it goes on with the item before it (「另外，这事反映好几次
 * 了」). The text stays whole unless the first words name a place too, every item names one town and says what is
 * wrong there on its own, and the items' places are apart (separatePlaces): else a sentence that only mentions
 * another town would become a record.
 */
export function itemsByAddition(text: string, resolvePlace: (text: string) => PlaceMatch): string[] {
  const segments = segmentsOf(text);
  if (segments.length < 2) return [];
  const items: Segment[] = [];
  for (const segment of segments) {
    const words = text.slice(segment.start, segment.end);
    if (items.length === 0 || opensWithPlace(words, resolvePlace(words))) items.push({ ...segment });
    else items.at(-1)!.end = segment.end;
  }
  if (items.length < 2) return [];
  const texts = items.map((s) => trimItem(text.slice(s.start, s.end)));
  const matches = texts.map((item) => resolvePlace(item));
  if (!matches.every((m, i) => m.townCode !== null && standsAlone(texts[i]!, m.evidence)) || !separatePlaces(matches)) return [];
  // The pieces as they lie in the text, markers between them, for the masking check.
  const pieces = items.flatMap((s, i) => [text.slice(i === 0 ? 0 : items[i - 1]!.end, s.start), text.slice(s.start, s.end)]);
  if (!masksAsWhole([...pieces, text.slice(items.at(-1)!.end)], text)) return [];
  return texts;
}
