import type { PlaceMatch } from './gazetteer.js';
import { masksAsWhole, standsAlone } from './item-words.js';

/**
 * Where a member adds another problem without numbering it: 「另外，」「此外」「还有」 at the start of a sentence
 * (「…路灯坏了。另外，后溪镇溪西村垃圾没人清运」), and 另外 or 此外 after a comma. 「，还有」 is left out: after a
 * comma it mostly goes on with the same problem (「，还有很多老人出行不便」). A line break alone is no boundary:
 * a resident's own paragraphs may open with another town's name (「后溪镇环保站我们也反映过」).
 */
const ADDITION_RE = /(?:(?<=^|[。！？；;!?\n])\s*(?:另外|此外|还有就是|还有|再有|再者|其次|另(?=[，,：:]))|(?<=[，,])\s*(?:另外|此外))[，,、：:]?/gu;

/** What separates one item from the next: not part of the item. */
const TRAILING_RE = /[\s；;，,]+$/u;

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

/**
 * The problems of a member's message that adds one at another place with 「另外」「此外」「还有」: one item per
 * place, for one record each, as a numbered list is cut (enumerated-items.ts). A sentence after such a word that
 * names no town goes on with the item before it (「另外，这事反映好几次了」). The text stays whole unless every
 * item names one town and says what is wrong there on its own, the items name two places or more, and the first
 * words name a place themselves: else a sentence that only mentions another town would become a record.
 */
export function itemsByAddition(text: string, resolvePlace: (text: string) => PlaceMatch): string[] {
  const segments = segmentsOf(text);
  if (segments.length < 2) return [];
  const items: Segment[] = [];
  for (const segment of segments) {
    const opens = items.length === 0 || resolvePlace(text.slice(segment.start, segment.end)).townCode !== null;
    if (opens) items.push({ ...segment });
    else items.at(-1)!.end = segment.end;
  }
  if (items.length < 2) return [];
  const texts = items.map((s) => text.slice(s.start, s.end).replace(TRAILING_RE, '').trim());
  const places = new Set<string>();
  for (const item of texts) {
    const match = resolvePlace(item);
    if (match.townCode === null || !standsAlone(item, match.evidence)) return [];
    places.add(`${match.townCode}/${match.place ?? ''}`);
  }
  if (places.size < 2) return [];
  // The pieces as they lie in the text, markers between them, for the masking check.
  const pieces = items.flatMap((s, i) => [text.slice(i === 0 ? 0 : items[i - 1]!.end, s.start), text.slice(s.start, s.end)]);
  if (!masksAsWhole([...pieces, text.slice(items.at(-1)!.end)], text)) return [];
  return texts;
}
